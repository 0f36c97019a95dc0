import {
  secretPaths,
  type DestinationPlugin,
  type DestinationTypeDescription,
  type PluginEnvironment,
} from '@audience-sync/exporter-contract';
import { AppError, ErrorCode } from '@platform/errors/app-error';
import { ConfigValidator } from './config-validator';
import { PluginRegistry } from './plugin-registry';

const env: PluginEnvironment = {
  extraCaCertificates: [],
  allowedHosts: [],
  dataDir: '/tmp/exports',
  logger: {
    log: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    debug: () => undefined,
  },
  now: () => new Date(),
};

function description(
  overrides: Partial<DestinationTypeDescription> = {},
): DestinationTypeDescription {
  const configSchema: DestinationTypeDescription['configSchema'] = {
    type: 'object',
    properties: {
      url: { type: 'string', format: 'uri' },
      token: { type: 'string', 'x-secret': true },
    },
    required: ['url'],
  };
  return {
    type: 'example',
    displayName: 'Example',
    description: 'An example.',
    configSchema,
    secretFields: secretPaths(configSchema),
    syncModes: ['mirror', 'additive'],
    defaultSyncMode: 'mirror',
    memberKey: { label: 'id', description: 'the id' },
    exportStyle: 'changes',
    ...overrides,
  };
}

function plugin(d: DestinationTypeDescription, close?: () => Promise<void>): DestinationPlugin {
  return {
    description: d,
    validateConfig: () => [],
    testConnection: () => Promise.resolve({ ok: true, message: 'ok' }),
    exportSegment: () => Promise.reject(new Error('not in this spec')),
    close,
  };
}

describe('PluginRegistry', () => {
  const validator = new ConfigValidator();

  it('creates each plugin once from its factory with the environment, and lists the descriptions', () => {
    const seen: PluginEnvironment[] = [];
    const registry = new PluginRegistry(
      [
        (e) => (seen.push(e), plugin(description())),
        () => plugin(description({ type: 'other', memberKey: null, exportStyle: 'snapshot' })),
      ],
      env,
      validator,
    );
    expect(seen).toEqual([env]);
    expect(registry.descriptions().map((d) => d.type)).toEqual(['example', 'other']);
    expect(registry.get('other').description.displayName).toBe('Example');
    expect(registry.has('nope')).toBe(false);
  });

  it('answers an unknown type with a typed validation error naming `type`', () => {
    const registry = new PluginRegistry([() => plugin(description())], env, validator);
    let error: unknown;
    try {
      registry.get('carrier-pigeon');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: ErrorCode.VALIDATION,
      details: [
        {
          path: 'type',
          message: 'unknown destination type "carrier-pigeon"; known types: example',
        },
      ],
    });
  });

  it.each([
    [{ type: 'Bad Type' }, 'its type id must be lower-case letters, digits and dashes'],
    [{ syncModes: [] }, 'it offers no sync mode'],
    [{ syncModes: ['additive'] as const }, 'defaultSyncMode "mirror" is not among its syncModes'],
    [{ secretFields: [] }, 'x-secret "token" is missing from secretFields'],
    [
      { secretFields: ['token', 'password'] },
      'secret field "password" is not an x-secret string of its schema',
    ],
    [{ memberKey: null }, 'a "changes" destination needs a memberKey'],
  ] as [Partial<DestinationTypeDescription>, string][])(
    'refuses an inconsistent description (%j)',
    (overrides, problem) => {
      expect(
        () => new PluginRegistry([() => plugin(description(overrides))], env, validator),
      ).toThrow(problem);
    },
  );

  it('refuses two plugins of one type and a schema that does not compile', () => {
    expect(
      () =>
        new PluginRegistry(
          [() => plugin(description()), () => plugin(description())],
          env,
          validator,
        ),
    ).toThrow(
      'Destination plugin "example" cannot be registered: another plugin has the same type id',
    );
    const broken = description({
      configSchema: { type: 'object', properties: { n: { type: 'number', minimun: 1 } as never } },
      secretFields: [],
    });
    expect(() => new PluginRegistry([() => plugin(broken)], env, validator)).toThrow(
      /configSchema does not compile/,
    );
  });

  it('closes every plugin at shutdown, even when one fails to', async () => {
    const closed: string[] = [];
    const registry = new PluginRegistry(
      [
        () => plugin(description(), () => Promise.reject(new Error('boom'))),
        () =>
          plugin(description({ type: 'other' }), () => {
            closed.push('other');
            return Promise.resolve();
          }),
      ],
      env,
      validator,
    );
    await registry.onApplicationShutdown();
    expect(closed).toEqual(['other']);
  });
});
