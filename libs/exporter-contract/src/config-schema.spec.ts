import { readOnlyPaths, secretHostPaths, secretPaths, type ConfigSchema } from './config-schema';

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

describe('readOnlyPaths', () => {
  it('finds server-set strings in nested objects and oneOf variants', () => {
    const schema: ConfigSchema = {
      type: 'object',
      properties: {
        auth: {
          type: 'object',
          properties: { kind: { type: 'string', enum: ['a', 'b'] } },
          oneOf: [
            { type: 'object', properties: { kind: { const: 'a' } } },
            {
              type: 'object',
              properties: {
                kind: { const: 'b' },
                tokenCache: { type: 'string', 'x-secret': true, readOnly: true },
              },
            },
          ],
        },
        note: { type: 'string' },
      },
    };
    expect(readOnlyPaths(schema)).toEqual(['auth.tokenCache']);
  });
});

describe('secretHostPaths', () => {
  it('finds x-secret-host strings, oneOf variants included', () => {
    const schema: ConfigSchema = {
      type: 'object',
      properties: {
        serverAddress: { type: 'string', format: 'uri', 'x-secret-host': true },
        auth: {
          type: 'object',
          properties: { kind: { type: 'string' } },
          oneOf: [
            {
              type: 'object',
              properties: {
                kind: { const: 'a' },
                authorityHost: { type: 'string', 'x-secret-host': true },
              },
            },
            {
              type: 'object',
              properties: {
                kind: { const: 'b' },
                authorityHost: { type: 'string', 'x-secret-host': true },
                region: { type: 'string' },
              },
            },
          ],
        },
      },
    };
    expect(secretHostPaths(schema)).toEqual(['serverAddress', 'auth.authorityHost']);
  });
});
