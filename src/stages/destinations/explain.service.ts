import { Injectable } from '@nestjs/common';
import { AppError } from '@platform/errors/app-error';
import { Db } from '@platform/database/db.service';
import { CUSTOMER_ID_FIELD } from '@stages/contract/customer-field';
import { CheckpointStatus } from './checkpoint-store';
import type { Destination } from './destination.entity';
import { DestinationsService } from './destinations.service';
import { effectiveOutcome, LogOutcome, outcomeName, reasonText } from './member-log-codes';
import { SegmentCatalog, type SegmentInfo } from './segment-catalog';
import { explainSentence, type SegmentFacts } from './explain-sentence';

/** What the last export run of a segment did with the customer. */
export interface LastRunView {
  runId: string;
  at: string;
  /** `unchanged`: the run logged nothing for this customer (nothing to do, or already there). */
  outcome: 'added' | 'removed' | 'skipped' | 'failed' | 'pending' | 'unchanged';
  reason: string | null;
}

export interface SegmentExplanation {
  segmentId: string;
  segmentName: string | null;
  member: boolean;
  /** When the customer joined the segment (null: not a member, or joined before this was kept). */
  memberSince: string | null;
  hasContactId: boolean;
  contactId: string | null;
  /** Whether the contact was found in the target at the last export (null: not known). */
  foundInTarget: boolean | null;
  /** Whether the target holds the customer as far as the exports know. */
  onList: boolean;
  lastRun: LastRunView | null;
  explanation: string;
}

export interface Explanation {
  destinationId: string;
  destinationName: string;
  customerId: string;
  contactIdField: string;
  contactId: string | null;
  segments: SegmentExplanation[];
}

interface Customer {
  customerId: string;
  fields: Record<string, unknown>;
}

/**
 * "Why is this customer (not) on the list": for each segment of a destination, the membership,
 * the contact id, what the checkpoint holds and what the last run's member log says.
 */
@Injectable()
export class ExplainService {
  constructor(
    private readonly db: Db,
    private readonly destinations: DestinationsService,
    private readonly catalog: SegmentCatalog,
  ) {}

  async explain(
    destinationId: string,
    by: { customerId?: string; contactId?: string },
  ): Promise<Explanation> {
    if ((by.customerId === undefined) === (by.contactId === undefined)) {
      throw AppError.validation(
        by.customerId === undefined ? 'customerId' : 'contactId',
        'give either customerId or contactId (exactly one)',
      );
    }
    const d = await this.destinations.entity(destinationId);
    const keyField = d.contactIdField ?? CUSTOMER_ID_FIELD;
    const lowerCase = this.caseInsensitive(d);
    const customer =
      by.customerId !== undefined
        ? await this.byCustomerId(by.customerId)
        : await this.byKey(keyField, by.contactId ?? '', lowerCase);
    if (!customer) {
      throw by.customerId !== undefined
        ? AppError.notFound('Customer', by.customerId)
        : AppError.notFound(`Customer with ${keyField}`, by.contactId ?? '');
    }
    const raw = keyField === CUSTOMER_ID_FIELD ? customer.customerId : customer.fields[keyField];
    const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : '';
    const key = text === '' ? null : lowerCase ? text.toLowerCase() : text;
    const segments = await this.catalog.find(d.segmentIds);
    const out: SegmentExplanation[] = [];
    for (const segmentId of d.segmentIds) {
      out.push(await this.segment(d, segments.get(segmentId), segmentId, customer, key, keyField));
    }
    return {
      destinationId: d.id,
      destinationName: d.displayName,
      customerId: customer.customerId,
      contactIdField: keyField,
      contactId: key,
      segments: out,
    };
  }

  private async segment(
    d: Destination,
    segment: SegmentInfo | undefined,
    segmentId: string,
    customer: Customer,
    key: string | null,
    keyField: string,
  ): Promise<SegmentExplanation> {
    const membership = first(
      await this.db.query<{ since: string | null }>(
        'SELECT since FROM segment_member WHERE segment_id = ? AND customer_id = ?',
        [segmentId, customer.customerId],
      ),
    );
    const checkpoint = first(
      key
        ? await this.db.query<{ status: number | string }>(
            `SELECT cp.status FROM export_checkpoint cp JOIN export_target t ON t.id = cp.target_id
           WHERE t.destination_id = ? AND t.segment_id = ? AND cp.member_key = ?`,
            [d.id, segmentId, key],
          )
        : [],
    );
    const status = checkpoint ? Number(checkpoint.status) : null;
    const lastRun = await this.lastRun(d.id, segmentId, customer.customerId, key, keyField);
    const foundInTarget =
      status === CheckpointStatus.HELD
        ? true
        : status === CheckpointStatus.NOT_FOUND
          ? false
          : lastRun?.outcome === 'added'
            ? true
            : null;
    const facts: SegmentFacts = {
      destinationName: d.displayName,
      syncMode: d.syncMode,
      keyField,
      segmentName: segment?.name ?? null,
      segmentActive: segment?.active ?? false,
      member: membership !== undefined,
      memberSince: membership?.since ?? null,
      key,
      checkpoint: status,
      lastRun,
    };
    return {
      segmentId,
      segmentName: segment?.name ?? null,
      member: facts.member,
      memberSince: facts.memberSince,
      hasContactId: key !== null,
      contactId: key,
      foundInTarget,
      onList: status === CheckpointStatus.HELD,
      lastRun,
      explanation: explainSentence(facts),
    };
  }

