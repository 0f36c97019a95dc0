import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { AsyncLock } from '@platform/database/async-lock';
import { dataSourceOptions } from '@platform/database/data-source-options';
import { Db } from '@platform/database/db.service';
import { serializeSqliteAccess } from '@platform/database/sqlite-serial';
import { lockSessionName } from '@platform/locks/pg-lock-session';
import { ProcessIdentity, type ProcessRef } from '@platform/locks/process-identity';
import { RunLocks, type RunLockOptions } from '@platform/locks/run-locks';

/** Where an application keeps its store (a test app, or a spec's data directory and URL). */
export interface StoreLocation {
  dataDir: string;
  databaseUrl?: string;
}

/**
 * Another process on the same database, as far as run locks can tell: its own connections and
 * {@link RunLocks}, and by default the identity of a live child process on this host (so its
 * death is real). `as` gives it another identity (another host) instead.
 */
export interface OtherProcess {
  db: Db;
  locks: RunLocks;
  identity: ProcessRef;
  /** Dies without releasing: the child process is killed (SQLite: its pid is dead) and, on
   * PostgreSQL, the server ends the sessions holding its locks. */
  crash(): Promise<void>;
  /** Shuts down cleanly (releases what it holds). */
  close(): Promise<void>;
}

/** Waits for a condition (the server ends a session a moment after it is told to). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function otherProcess(
  store: StoreLocation,
  options: RunLockOptions & { as?: Omit<ProcessRef, 'bootId'> } = {},
): Promise<OtherProcess> {
  const child: ChildProcess | undefined = options.as
    ? undefined
    : spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
  const identity: ProcessRef = {
    host: options.as?.host ?? hostname(),
    pid: options.as?.pid ?? child!.pid!,
    bootId: randomUUID(),
  };
  const lock = new AsyncLock();
  const dataSource = new DataSource({
    ...dataSourceOptions({ DATA_DIR: store.dataDir, DATABASE_URL: store.databaseUrl }),
    migrationsRun: false,
  });
  if (!store.databaseUrl) serializeSqliteAccess(dataSource, lock);
  await dataSource.initialize();
  const db = new Db(dataSource, lock);
  // Renews only when a test asks (a crashed process must not go on renewing in the background).
  const locks = new RunLocks(db, new ProcessIdentity(identity), {
    renewMs: 3_600_000,
    ...options,
  });
  const killChild = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };
  let closed = false;
  const shut = async (release: boolean) => {
    if (closed) return;
    closed = true;
    if (release) await locks.beforeApplicationShutdown();
    await dataSource.destroy();
    await killChild();
  };
  return {
    db,
    locks,
    identity,
    crash: async () => {
      await killChild();
      if (store.databaseUrl) {
        // The server ends the holder's sessions, as it does when their process dies.
        const sessions = await db.query<{ pid: number }>(
          'SELECT pid FROM pg_stat_activity WHERE application_name = ?',
          [lockSessionName(identity)],
        );
        for (const { pid } of sessions) {
          await db.query('SELECT pg_terminate_backend(?)', [pid]);
          await until(
            async () =>
              (
                await db.query(
                  'SELECT pid FROM pg_stat_activity WHERE pid = ? UNION SELECT pid FROM pg_locks WHERE pid = ?',
                  [pid, pid],
                )
              ).length === 0,
          );
        }
      }
      await shut(false);
    },
    close: () => shut(true),
  };
}
