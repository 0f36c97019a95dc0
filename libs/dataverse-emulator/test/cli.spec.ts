import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { HttpsClient } from './support/https-client';
import { removeHook, runTs } from './support/ts-child';

// Each child compiles the sources it runs (a few seconds on a busy machine).
jest.setTimeout(120_000);

const CLI = resolve(__dirname, '../src/cli.ts');

async function appToken(http: HttpsClient, info: Record<string, string>): Promise<string> {
  const res = await http.send('POST', `${info.authority}/oauth2/v2.0/token`, {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: info.clientId,
      client_secret: info.clientSecret,
      grant_type: 'client_credentials',
      scope: `${info.url}/.default`,
    }).toString(),
  });
  expect(res.status).toBe(200);
  return res.json.access_token as string;
}

describe('CLI: npm run emulator -- …', () => {
  afterAll(removeHook);

  it('explains itself with --help and refuses a wrong command line (exit 2)', async () => {
    const [help, badPort, unknown] = [
      runTs(CLI, ['--help']),
      runTs(CLI, ['--port', 'abc']),
      runTs(CLI, ['--bogus']),
    ];
    expect(await help.exit).toBe(0);
    expect(help.stdout()).toMatch(/^Usage: dataverse-emulator \[--port 8443\]/);
    expect(await badPort.exit).toBe(2);
    expect(badPort.stderr()).toMatch(
      /^--port must be a non-negative integer \(got 'abc'\)\n\nUsage:/,
    );
    expect(await unknown.exit).toBe(2);
    expect(unknown.stderr()).toMatch(/Unknown option '--bogus'/);
  });

  it('--json prints one line with the connection facts; they work; SIGTERM stops it', async () => {
    const child = runTs(CLI, ['--port', '0', '--contacts', '3', '--json']);
    const info = JSON.parse(await child.firstLine()) as Record<string, string>;
    expect(Object.keys(info)).toEqual([
      'url',
      'authority',
      'tenantId',
      'clientId',
      'clientSecret',
      'caCertPath',
    ]);
    expect(info.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(info.authority).toBe(`${info.url}/${info.tenantId}`);
    const http = new HttpsClient(readFileSync(info.caCertPath, 'utf8'));
    try {
      const token = await appToken(http, info);
      const contacts = await http.send(
        'GET',
        `${info.url}/api/data/v9.2/contacts?$select=contactid`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      );
      expect(contacts.json.value).toHaveLength(3);
    } finally {
      await http.close();
    }
    child.process.kill('SIGTERM');
    expect(await child.exit).toBe(0);
    expect(existsSync(dirname(info.caCertPath))).toBe(false); // its temporary CA folder is gone
  });

  it('--data keeps the CA, identity and contacts across a restart (SIGINT saves)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-cli-'));
    try {
      const first = runTs(CLI, ['--port', '0', '--contacts', '2', '--data', dir]);
      await first.printed('Press Ctrl+C to stop.');
      expect(first.stdout()).toMatch(
        /^Dataverse emulator listening\n {2}Org URL \(serverAddress\) {2}https:/,
      );
      expect(first.stdout()).toContain(`CA certificate           ${join(dir, 'ca.pem')}`);
      expect(first.stdout()).toMatch(/Contacts {17}2\n/);
      const secret = /Client secret {12}(\S+)/.exec(first.stdout())?.[1];
      expect(secret).toBeDefined();
      first.process.kill('SIGINT');
      expect(await first.exit).toBe(0);
      expect(existsSync(join(dir, 'state.json'))).toBe(true);

      const second = runTs(CLI, ['--port', '0', '--contacts', '50', '--data', dir, '--json']);
      const info = JSON.parse(await second.firstLine()) as Record<string, string>;
      expect(info.caCertPath).toBe(join(dir, 'ca.pem'));
      expect(info.clientSecret).toBe(secret);
      const http = new HttpsClient(readFileSync(info.caCertPath, 'utf8'));
      try {
        const token = await appToken(http, info);
        const contacts = await http.send('GET', `${info.url}/api/data/v9.2/contacts`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(contacts.json.value).toHaveLength(2); // the saved state wins over --contacts
      } finally {
        await http.close();
      }
      second.process.kill('SIGTERM');
      expect(await second.exit).toBe(0);
      expect(existsSync(join(dir, 'ca.pem'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
