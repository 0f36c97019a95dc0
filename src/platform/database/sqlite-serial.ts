import type { DataSource, QueryRunner } from 'typeorm';
import { AsyncLock } from './async-lock';

/**
 * TypeORM shares one better-sqlite3 connection between all query runners, so two async
 * transactions (or a plain query issued while another flow's transaction awaits) would mix
 * on that connection. This makes the connection safe for concurrent async use: a transaction
 * holds {@link AsyncLock} from BEGIN to COMMIT/ROLLBACK, and every other statement waits for it.
 * The same lock is taken by {@link Db} for its bulk statements. PostgreSQL needs none of this
 * (each runner has its own pooled connection).
 */
export function serializeSqliteAccess(dataSource: DataSource, lock: AsyncLock): void {
  const driver = dataSource.driver as unknown as {
    createQueryRunner(mode: string): QueryRunner;
  };
  // The driver hands out one shared runner; each flow gets its own instead, so that
  // transaction state (and the lock) belongs to the flow that began the transaction.
  const Runner = driver.createQueryRunner('master').constructor as new (d: unknown) => QueryRunner;
  driver.createQueryRunner = () => guard(new Runner(driver), lock);
}

type Release = () => void;

function guard(runner: QueryRunner, lock: AsyncLock): QueryRunner {
  let held: Release | undefined;
  const query = runner.query.bind(runner);
  const start = runner.startTransaction.bind(runner);
  const commit = runner.commitTransaction.bind(runner);
  const rollback = runner.rollbackTransaction.bind(runner);
  const releaseRunner = runner.release.bind(runner);

  const releaseIfDone = () => {
    if (held && !runner.isTransactionActive) {
      held();
      held = undefined;
    }
  };

  runner.query = ((...args: Parameters<QueryRunner['query']>) =>
    held ? query(...args) : lock.run(() => query(...args))) as QueryRunner['query'];

  runner.startTransaction = async (isolationLevel) => {
    if (!held) held = await lock.acquire();
    try {
      await start(isolationLevel);
    } catch (error) {
      releaseIfDone();
      throw error;
    }
  };
  runner.commitTransaction = async () => {
    try {
      await commit();
    } finally {
      releaseIfDone();
    }
  };
  runner.rollbackTransaction = async () => {
    try {
      await rollback();
    } finally {
      releaseIfDone();
    }
  };
  runner.release = async () => {
    try {
      await releaseRunner();
    } finally {
      if (held) {
        held();
        held = undefined;
      }
    }
  };
  return runner;
}
