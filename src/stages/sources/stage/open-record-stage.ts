import type { Db } from '@platform/database/db.service';
import { PostgresRecordStage } from './postgres-record-stage';
import type { RecordStage } from './record-stage';
import { SqliteRecordStage } from './sqlite-record-stage';

/** Opens a stage on the app's store. */
export function openRecordStage(db: Db): Promise<RecordStage> {
  return db.kind === 'postgres' ? PostgresRecordStage.open(db) : SqliteRecordStage.open(db);
}
