import { Injectable } from '@nestjs/common';
import { AppError } from '@platform/errors/app-error';
import { Db } from '@platform/database/db.service';
import { decodeCursor, encodeCursor } from '@stages/segments/segment.mapper';
import {
  LogOutcome,
  outcomeCode,
  outcomeName,
  reasonText,
  type LogOutcomeName,
  effectiveOutcome,
} from './member-log-codes';

/** One member of a run's log, as the API shows it. */
export interface MemberLogItem {
  segmentId: string;
  customerId: string | null;
  contactId: string | null;
  outcome: LogOutcomeName | 'pending';
  reason: string;
}

export interface MemberLogFilter {
  segmentId?: string;
  outcome?: LogOutcomeName;
  customerId?: string;
  contactId?: string;
}

export interface MemberLogPage {
  items: MemberLogItem[];
  /** Give it as `after` for the next page; null on the last one. */
  next: string | null;
}

interface LogRow {
  id: number | string;
  segment_id: string;
  key_field: string;
  settled: number | string;
}

interface MemberRow {
  log_id: number | string;
  member_key: string;
  customer_id: string;
  outcome: number | string;
  reason: number | string;
  text: string | null;
}

/** The position after a member: its log, key and customer (the primary key's order). */
type Position = [number, string, string];

/**
 * Reads a run's member log a page at a time, in the order of its primary key (segment log,
 * contact id, customer id), with keyset pagination: each page is one indexed range read.
 */
@Injectable()
export class MemberLogReader {
  constructor(private readonly db: Db) {}

  /** The run's segment logs (those of `segmentId`), in page order. */
  async logs(runId: string, segmentId?: string): Promise<LogRow[]> {
    return this.db.query<LogRow>(
      `SELECT id, segment_id, key_field, settled FROM export_log WHERE run_id = ?
       ${segmentId !== undefined ? 'AND segment_id = ?' : ''} ORDER BY id`,
      segmentId !== undefined ? [runId, segmentId] : [runId],
    );
  }

  async page(
    logs: LogRow[],
    filter: MemberLogFilter,
    limit: number,
    after: string | undefined,
  ): Promise<MemberLogPage> {
    if (logs.length === 0) return { items: [], next: null };
    const from = after === undefined ? undefined : parsePosition(after);
    const rows = await this.rows(logs, filter, limit + 1, from);
    const byId = new Map(logs.map((l) => [Number(l.id), l]));
    const items = rows.slice(0, limit).map((r) => toItem(r, logOf(byId, r)));
    const last = rows[limit - 1];
    return {
      items,
      next:
        rows.length > limit
          ? encodeCursor(JSON.stringify([Number(last.log_id), last.member_key, last.customer_id]))
          : null,
    };
  }

  /** Every matching member, a page at a time (for streaming answers). */
  async *all(
    logs: LogRow[],
    filter: MemberLogFilter,
    pageSize: number,
  ): AsyncIterable<MemberLogItem[]> {
    if (logs.length === 0) return;
    const byId = new Map(logs.map((l) => [Number(l.id), l]));
    let from: Position | undefined;
    for (;;) {
      const rows = await this.rows(logs, filter, pageSize, from);
      if (rows.length === 0) return;
      yield rows.map((r) => toItem(r, logOf(byId, r)));
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1];
      from = [Number(last.log_id), last.member_key, last.customer_id];
    }
  }

  private rows(
    logs: LogRow[],
    filter: MemberLogFilter,
    limit: number,
    from: Position | undefined,
  ): Promise<MemberRow[]> {
    const ids = logs.map((l) => Number(l.id));
    const where = [`m.log_id IN (${ids.map(() => '?').join(', ')})`];
    const params: unknown[] = [...ids];
    // Planned rows count as made in settled logs, and are not shown in the others.
    const settled = logs.filter((l) => Number(l.settled) === 1).map((l) => Number(l.id));
    const shown = filter.outcome
      ? [outcomeCode(filter.outcome)]
      : [LogOutcome.ADDED, LogOutcome.REMOVED, LogOutcome.SKIPPED, LogOutcome.FAILED];
    const planned = shown.flatMap((code) =>
      code === LogOutcome.ADDED
        ? [LogOutcome.PENDING_ADD]
        : code === LogOutcome.REMOVED
          ? [LogOutcome.PENDING_REMOVE]
          : [],
    );
    const marks = (xs: unknown[]) => xs.map(() => '?').join(', ');
    if (settled.length > 0 && planned.length > 0) {
      where.push(
        `(m.outcome IN (${marks(shown)}) OR (m.outcome IN (${marks(planned)}) AND m.log_id IN (${marks(settled)})))`,
      );
      params.push(...shown, ...planned, ...settled);
    } else {
      where.push(`m.outcome IN (${marks(shown)})`);
      params.push(...shown);
    }
    if (filter.customerId !== undefined) {
      where.push('m.customer_id = ?');
      params.push(filter.customerId);
    }
    if (filter.contactId !== undefined) {
      // Keys of case-insensitive destinations are kept in lower case.
      where.push('m.member_key IN (?, ?)');
      params.push(filter.contactId, filter.contactId.toLowerCase());
    }
    if (from) {
      where.push('(m.log_id, m.member_key, m.customer_id) > (?, ?, ?)');
      params.push(...from);
    }
    return this.db.query<MemberRow>(
      `SELECT m.log_id, m.member_key, m.customer_id, m.outcome, m.reason, d.text
       FROM export_member_log m LEFT JOIN export_log_detail d ON d.log_id = m.log_id AND d.id = m.detail
       WHERE ${where.join(' AND ')}
       ORDER BY m.log_id, m.member_key, m.customer_id LIMIT ?`,
      [...params, limit],
    );
  }
}

function toItem(r: MemberRow, log: LogRow): MemberLogItem {
  const outcome = effectiveOutcome(Number(r.outcome), Number(log.settled) === 1);
  return {
    segmentId: log.segment_id,
    customerId: r.customer_id === '' ? null : r.customer_id,
    contactId: r.member_key === '' ? null : r.member_key,
    outcome: outcomeName(outcome),
    reason: reasonText(outcome, Number(r.reason), r.text, {
      keyField: log.key_field,
      customerKnown: r.customer_id !== '',
    }),
  };
}

function parsePosition(after: string): Position {
  const text = decodeCursor(after);
  try {
    const value: unknown = text === undefined ? undefined : JSON.parse(text);
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === 'string' &&
      typeof value[2] === 'string'
    ) {
      return value as Position;
    }
  } catch {
    // not JSON: refused below
  }
  throw AppError.validation(
    'after',
    'is not a cursor this API gave out (use `next` of the previous page)',
  );
}

function logOf(byId: Map<number, LogRow>, r: MemberRow): LogRow {
  const log = byId.get(Number(r.log_id));
  if (!log) throw new Error(`member log ${String(r.log_id)} was not asked for`);
  return log;
}