  private async lastRun(
    destinationId: string,
    segmentId: string,
    customerId: string,
    key: string | null,
    keyField: string,
  ): Promise<LastRunView | null> {
    const log = first(
      await this.db.query<{
        id: number | string;
        run_id: string;
        created_at: string;
        settled: number | string;
      }>(
        `SELECT id, run_id, created_at, settled FROM export_log WHERE destination_id = ? AND segment_id = ?
       ORDER BY id DESC LIMIT 1`,
        [destinationId, segmentId],
      ),
    );
    if (!log) return null;
    const row = first(
      await this.db.query<{
        outcome: number | string;
        reason: number | string;
        text: string | null;
      }>(
        `SELECT m.outcome, m.reason, d.text FROM export_member_log m
       LEFT JOIN export_log_detail d ON d.log_id = m.log_id AND d.id = m.detail
       WHERE m.log_id = ? AND m.member_key IN (?, '') AND m.customer_id = ?`,
        [Number(log.id), key ?? '', customerId],
      ),
    );
    if (!row) return { runId: log.run_id, at: log.created_at, outcome: 'unchanged', reason: null };
    const outcome = effectiveOutcome(Number(row.outcome), Number(log.settled) === 1);
    return {
      runId: log.run_id,
      at: log.created_at,
      outcome:
        outcome === LogOutcome.PENDING_ADD || outcome === LogOutcome.PENDING_REMOVE
          ? 'pending'
          : outcomeName(outcome),
      reason: reasonText(outcome, Number(row.reason), row.text, { keyField, customerKnown: true }),
    };
  }

  private caseInsensitive(d: Destination): boolean {
    try {
      return this.destinations.plugin(d).description.memberKey?.caseInsensitive === true;
    } catch {
      return false; // the type is not installed: keys compare as stored
    }
  }

  private async byCustomerId(id: string): Promise<Customer | undefined> {
    const read = (customerId: string) =>
      this.db.query<{ customer_id: string; fields: string | Record<string, unknown> }>(
        'SELECT customer_id, fields FROM customer WHERE customer_id = ?',
        [customerId],
      );
    let row = first(await read(id));
    if (!row) {
      // A previous id of a customer that was merged into another.
      const alias = first(
        await this.db.query<{ customer_id: string }>(
          'SELECT customer_id FROM customer_alias WHERE previous_id = ?',
          [id],
        ),
      );
      if (alias) row = first(await read(alias.customer_id));
    }
    return row ? toCustomer(row) : undefined;
  }

  /** The customer carrying this contact id (the first by id when several do). */
  private async byKey(
    keyField: string,
    value: string,
    lowerCase: boolean,
  ): Promise<Customer | undefined> {
    if (keyField === CUSTOMER_ID_FIELD) return this.byCustomerId(value);
    const json = this.db.dialect.jsonText('c.fields', keyField);
    const expr = this.db.kind === 'sqlite' ? `CAST(${json} AS TEXT)` : json;
    const row = first(
      await this.db.query<{
        customer_id: string;
        fields: string | Record<string, unknown>;
      }>(
        `SELECT c.customer_id, c.fields FROM customer c
       WHERE ${lowerCase ? `lower(${expr})` : expr} = ? ORDER BY c.customer_id LIMIT 1`,
        [lowerCase ? value.toLowerCase() : value],
      ),
    );
    return row ? toCustomer(row) : undefined;
  }
}

function toCustomer(row: {
  customer_id: string;
  fields: string | Record<string, unknown>;
}): Customer {
  return {
    customerId: row.customer_id,
    fields: (typeof row.fields === 'string' ? JSON.parse(row.fields) : row.fields) as Record<
      string,
      unknown
    >,
  };
}

function first<T>(rows: T[]): T | undefined {
  return rows.at(0);
}
