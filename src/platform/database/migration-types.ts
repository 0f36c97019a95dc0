import type { QueryRunner } from 'typeorm';

/** Column types for hand-written migrations, spelled for the store the runner talks to. */
export function columnTypes(runner: QueryRunner) {
  const pg = runner.dataSource.options.type === 'postgres';
  return {
    pg,
    /** JSON read by hot-path SQL (`json_extract` / `->>`). */
    json: pg ? 'jsonb' : 'text',
    /** JSON of configuration objects (TypeORM `simple-json`). */
    simpleJson: 'text',
    /** Timestamps of entities (TypeORM `Date` columns). */
    timestamp: pg ? 'timestamp' : 'datetime',
    bool: 'boolean',
    real: pg ? 'double precision' : 'real',
    bigint: pg ? 'bigint' : 'integer',
    now: pg ? 'now()' : "(datetime('now'))",
  };
}
