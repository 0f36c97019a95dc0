import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DemoError } from './api-client';

export interface AppProcessOptions {
  /** The repository root (where `dist/src/main.js` is). */
  root: string;
  dataDir: string;
  /** The emulator's CA certificate (PEM file) and host:port to trust and allow. */
  caCertPath: string;
  allowedHost: string;
  /** PostgreSQL instead of SQLite (only when asked for explicitly). */
  databaseUrl?: string;
  logFile: string;
}

/**
 * Audience Sync as a child process running the built server (`dist/src/main.js`), configured
 * the way an operator would for the emulator: the emulator's CA through `EXTRA_CA_CERTS`, its
 * host through `ALLOWED_HOSTS`, a fresh data directory. Its log goes to a file.
 */
export class AppProcess {
  readonly token = `demo_${randomBytes(18).toString('base64url')}`;
  private child?: ChildProcess;
  private exited?: Promise<number | null>;
  url = '';

  constructor(private readonly options: AppProcessOptions) {}

  async start(): Promise<void> {
    const main = join(this.options.root, 'dist', 'src', 'main.js');
    if (!existsSync(main)) {
      throw new DemoError(`${main} is missing: build first (npm run demo builds it)`);
    }
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env };
    // Never the caller's own store or key: the demo makes its own.
    for (const name of ['DATABASE_URL', 'SECRET_KEY', 'API_TOKEN', 'EXPORT_FOLDERS']) {
      Reflect.deleteProperty(env, name);
    }
    Object.assign(env, {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: this.options.dataDir,
      API_TOKEN: this.token,
      EXTRA_CA_CERTS: this.options.caCertPath,
      ALLOWED_HOSTS: this.options.allowedHost,
      LOG_LEVEL: 'log',
      ...(this.options.databaseUrl ? { DATABASE_URL: this.options.databaseUrl } : {}),
    });
    const log = createWriteStream(this.options.logFile);
    const child = spawn(process.execPath, [main], {
      cwd: this.options.root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        resolve(code);
      });
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const code = await Promise.race([this.exited, sleep(200).then(() => 'running' as const)]);
      if (code !== 'running') {
        throw new DemoError(`Audience Sync stopped while starting (exit code ${String(code)})`);
      }
      if (await healthy(this.url)) return;
      if (Date.now() > deadline) throw new DemoError('Audience Sync did not start within 60 s');
    }
  }

  /** The last lines of the server's log (shown when something failed). */
  logTail(lines = 25): string {
    if (!existsSync(this.options.logFile)) return '';
    return readFileSync(this.options.logFile, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .join('\n');
  }

  /** Stops the server (SIGTERM, then SIGKILL after 10 s). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const stopped = await Promise.race([this.exited, sleep(10_000).then(() => 'timeout' as const)]);
    if (stopped === 'timeout') {
      child.kill('SIGKILL');
      await this.exited;
    }
  }
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`);
    return res.ok;
  } catch {
    return false;
  }
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released for the server). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}
