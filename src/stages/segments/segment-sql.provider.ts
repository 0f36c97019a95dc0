import type { Provider } from '@nestjs/common';
import type BetterSqlite3 from 'better-sqlite3';
import { Db } from '@platform/database/db.service';
import { SegmentSql } from './segment-sql';
import { FOLD_FUNCTION, foldSqlValue } from './text-fold';

/**
 * Builds {@link SegmentSql} for the configured store: on SQLite it registers the case-folding
 * function on the connection; on PostgreSQL it checks for the ICU root collation.
 */
export const segmentSqlProvider: Provider = {
  provide: SegmentSql,
  inject: [Db],
  useFactory: async (db: Db): Promise<SegmentSql> => {
    if (db.kind === 'sqlite') {
      const connection = (
        db.dataSource.driver as unknown as { databaseConnection: BetterSqlite3.Database }
      ).databaseConnection;
      connection.function(
        FOLD_FUNCTION,
        { deterministic: true },
        (value: unknown) => foldSqlValue(value) as string,
      );
      return new SegmentSql(db.dialect);
    }
    const icu = await db.query("SELECT 1 AS ok FROM pg_collation WHERE collname = 'und-x-icu'");
    return new SegmentSql(db.dialect, icu.length > 0);
  },
};
