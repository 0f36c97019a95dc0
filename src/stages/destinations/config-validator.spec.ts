import type { ConfigSchema } from '@audience-sync/exporter-contract';
import { ConfigValidator } from './config-validator';

const schema: ConfigSchema = {
  type: 'object',
  properties: {
    serverAddress: { type: 'string', format: 'uri', 'x-order': 1, 'x-placeholder': 'https://…' },
    format: { type: 'string', enum: ['csv', 'ndjson'], default: 'csv' },
    retries: { type: 'integer', minimum: 0, maximum: 5 },
    fields: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      minItems: 1,
      'x-customer-fields': true,
    },
    auth: {
      type: 'object',
      properties: { kind: { type: 'string', enum: ['clientCredentials', 'delegated'] } },
      oneOf: [
        {
          type: 'object',
          properties: {
            kind: { const: 'clientCredentials' },
            tenantId: { type: 'string', format: 'uuid' },
            clientSecret: { type: 'string', 'x-secret': true },
          },
          required: ['tenantId', 'clientSecret'],
          additionalProperties: false,
        },
        {
          type: 'object',
          properties: {
            kind: { const: 'delegated' },
            tenantId: { type: 'string', format: 'uuid' },
          },
          required: ['tenantId'],
          additionalProperties: false,
        },
      ],
    },
  },
  required: ['serverAddress', 'auth'],
  additionalProperties: false,
};

const tenant = '6f1c1a52-3f5e-4a43-9d9a-1f1d8a0c2b11';

describe('ConfigValidator', () => {
  const validator = new ConfigValidator();

  it('accepts a valid configuration and fills in defaults, on a copy', () => {
    const input = {
      serverAddress: 'https://org.crm4.dynamics.com',
      auth: { kind: 'delegated', tenantId: tenant },
    };
    const { value, problems } = validator.validate(schema, input);
    expect(problems).toEqual([]);
    expect(value).toEqual({ ...input, format: 'csv' });
    expect(input).not.toHaveProperty('format');
  });

  it('names the path of every problem under `config`', () => {
    const { problems } = validator.validate(schema, {
      serverAddress: 'not a url',
      format: 'xml',
      retries: 2.5,
      fields: ['email', ''],
      colour: 'red',
      auth: { kind: 'clientCredentials', tenantId: 'nope' },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'config.serverAddress', message: 'must be a valid uri' },
        { path: 'config.format', message: 'must be one of: "csv", "ndjson"' },
        { path: 'config.retries', message: 'must be an integer' },
        { path: 'config.fields[1]', message: 'must NOT have fewer than 1 characters' },
        { path: 'config.colour', message: 'is not a setting of this destination type' },
        { path: 'config.auth.tenantId', message: 'must be a valid uuid' },
        { path: 'config.auth.clientSecret', message: 'is required' },
      ]),
    );
    expect(problems).toHaveLength(7);
  });

  it('speaks about the chosen alternative only, and about an unknown or missing one', () => {
    const chosen = validator.validate(schema, {
      serverAddress: 'https://x.example',
      auth: { kind: 'delegated', tenantId: tenant, clientSecret: 'x' },
    });
    expect(chosen.problems).toEqual([
      { path: 'config.auth.clientSecret', message: 'is not a setting of this destination type' },
    ]);
    const unknown = validator.validate(schema, {
      serverAddress: 'https://x.example',
      auth: { kind: 'password' },
    });
    expect(unknown.problems).toEqual([
      { path: 'config.auth.kind', message: 'must be one of: "clientCredentials", "delegated"' },
    ]);
    const missing = validator.validate(schema, { serverAddress: 'https://x.example', auth: {} });
    expect(missing.problems).toEqual([{ path: 'config.auth.kind', message: 'is required' }]);
    const wrongType = validator.validate(schema, {
      serverAddress: 'https://x.example',
      auth: 'secret',
    });
    expect(wrongType.problems).toContainEqual({
      path: 'config.auth',
      message: 'must be an object',
    });
  });

  it('names a missing top-level object and a wrong root', () => {
    expect(validator.validate(schema, {}).problems).toEqual([
      { path: 'config.serverAddress', message: 'is required' },
      { path: 'config.auth', message: 'is required' },
    ]);
    expect(validator.validate(schema, []).problems).toContainEqual({
      path: 'config',
      message: 'must be an object',
    });
  });

  it('compiles each schema once and refuses schemas with unknown keywords', () => {
    expect(validator.compile(schema)).toBe(validator.compile(schema));
    expect(() =>
      validator.compile({
        type: 'object',
        properties: { a: { type: 'string', maxLenght: 3 } as never },
      }),
    ).toThrow(/unknown keyword/);
  });
});
