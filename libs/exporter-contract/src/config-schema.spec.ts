import { secretPaths, type ConfigSchema } from './config-schema';

describe('secretPaths', () => {
  it('finds secrets in nested objects and in oneOf variants, once each', () => {
    const schema: ConfigSchema = {
      type: 'object',
      properties: {
        serverAddress: { type: 'string', format: 'uri' },
        auth: {
          type: 'object',
          properties: { kind: { type: 'string', enum: ['clientCredentials', 'delegated'] } },
          oneOf: [
            {
              type: 'object',
              properties: {
                kind: { const: 'clientCredentials' },
                clientSecret: { type: 'string', 'x-secret': true },
              },
            },
            {
              type: 'object',
              properties: {
                kind: { const: 'delegated' },
                refreshToken: { type: 'string', 'x-secret': true },
              },
            },
          ],
        },
        apiKey: { type: 'string', 'x-secret': true },
      },
    };
    expect(secretPaths(schema).sort()).toEqual([
      'apiKey',
      'auth.clientSecret',
      'auth.refreshToken',
    ]);
  });
});
