import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { Db } from '@platform/database/db.service';
import { Clock } from '@platform/clock/clock';
import { SECRET_KEY_FILE } from '@platform/secrets/secret-key-loader';
import { TestAudience } from './support/audience-fixtures';
import { exportNow } from './support/export-run-wait';
import {
  MEMORY_TYPE,
  registerMemoryDestination,
  type MemoryTarget,
} from './support/memory-destination';
import { startTestApp, type TestApp } from './support/test-app';
import { testDatabaseKind } from './support/test-database';
import { closeAll } from './support/close-all';

const SECRET = `client-secret-${randomBytes(8).toString('hex')}`;
const API_KEY = `api-key-${randomBytes(8).toString('hex')}`;
const REFRESH_TOKEN = `refresh-token-${randomBytes(8).toString('hex')}`;
const ALL_SECRETS = [SECRET, API_KEY, REFRESH_TOKEN];

describe('destinations API', () => {
  let t: TestApp;
  let target: MemoryTarget;
  let vip: string;
  let audience: TestAudience;
  /** Everything the process printed while the tests ran (its logs). */
  const printed: string[] = [];
  const restore: (() => void)[] = [];

  beforeAll(async () => {
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = (chunk: unknown, ...rest: unknown[]) => {
        printed.push(String(chunk));
        return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
      };
      restore.push(() => (stream.write = write));
    }
    t = await startTestApp({ env: { LOG_LEVEL: 'verbose' } });
    target = registerMemoryDestination(t);
    audience = new TestAudience(t);
    await audience.load([
      { id: 'a', contactId: randomUUID(), email: 'a@example.test', score: 1, groups: ['vip'] },
      { id: 'b', email: 'b@example.test', groups: ['vip'] },
    ]);
    vip = await audience.segment('VIP', 'vip');
  });
  afterAll(() => closeAll(t, ...restore));

  const memory = (overrides: Record<string, unknown> = {}) => ({
    type: MEMORY_TYPE,
    displayName: 'Sales EU',
    config: {
      apiKey: API_KEY,
      auth: {
        kind: 'clientCredentials',
        clientId: '6f1c1a52-3f5e-4a43-9d9a-1f1d8a0c2b11',
        clientSecret: SECRET,
      },
    },
    contactIdField: 'contactId',
    segmentIds: [vip],
    ...overrides,
  });

  it('lists the destination types with their configuration schemas', async () => {
    const res = await t.api().get('/api/destination-types').expect(200);
    const file = res.body.find((d: { type: string }) => d.type === 'file');
    expect(file).toMatchObject({
      displayName: 'Files (CSV or NDJSON)',
      exportStyle: 'snapshot',
      memberKey: null,
      syncModes: ['mirror'],
      secretFields: [],
      configSchema: {
        type: 'object',
        required: ['folder', 'fields'],
        properties: { fields: { type: 'array', 'x-customer-fields': true } },
      },
    });
    expect(res.body.find((d: { type: string }) => d.type === MEMORY_TYPE)).toMatchObject({
      secretFields: ['apiKey', 'auth.clientSecret', 'auth.refreshToken'],
      memberKey: { label: 'contact id' },
      signIn: { kind: 'device-code' },
    });
  });

  it('refuses an unknown type with an error naming `type`', async () => {
    const res = await t
      .api()
      .post('/api/destinations', { ...memory(), type: 'carrier-pigeon' })
      .expect(400);
    expect(res.body).toMatchObject({ error: 'VALIDATION', details: [{ path: 'type' }] });
    expect(res.body.details[0].message).toMatch(
      /^unknown destination type "carrier-pigeon"; known types: (.+, )?file, (.+, )?test-memory$/,
    );
  });

  it('reports every configuration problem at once, each with its path', async () => {
    const res = await t
      .api()
      .post('/api/destinations', {
        type: 'file',
        displayName: 'Files',
        config: { format: 'xml', fields: ['email', 'emial'], colour: 'red' },
        contactIdField: 'nope',
        segmentIds: [vip, 'no-such-segment'],
        syncMode: 'additive',
      })
      .expect(400);
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        { path: 'config.folder', message: 'is required' },
        { path: 'config.colour', message: 'is not a setting of this destination type' },
        { path: 'config.format', message: 'must be one of: "csv", "ndjson"' },
        {
          path: 'config.fields[1]',
          message: expect.stringMatching(
            /^"emial" is not a customer field; known fields: customerId, contactId, /,
          ),
        },
        {
          path: 'contactIdField',
          message: expect.stringMatching(/^"nope" is not a customer field/),
        },
        {
          path: 'syncMode',
          message: 'must be one of: mirror (Files (CSV or NDJSON) supports no other)',
        },
        { path: 'segmentIds[1]', message: 'segment "no-such-segment" does not exist' },
      ]),
    );
    expect(res.body.details).toHaveLength(7);
  });

  it("runs the type's own checks after the schema (folder outside the exports)", async () => {
    const res = await t
      .api()
      .post('/api/destinations', {
        type: 'file',
        displayName: 'Files',
        config: { folder: '../../etc', fields: ['email'] },
      })
      .expect(400);
    expect(res.body.details).toEqual([
      {
        path: 'config.folder',
        message: 'a relative folder must stay inside DATA_DIR/exports (no "..")',
      },
    ]);
  });

  it('validates alternatives by their discriminator and names nested fields', async () => {
    const bad = await t
      .api()
      .post('/api/destinations', {
        ...memory(),
        contactIdField: null,
        config: { auth: { kind: 'clientCredentials', clientId: 'not-a-uuid' } },
      })
      .expect(400);
    expect(bad.body.details).toEqual(
      expect.arrayContaining([
        { path: 'config.auth.clientId', message: 'must be a valid uuid' },
        { path: 'config.auth.clientSecret', message: 'is required' },
        {
          path: 'contactIdField',
          message: 'is required for Memory (tests): the customer field holding the contact id',
        },
      ]),
    );
    const kind = await t
      .api()
      .post('/api/destinations', { ...memory(), config: { auth: { kind: 'password' } } })
      .expect(400);
    expect(kind.body.details).toContainEqual({
      path: 'config.auth.kind',
      message: 'must be one of: "clientCredentials", "delegated"',
    });
    const missing = await t
      .api()
      .post('/api/destinations', { ...memory(), config: { auth: {} } })
      .expect(400);
    expect(missing.body.details).toContainEqual({
      path: 'config.auth.kind',
      message: 'is required',
    });
    const plugin = await t
      .api()
      .post('/api/destinations', {
        ...memory(),
        config: {
          region: 'us',
          auth: { kind: 'delegated', clientId: '6f1c1a52-3f5e-4a43-9d9a-1f1d8a0c2b11' },
        },
      })
      .expect(400);
    expect(plugin.body.details).toEqual([
      { path: 'config.auth.kind', message: 'delegated sign-in is not offered in the us region' },
    ]);
  });

  let id: string;

  it('creates a destination: secrets are stored, never returned; saving runs nothing', async () => {
    const res = await t.api().post('/api/destinations', memory()).expect(201);
    id = res.body.id;
    expect(res.body).toMatchObject({
      type: MEMORY_TYPE,
      displayName: 'Sales EU',
      config: { region: 'eu', auth: { kind: 'clientCredentials', clientId: expect.any(String) } },
      secrets: { apiKey: 'set', 'auth.clientSecret': 'set', 'auth.refreshToken': 'not set' },
      contactIdField: 'contactId',
      segmentIds: [vip],
      syncMode: 'mirror',
      enabled: true,
      signIn: null,
      lastRun: null,
    });
    expect(res.body.config.apiKey).toBeUndefined();
    expect(res.body.config.auth.clientSecret).toBeUndefined();
    const runs = await t.api().get(`/api/destinations/${id}/runs`).expect(200);
    expect(runs.body.items).toEqual([]);
    for (const body of [
      res.body,
      (await t.api().get(`/api/destinations/${id}`)).body,
      (await t.api().get('/api/destinations')).body,
    ]) {
      for (const secret of ALL_SECRETS) expect(JSON.stringify(body)).not.toContain(secret);
    }
    await t.api().post('/api/destinations', memory()).expect(409);
  });

  it('tests the connection with the stored secrets', async () => {
    const ok = await t.api().post(`/api/destinations/${id}/test`).expect(200);
    expect(ok.body).toEqual({ ok: true, message: 'Connected.', details: { lists: 0 } });
    expect(target.seenConfigs.at(-1)).toMatchObject({
      apiKey: API_KEY,
      auth: { clientSecret: SECRET },
    });
  });

  it('keeps a stored secret when an update leaves it out, replaces it when sent, clears it with null', async () => {
    const kept = await t
      .api()
      .put(`/api/destinations/${id}`, {
        displayName: 'Sales (EU)',
        config: {
          auth: { kind: 'clientCredentials', clientId: '6f1c1a52-3f5e-4a43-9d9a-1f1d8a0c2b11' },
        },
      })
      .expect(200);
    expect(kept.body).toMatchObject({
      displayName: 'Sales (EU)',
      secrets: { apiKey: 'set', 'auth.clientSecret': 'set' },
    });
    await t.api().post(`/api/destinations/${id}/test`).expect(200);
    expect(target.seenConfigs.at(-1)).toMatchObject({
      apiKey: API_KEY,
      auth: { clientSecret: SECRET },
    });

    const wrong = await t
      .api()
      .put(`/api/destinations/${id}`, {
        config: {
          auth: {
            kind: 'clientCredentials',
            clientId: '6f1c1a52-3f5e-4a43-9d9a-1f1d8a0c2b11',
            clientSecret: 'wrong',
          },
        },
      })
      .expect(200);
    expect(wrong.body.secrets['auth.clientSecret']).toBe('set');
    const refused = await t.api().post(`/api/destinations/${id}/test`).expect(200);
    expect(refused.body).toEqual({
      ok: false,
      code: 'AUTH',
      message: 'The client secret was refused: create a new one.',
    });

    const cleared = await t
      .api()
      .put(`/api/destinations/${id}`, {
        config: {
          apiKey: null,
          auth: {
            kind: 'clientCredentials',
            clientId: '6f1c1a52-3f5e-4a43-9d9a-1f1d8a0c2b11',
            clientSecret: SECRET,
          },
        },
      })
      .expect(200);
    expect(cleared.body.secrets).toEqual({
      apiKey: 'not set',
      'auth.clientSecret': 'set',
      'auth.refreshToken': 'not set',
    });

    const required = await t
      .api()
      .put(`/api/destinations/${id}`, {
        config: {
          auth: {
            kind: 'clientCredentials',
            clientId: '6f1c1a52-3f5e-4a43-9d9a-1f1d8a0c2b11',
            clientSecret: null,
          },
        },
      })
      .expect(400);
    expect(required.body.details).toEqual([
      { path: 'config.auth.clientSecret', message: 'is required' },
    ]);
    await t.api().put(`/api/destinations/${id}`, { type: 'file' }).expect(400);
  });

  it('drops a secret of an alternative that is no longer chosen, and refuses values the server sets', async () => {
    const delegated = await t
      .api()
      .put(`/api/destinations/${id}`, {
        config: {
          apiKey: API_KEY,
          auth: { kind: 'delegated', clientId: '6f1c1a52-3f5e-4a43-9d9a-1f1d8a0c2b11' },
        },
      })
      .expect(200);
    expect(delegated.body.secrets).toEqual({
      apiKey: 'set',
      'auth.clientSecret': 'not set',
      'auth.refreshToken': 'not set',
    });
    const readOnly = await t
      .api()
      .put(`/api/destinations/${id}`, {
        config: {
          auth: {
            kind: 'delegated',
            clientId: '6f1c1a52-3f5e-4a43-9d9a-1f1d8a0c2b11',
            refreshToken: 'typed',
          },
        },
      })
      .expect(400);
    expect(readOnly.body.details).toEqual([
      {
        path: 'config.auth.refreshToken',
        message:
          'is set by the server (sign-in), not by the API; leave it out to keep it, or send null to clear it',
      },
    ]);
  });

  it('signs in with a device code: pending, then signed in with the token stored sealed', async () => {
    const started = await t.api().post(`/api/destinations/${id}/sign-in`).expect(200);
    expect(started.body).toMatchObject({
      status: 'pending',
      userCode: 'ABCD-1234',
      verificationUri: 'https://login.example.test/device',
      expiresAt: expect.any(String),
    });
    const pending = await t.api().get(`/api/destinations/${id}`).expect(200);
    expect(pending.body.signIn).toMatchObject({ status: 'pending', userCode: 'ABCD-1234' });

    // The person signs in; the plugin completes through the sink.
    await target.pendingSignIn!.saveSecrets({ 'auth.refreshToken': REFRESH_TOKEN });
    await target.pendingSignIn!.saveAccount({ username: 'ada@contoso.example', name: 'Ada' });
    const done = await t.api().get(`/api/destinations/${id}`).expect(200);
    expect(done.body.signIn).toMatchObject({
      status: 'signed-in',
      user: { username: 'ada@contoso.example', name: 'Ada' },
      signedInAt: expect.any(String),
    });
    expect(done.body.signIn.userCode).toBeUndefined();
    expect(done.body.secrets['auth.refreshToken']).toBe('set');
    expect(JSON.stringify(done.body)).not.toContain(REFRESH_TOKEN);
    await t.api().post(`/api/destinations/${id}/test`).expect(200);
    expect(target.seenConfigs.at(-1)).toMatchObject({ auth: { refreshToken: REFRESH_TOKEN } });
    // The plugin rotated the token while testing; the core stored the new one, sealed.
    await t.api().post(`/api/destinations/${id}/test`).expect(200);
    expect(target.seenConfigs.at(-1)).toMatchObject({
      auth: { refreshToken: `${REFRESH_TOKEN}-rotated` },
    });
    await expect(target.pendingSignIn!.saveSecrets({ 'auth.other': 'x' })).rejects.toThrow(
      /not secret fields/,
    );
  });

  it('shows a failed and an expired sign-in', async () => {
    await t.api().post(`/api/destinations/${id}/sign-in`).expect(200);
    await target.pendingSignIn!.fail('The person declined the sign-in.');
    const failed = await t.api().get(`/api/destinations/${id}`).expect(200);
    expect(failed.body.signIn).toMatchObject({
      status: 'failed',
      message: 'The person declined the sign-in.',
    });

    await t.api().post(`/api/destinations/${id}/sign-in`).expect(200);
    const clock = t.app.get(Clock);
    const spy = jest.spyOn(clock, 'now').mockReturnValue(new Date(Date.now() + 60 * 60_000));
    try {
      const expired = await t.api().get(`/api/destinations/${id}`).expect(200);
      expect(expired.body.signIn).toMatchObject({
        status: 'expired',
        message: 'The sign-in code expired before anyone signed in: start the sign-in again.',
      });
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses a sign-in for types that have none', async () => {
    const file = await t
      .api()
      .post('/api/destinations', {
        type: 'file',
        displayName: 'Files',
        config: { folder: 'f', fields: ['email'] },
      })
      .expect(201);
    const res = await t.api().post(`/api/destinations/${file.body.id}/sign-in`).expect(400);
    expect(res.body).toMatchObject({
      details: [
        { path: 'type', message: 'Files (CSV or NDJSON) destinations have no interactive sign-in' },
      ],
    });
    await t.api().delete(`/api/destinations/${file.body.id}`).expect(204);
  });

  it('deletes a destination with its runs and checkpoints; what was exported stays in the target', async () => {
    await t
      .api()
      .put(`/api/destinations/${id}`, {
        config: {
          auth: {
            kind: 'clientCredentials',
            clientId: '6f1c1a52-3f5e-4a43-9d9a-1f1d8a0c2b11',
            clientSecret: SECRET,
          },
        },
      })
      .expect(200);
    const run = await exportNow(t, id);
    expect(run.status).toBe('succeeded');
    expect(target.membersOf('VIP')).toHaveLength(1);
    await t.api().delete(`/api/destinations/${id}`).expect(204);
    await t.api().get(`/api/destinations/${id}`).expect(404);
    await t.api().get(`/api/export-runs/${run.id}`).expect(404);
    const db = t.app.get(Db);
    const [left] = await db.query<{ n: number | string }>(
      'SELECT (SELECT COUNT(*) FROM export_target WHERE destination_id = ?) + (SELECT COUNT(*) FROM export_checkpoint) AS n',
      [id],
    );
    expect(Number(left.n)).toBe(0);
    expect(target.membersOf('VIP')).toHaveLength(1);
  });

  it('keeps a deleted segment in segmentIds without refusing updates, and skips it with a note', async () => {
    const temp = await audience.segment('Temporary', 'vip');
    const created = await t
      .api()
      .post('/api/destinations', {
        type: 'file',
        displayName: 'Files with a deleted segment',
        config: { folder: 'deleted', fields: ['email'] },
        segmentIds: [temp, vip],
      })
      .expect(201);
    await t.api().delete(`/api/segments/${temp}`).expect(204);
    const renamed = await t
      .api()
      .put(`/api/destinations/${created.body.id}`, { displayName: 'Files, renamed' })
      .expect(200);
    expect(renamed.body.segmentIds).toEqual([temp, vip]);
    const added = await t
      .api()
      .put(`/api/destinations/${created.body.id}`, { segmentIds: [temp, vip, 'nope'] })
      .expect(400);
    expect(added.body.details).toEqual([
      { path: 'segmentIds[2]', message: 'segment "nope" does not exist' },
    ]);
    const run = await exportNow(t, created.body.id);
    expect(run.status).toBe('succeeded');
    expect(run.segments[0]).toMatchObject({
      segmentId: temp,
      segmentName: null,
      status: 'skipped',
      notes: [
        `Segment ${temp} no longer exists: nothing exported (remove it from the destination).`,
      ],
    });
    expect(run.segments[1]).toMatchObject({ status: 'succeeded', members: 2 });
    await t.api().delete(`/api/destinations/${created.body.id}`).expect(204);
  });

  it('describes the routes in OpenAPI', async () => {
    const res = await request(t.url).get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/destination-types',
        '/api/destinations',
        '/api/destinations/{id}',
        '/api/destinations/{id}/test',
        '/api/destinations/{id}/sign-in',
        '/api/destinations/{id}/runs',
        '/api/destinations/{id}/targets',
        '/api/export-runs/{id}',
        '/api/export-runs/{id}/cancel',
      ]),
    );
  });

  it('never printed a secret in the logs, and stores none in plain text', async () => {
    const logs = printed.join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of ALL_SECRETS) expect(logs).not.toContain(secret);
    if (testDatabaseKind() === 'sqlite') {
      const files = readdirSync(t.dataDir).filter((f) => f.includes('.sqlite'));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const bytes = readFileSync(join(t.dataDir, file));
        for (const secret of ALL_SECRETS) expect(bytes.includes(Buffer.from(secret))).toBe(false);
      }
    } else {
      const db = t.app.get(Db);
      const rows = await db.query<{ row: string }>(
        `SELECT CAST(d.* AS text) AS row FROM destination d UNION ALL SELECT CAST(r.* AS text) FROM export_run r`,
      );
      const text = rows.map((r) => r.row).join('\n');
      for (const secret of ALL_SECRETS) expect(text).not.toContain(secret);
    }
  });
});

