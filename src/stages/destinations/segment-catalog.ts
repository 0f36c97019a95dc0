import { Injectable } from '@nestjs/common';
import { Db } from '@platform/database/db.service';

/** What an export needs to know about a segment. */
export interface SegmentInfo {
  id: string;
  name: string;
  description: string | null;
  active: boolean;
  /** When its membership was last materialized (null: never evaluated, nothing to export). */
  evaluatedAt: string | null;
  /** The rule changed since that evaluation (the membership is of the previous rule). */
  stale: boolean;
}

/** Reads segments (the segments module's `segment` table) for destinations and exports. */
@Injectable()
export class SegmentCatalog {
  constructor(private readonly db: Db) {}

  /** The segments of these ids that exist, by id. */
  async find(ids: string[]): Promise<Map<string, SegmentInfo>> {
    const out = new Map<string, SegmentInfo>();
    if (ids.length === 0) return out;
    const rows = await this.db.query<{
      id: string;
      name: string;
      description: string | null;
      active: boolean | number;
      evaluated_at: string | null;
      rule_version: number | string;
      evaluated_rule_version: number | string | null;
    }>(
      `SELECT id, name, description, active, evaluated_at, rule_version, evaluated_rule_version
       FROM segment WHERE id IN (${ids.map(() => '?').join(', ')})`,
      ids,
    );
    for (const r of rows) {
      out.set(r.id, {
        id: r.id,
        name: r.name,
        description: r.description,
        active: r.active === true || r.active === 1,
        evaluatedAt: r.evaluated_at,
        stale:
          r.evaluated_rule_version !== null &&
          Number(r.evaluated_rule_version) !== Number(r.rule_version),
      });
    }
    return out;
  }
}
