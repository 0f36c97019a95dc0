import { startEmulator } from '@audience-sync/dataverse-emulator';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataverseErrorKind } from './errors';
import { HostAllowList } from './host-allow-list';
import { HttpTransport } from './http-transport';
import { createHttpsDispatcher } from './https-dispatcher';

/**
 * A small HTTPS server answering redirects, with a certificate for localhost/127.0.0.1 signed by
 * the emulator's CA (the emulator writes its TLS material to its data folder).
 */
describe('HttpTransport redirects and allow-list', () => {
  let dir: string;
  let server: Server;
  let port: number;
  let ca: string;
  let hits: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dv-transport-'));
    const emu = await startEmulator({ dataDir: dir, autosaveMs: 0 });
    await emu.stop();
    ca = readFileSync(join(dir, 'ca.pem'), 'utf8');
    hits = [];
    server = createServer(
      {
        cert: readFileSync(join(dir, 'server.pem')),
        key: readFileSync(join(dir, 'server-key.pem')),
      },
      (req, res) => {
        hits.push(req.url ?? '');
        const redirects: Record<string, string> = {
          '/same': '/final',
          '/other-host': `https://localhost:${port}/final`,
          '/loop': '/loop',
        };
        const target = Object.hasOwn(redirects, req.url ?? '') ? redirects[req.url ?? ''] : null;
        if (target !== null) {
          res.writeHead(302, { Location: target }).end();
        } else {
          res.writeHead(200, { 'Content-Type': 'text/plain' }).end('final');
        }
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const transport = () =>
    new HttpTransport(
      createHttpsDispatcher({ extraCaCertificates: [ca] }),
      new HostAllowList([`127.0.0.1:${port}`, `localhost:${port}`]),
    );

  it('follows a redirect within the same origin', async () => {
    const response = await transport().send({
      method: 'GET',
      url: `https://127.0.0.1:${port}/same`,
    });
    expect(response).toMatchObject({ status: 200, body: 'final' });
  });

  it('refuses a redirect to another host, even an allowed one, without following it', async () => {
    hits.length = 0;
    await expect(
      transport().send({ method: 'GET', url: `https://127.0.0.1:${port}/other-host` }),
    ).rejects.toMatchObject({
      kind: DataverseErrorKind.CONFIG,
      message: expect.stringMatching(
        /redirected to another host \(localhost:\d+\); redirects to other hosts are refused/,
      ),
    });
    expect(hits).toEqual(['/other-host']);
  });

  it('stops after a few redirects', async () => {
    await expect(
      transport().send({ method: 'GET', url: `https://127.0.0.1:${port}/loop` }),
    ).rejects.toMatchObject({ kind: DataverseErrorKind.PERMANENT, message: /more than 3 times/ });
  });

  it('refuses a URL outside the allow-list before connecting', async () => {
    hits.length = 0;
    const strict = new HttpTransport(
      createHttpsDispatcher({ extraCaCertificates: [ca] }),
      new HostAllowList(),
    );
    await expect(
      strict.send({ method: 'GET', url: `https://127.0.0.1:${port}/same` }),
    ).rejects.toMatchObject({
      kind: DataverseErrorKind.CONFIG,
      message: /Refused to call https:\/\/127\.0\.0\.1:\d+/,
    });
    expect(hits).toEqual([]);
  });
});