describe('destinations: secrets and the key', () => {
  it('stops the start naming the destination when its secrets were sealed with another key', async () => {
    const first = await startTestApp();
    try {
      registerMemoryDestination(first);
      const created = await first
        .api()
        .post('/api/destinations', {
          type: MEMORY_TYPE,
          displayName: 'Sealed',
          config: {
            auth: {
              kind: 'clientCredentials',
              clientId: '6f1c1a52-3f5e-4a43-9d9a-1f1d8a0c2b11',
              clientSecret: SECRET,
            },
          },
          contactIdField: 'customerId',
        })
        .expect(201);
      await first.stop();

      // SECRET_KEY takes over from the key file: old secrets still open and are sealed again.
      const key = randomBytes(32).toString('hex');
      const moved = await startTestApp({
        env: { SECRET_KEY: key },
        reuse: { dataDir: first.dataDir, database: first.database },
      });
      const sealed = await moved.app
        .get(Db)
        .query<{ secrets: string }>('SELECT secrets FROM destination WHERE id = ?', [
          created.body.id,
        ]);
      await moved.stop();
      // The key file is not needed any more.
      writeFileSync(
        join(first.dataDir, SECRET_KEY_FILE),
        `${randomBytes(32).toString('base64')}\n`,
      );
      const again = await startTestApp({
        env: { SECRET_KEY: key },
        reuse: { dataDir: first.dataDir, database: first.database },
      });
      await again.stop();
      expect(sealed[0].secrets).toMatch(/^enc:v1:[0-9a-f]{12}:/);

      // A wrong key: the start fails with the destination named, without the value.
      const error = await startTestApp({
        env: { SECRET_KEY: randomBytes(32).toString('hex') },
        reuse: { dataDir: first.dataDir, database: first.database },
      }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(
        new RegExp(
          `^The secrets of destination "Sealed" \\(${created.body.id}\\) cannot be decrypted: it was encrypted with key [0-9a-f]{12}, but the key in use is [0-9a-f]{12}`,
        ),
      );
      expect(error?.message).not.toContain(SECRET);
    } finally {
      await first.close();
    }
  });
});
