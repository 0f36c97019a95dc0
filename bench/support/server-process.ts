import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The app as a server process of its own (`dist/src/main.js`, plain `node`), so that a
 * benchmark measures the app's memory and CPU alone (not the data set generator's or the
 * uploading client's): peak resident set sampled from /proc every 20 ms, and CPU time.
 */
export class ServerProcess {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    this.timer = setInterval(() => {
      this.sample();
    }, 20);
    this.timer.unref();
  }

  /** Starts the app with `env` (DATA_DIR, API_TOKEN, DATABASE_URL…) and waits until it answers. */
  static async start(env: Record<string, string>): Promise<ServerProcess> {
    const port = await freePort();
    const main = join(__dirname, '..', '..', 'src', 'main.js');
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const server = new ServerProcess(child, `http://127.0.0.1:${port}`);
    try {
      await server.answering();
      return server;
    } catch (error) {
      await server.stop();
      throw error;
    }
  }

  private async answering(): Promise<void> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (this.child.exitCode !== null) {
        throw new Error(`the app exited with ${this.child.exitCode}`);
      }
      const ok = await fetch(`${this.url}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline) throw new Error('the app did not answer within 2 minutes');
      await sleep(100);
    }
  }

  /** Starts a new peak measurement from the current resident set. */
  reset(): void {
    this.peak = 0;
    this.sample();
  }

  /** Peak resident set since {@link reset}, in MB. */
  get peakMb(): number {
    this.sample();
    return Math.round(this.peak / 1024);
  }

  /** CPU time (user + system) the process has used, in seconds. */
  get cpuSeconds(): number {
    return processCpuSeconds(this.child.pid);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }

  private sample(): void {
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      this.peak = Math.max(this.peak, kb);
    } catch {
      // the process has exited
    }
  }
}

/** The app on `dataDir` (and `databaseUrl`, if any) with a random admin token, as benchmarks run it. */
export async function startBenchApp(
  dataDir: string,
  databaseUrl?: string,
): Promise<{ server: ServerProcess; token: string }> {
  const token = `bench_${randomBytes(16).toString('hex')}`;
  const server = await ServerProcess.start({
    DATA_DIR: dataDir,
    API_TOKEN: token,
    LOG_LEVEL: 'warn',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  return { server, token };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  });
}

/** CPU time (user + system) a process has used, in seconds, from /proc. */
export function processCpuSeconds(pid: number | undefined): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks
}
