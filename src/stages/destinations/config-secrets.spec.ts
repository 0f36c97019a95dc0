import type { ConfigSchema } from '@audience-sync/exporter-contract';
import {
  changedSecretHosts,
  discriminatorAt,
  keptSecrets,
  secretsAskedAgain,
  takeSecretInput,
  withSecrets,
  withoutSecrets,
} from './config-secrets';

const schema: ConfigSchema = {
  type: 'object',
  properties: {
    apiKey: { type: 'string', 'x-secret': true },
    auth: {
      type: 'object',
      properties: { kind: { type: 'string' } },
      oneOf: [
        {
          type: 'object',
          properties: { kind: { const: 'a' }, clientSecret: { type: 'string', 'x-secret': true } },
        },
        {
          type: 'object',
          properties: { kind: { const: 'b' }, refreshToken: { type: 'string', 'x-secret': true } },
        },
      ],
    },
  },
};
const secretFields = ['apiKey', 'auth.clientSecret', 'auth.refreshToken'];

describe('config secrets', () => {
  it('takes secrets out of an API configuration: a string sets, null clears, absent keeps', () => {
    const input = { apiKey: null, region: 'eu', auth: { kind: 'a', clientSecret: 's3cret' } };
    const taken = takeSecretInput(input, secretFields);
    expect(taken).toEqual({
      config: { region: 'eu', auth: { kind: 'a' } },
      provided: { 'auth.clientSecret': 's3cret' },
      cleared: ['apiKey'],
    });
    expect(input.auth.clientSecret).toBe('s3cret');
    // A value that is not a string stays, so the schema validation names it.
    expect(takeSecretInput({ apiKey: 42 }, secretFields).config).toEqual({ apiKey: 42 });
  });

  it('puts secrets back only where their parent object exists', () => {
    const config = { auth: { kind: 'a' } };
    expect(
      withSecrets(config, { 'auth.clientSecret': 'x', apiKey: 'k', 'missing.deep': 'y' }),
    ).toEqual({
      apiKey: 'k',
      auth: { kind: 'a', clientSecret: 'x' },
    });
    expect(config).toEqual({ auth: { kind: 'a' } });
    expect(
      withoutSecrets({ apiKey: 'k', auth: { kind: 'a', clientSecret: 'x' } }, secretFields),
    ).toEqual({
      auth: { kind: 'a' },
    });
  });

  it('keeps stored secrets an update does not touch, unless their alternative or parent went away', () => {
    const stored = { apiKey: 'k', 'auth.clientSecret': 'old' };
    const storedConfig = { auth: { kind: 'a' } };
    const keep = (newConfig: Record<string, unknown>, provided = {}, cleared: string[] = []) =>
      keptSecrets({ stored, storedConfig, newConfig, provided, cleared, schema });
    expect(keep({ auth: { kind: 'a' } })).toEqual(stored);
    expect(keep({ auth: { kind: 'a' } }, { 'auth.clientSecret': 'new' })).toEqual({ apiKey: 'k' });
    expect(keep({ auth: { kind: 'a' } }, {}, ['apiKey'])).toEqual({ 'auth.clientSecret': 'old' });
    expect(keep({ auth: { kind: 'b' } })).toEqual({ apiKey: 'k' });
    expect(keep({})).toEqual({ apiKey: 'k' });
  });

  it('finds the discriminator of an object with alternatives', () => {
    expect(discriminatorAt(schema, 'auth')).toBe('kind');
    expect(discriminatorAt(schema, '')).toBeUndefined();
    expect(discriminatorAt(schema, 'nope')).toBeUndefined();
  });
  describe('secret hosts', () => {
    const hosted: ConfigSchema = {
      type: 'object',
      properties: {
        serverAddress: { type: 'string', title: 'Server address', 'x-secret-host': true },
        region: { type: 'string' },
        auth: {
          type: 'object',
          properties: { kind: { type: 'string' } },
          oneOf: [
            {
              type: 'object',
              properties: {
                kind: { const: 'a' },
                clientSecret: { type: 'string', title: 'Client secret', 'x-secret': true },
                authorityHost: { type: 'string', title: 'Sign-in host', 'x-secret-host': true },
              },
            },
            {
              type: 'object',
              properties: {
                kind: { const: 'b' },
                tokenCache: { type: 'string', 'x-secret': true, readOnly: true },
                authorityHost: { type: 'string', title: 'Sign-in host', 'x-secret-host': true },
              },
            },
          ],
        },
      },
    };
    const stored = {
      serverAddress: 'https://org.example',
      region: 'eu',
      auth: { kind: 'a', authorityHost: 'https://login.example' },
    };
    const changed = (next: Record<string, unknown>) => changedSecretHosts(hosted, stored, next);

    it('finds the hosts whose origin an update changes', () => {
      expect(changed({ ...stored, region: 'us' })).toEqual([]);
      expect(changed({ ...stored, serverAddress: 'HTTPS://org.example:443/' })).toEqual([]);
      expect(changed({ ...stored, serverAddress: 'https://other.example' })).toEqual([
        'serverAddress',
      ]);
      expect(changed({ ...stored, serverAddress: 'http://org.example' })).toEqual([
        'serverAddress',
      ]);
      expect(changed({ ...stored, auth: { kind: 'a' } })).toEqual(['auth.authorityHost']);
      expect(
        changed({
          serverAddress: 'https://org.example:8443',
          auth: { kind: 'a', authorityHost: 'https://login.example:8443' },
        }),
      ).toEqual(['serverAddress', 'auth.authorityHost']);
    });

    it('asks again for the secrets a person enters, naming the host that changed', () => {
      expect(
        secretsAskedAgain(hosted, ['auth.authorityHost'], { 'auth.clientSecret': 's' }),
      ).toEqual([
        {
          path: 'config.auth.clientSecret',
          message:
            'is required again: the sign-in host changed: enter the client secret again (a stored secret is only sent to the hosts it was entered for)',
        },
      ]);
      expect(
        secretsAskedAgain(hosted, ['serverAddress', 'auth.authorityHost'], {
          'auth.clientSecret': 's',
        })[0].message,
      ).toMatch(/^is required again: the server address and the sign-in host changed:/);
      // What a sign-in stored is dropped without asking; nothing changed, nothing asked.
      expect(secretsAskedAgain(hosted, ['serverAddress'], { 'auth.tokenCache': 'c' })).toEqual([]);
      expect(secretsAskedAgain(hosted, [], { 'auth.clientSecret': 's' })).toEqual([]);
    });
  });
});
