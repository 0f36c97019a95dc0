import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { In, Not, QueryFailedError, Repository } from 'typeorm';
import { AppError, ErrorCode } from '@platform/errors/app-error';
import { AppConfig } from '@platform/config/app-config';
import { AsyncLock } from '@platform/database/async-lock';
import { Db } from '@platform/database/db.service';
import { StageCanceled, type StageContext, type StageOutcome } from '@stages/contract/stage';
import { Clock } from '@platform/clock/clock';
import { CustomerFieldsService } from '@stages/customers/customer-fields.service';
import type { SegmentBodyDto } from './dto/segment.dto';
import type { MembersPage, PreviewResult, SegmentView } from './segment.view';
import { MembershipWriter, type MembershipChange } from './membership.writer';
import type { CheckedNode } from './checked-rule';
import { PreviewReader } from './preview.reader';
import { compileRule } from './rule-compiler';
import { checkRuleCost } from './rule-cost';
import { validateRule, type FieldTypes } from './rule-validator';
import { decodeCursor, encodeCursor, toCustomerRow, toSegmentView } from './segment.mapper';
import { Segment } from './segment.entity';
import { CUSTOMER_ALIAS, SegmentSql } from './segment-sql';
import { CUSTOMER_ID_FIELD } from '@stages/contract/customer-field';
import { foldText } from './text-fold';
import { uuidV7 } from '@platform/ids/uuid-v7';

const DEFAULT_PAGE = 100;
const DEFAULT_SAMPLE = 10;

/**
 * Segments: their configuration, rule validation against the customer fields, preview, and
 * materialized membership (evaluated by the refresh pipeline's `segments` stage through
 * {@link evaluateAll}, or one at a time through {@link evaluate}).
 *
 * For other modules (destinations): membership is the plain table
 * `segment_member(segment_id, customer_id)`; {@link findByIds} answers the segments themselves.
 */
@Injectable()
export class SegmentsService {
  private readonly logger = new Logger('Segments');
  /** One evaluation of a segment at a time in this process. */
  private readonly locks = new Map<string, AsyncLock>();

  constructor(
    @InjectRepository(Segment) private readonly repo: Repository<Segment>,
    private readonly db: Db,
    private readonly sql: SegmentSql,
    private readonly writer: MembershipWriter,
    private readonly previews: PreviewReader,
    private readonly fields: CustomerFieldsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async list(): Promise<SegmentView[]> {
    const segments = await this.repo.find({ order: { name: 'ASC' } });
    return segments.map(toSegmentView);
  }

  async get(id: string): Promise<SegmentView> {
    return toSegmentView(await this.load(id));
  }

  /** The segments with these ids (missing ids are left out). */
  async findByIds(ids: string[]): Promise<SegmentView[]> {
    if (ids.length === 0) return [];
    return (await this.repo.findBy({ id: In(ids) })).map(toSegmentView);
  }

  async create(body: SegmentBodyDto): Promise<SegmentView> {
    const name = this.checkName(body.name);
    checkRuleCost(validateRule(body.rule, await this.fieldTypes()));
    await this.assertNameFree(name);
    const segment = this.repo.create({
      id: uuidV7(),
      name,
      nameKey: foldText(name),
      description: blankToNull(body.description),
      active: body.active ?? true,
      rule: body.rule,
      ruleVersion: 1,
      size: 0,
      evaluatedAt: null,
      evaluatedRuleVersion: null,
      lastAdded: 0,
      lastRemoved: 0,
      lastError: null,
      lastErrorAt: null,
    });
    await this.saveUnique(segment);
    // Evaluated at once, so its size is the preview's count (a failure is recorded on it).
    if (segment.active) {
      await this.evaluate(segment.id).catch((error: unknown) => {
        this.logger.warn(`New segment "${name}" was not evaluated: ${(error as Error).message}`);
      });
    }
    return this.get(segment.id);
  }

  /** Replaces name, description, active and rule (PUT). A changed rule makes membership stale. */
  async update(id: string, body: SegmentBodyDto): Promise<SegmentView> {
    const segment = await this.load(id);
    const name = this.checkName(body.name);
    checkRuleCost(validateRule(body.rule, await this.fieldTypes()));
    await this.assertNameFree(name, id);
    const ruleChanged = JSON.stringify(segment.rule) !== JSON.stringify(body.rule);
    segment.name = name;
    segment.nameKey = foldText(name);
    segment.description = blankToNull(body.description);
    segment.active = body.active ?? true;
    segment.rule = body.rule;
    if (ruleChanged) segment.ruleVersion += 1;
    await this.saveUnique(segment);
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    await this.load(id);
    await this.lockOf(id).run(() =>
      this.db.atomic([
        { sql: 'DELETE FROM segment_member WHERE segment_id = ?', params: [id] },
        { sql: 'DELETE FROM segment WHERE id = ?', params: [id] },
      ]),
    );
    this.locks.delete(id);
  }

  /**
   * How many customers a rule matches now, with the first few, without saving anything. A rule
   * too costly to run is refused before it runs, or stopped at the time limit (400).
   */
  async preview(
    rule: unknown,
    sampleSize = DEFAULT_SAMPLE,
    keyField?: string,
  ): Promise<PreviewResult> {
    const types = await this.fieldTypes();
    const checked = validateRule(rule, types);
    checkRuleCost(checked);
    if (keyField !== undefined && (!types.has(keyField) || keyField === CUSTOMER_ID_FIELD)) {
      throw AppError.validation('keyField', `"${keyField}" is not a customer field`);
    }
    return this.previews.read(
      compileRule(checked, this.sql, this.clock.now()),
      sampleSize,
      this.config.SEGMENT_QUERY_TIMEOUT_MS,
      keyField === undefined
        ? undefined
        : {
            field: keyField,
            expression: this.sql.dialect.jsonText(`${CUSTOMER_ALIAS}.fields`, keyField),
          },
    );
  }

  /** One page of members with their fields, in customer-id order. */
  async members(id: string, limit = DEFAULT_PAGE, cursor?: string): Promise<MembersPage> {
    await this.load(id);
    let after = '';
    if (cursor !== undefined) {
      const decoded = decodeCursor(cursor);
      if (decoded === undefined)
        throw AppError.validation('cursor', 'is not a cursor this API gave out');
      after = decoded;
    }
    const rows = await this.db.query<{ customer_id: string; fields: unknown }>(
      `SELECT m.customer_id, c.fields FROM segment_member m
       LEFT JOIN customer c ON c.customer_id = m.customer_id
       WHERE m.segment_id = ? AND m.customer_id > ? ORDER BY m.customer_id LIMIT ?`,
      [id, after, limit + 1],
    );
    const more = rows.length > limit;
    const items = rows.slice(0, limit).map(toCustomerRow);
    return { items, nextCursor: more ? encodeCursor(items[items.length - 1].customerId) : null };
  }

  /** Evaluates one active segment now (the API's "evaluate" button). */
  async evaluate(id: string): Promise<SegmentView> {
    const segment = await this.load(id);
    if (!segment.active) {
      throw AppError.conflict(`Segment "${segment.name}" is inactive; activate it to evaluate it`);
    }
    const fields = await this.fieldTypes();
    let checked: CheckedNode;
    try {
      checked = validateRule(segment.rule, fields);
    } catch (error) {
      const message = await this.recordFailure(segment, error);
      const details = error instanceof AppError ? error.details : [];
      throw new AppError(
        ErrorCode.CONFLICT,
        `Segment "${segment.name}" cannot be evaluated: ${message}`,
        details,
      );
    }
    try {
      checkRuleCost(checked);
      await this.evaluateChecked(segment, checked, this.clock.now());
    } catch (error) {
      await this.recordFailure(segment, error);
      throw error;
    }
    return this.get(id);
  }

  /**
   * The refresh pipeline's `segments` stage: evaluates every active segment against the same
   * "now". A segment that fails (its rule no longer fits the fields, a database error) keeps
   * its previous membership and the stage is `partial`; `failed` only when every segment
   * failed; `skipped` when no segment is active. A cancel stops between segments (and between
   * chunks of one); segments already evaluated keep their new membership.
   */
  async evaluateAll(ctx: StageContext): Promise<StageOutcome> {
    const segments = await this.repo.find({ where: { active: true }, order: { name: 'ASC' } });
    if (segments.length === 0) {
      return { status: 'skipped', figures: { segments: 0 }, errors: ['no active segments'] };
    }
    const fields = await this.fieldTypes();
    const now = this.clock.now();
    const totals = {
      segments: segments.length,
      evaluated: 0,
      failed: 0,
      members: 0,
      added: 0,
      removed: 0,
    };
    const errors: string[] = [];
    for (const segment of segments) {
      // A real turn of the event loop between segments (SQLite work is synchronous): the
      // run's heartbeat, cancel requests and the API keep being served.
      await yieldToEventLoop();
      if (isAborted(ctx.signal)) throw new StageCanceled();
      ctx.progress({ ...totals, current: segment.name });
      try {
        const checked = validateRule(segment.rule, fields);
        checkRuleCost(checked);
        const change = await this.evaluateChecked(segment, checked, now, ctx);
        totals.evaluated++;
        totals.members += change.size;
        totals.added += change.added;
        totals.removed += change.removed;
      } catch (error) {
        if (error instanceof StageCanceled || isAborted(ctx.signal)) throw new StageCanceled();
        totals.failed++;
        errors.push(`segment "${segment.name}": ${await this.recordFailure(segment, error)}`);
      }
      ctx.progress({ ...totals });
    }
    const status =
      totals.failed === 0 ? 'succeeded' : totals.evaluated === 0 ? 'failed' : 'partial';
    return { status, figures: totals, errors };
  }

  private evaluateChecked(
    segment: Segment,
    checked: CheckedNode,
    now: Date,
    ctx?: StageContext,
  ): Promise<MembershipChange> {
    return this.lockOf(segment.id).run(() =>
      this.writer.evaluate(
        segment.id,
        segment.ruleVersion,
        compileRule(checked, this.sql, now),
        now.toISOString(),
        {
          signal: ctx?.signal,
          timeLimitMs: this.config.SEGMENT_QUERY_TIMEOUT_MS,
          onProgress: ctx
            ? (scanned, total) => {
                ctx.progress({
                  current: segment.name,
                  customersScanned: scanned,
                  customers: total,
                });
              }
            : undefined,
        },
      ),
    );
  }

  /** Keeps the reason on the segment (membership unchanged) and answers it in words. */
  private async recordFailure(segment: Segment, error: unknown): Promise<string> {
    const message = error instanceof Error ? error.message : String(error);
    if (!(error instanceof AppError)) {
      this.logger.error(
        `Evaluating segment "${segment.name}" failed: ${error instanceof Error ? (error.stack ?? message) : message}`,
      );
    }
    await this.db.query('UPDATE segment SET last_error = ?, last_error_at = ? WHERE id = ?', [
      message,
      this.clock.iso(),
      segment.id,
    ]);
    return message;
  }

  private async fieldTypes(): Promise<FieldTypes> {
    return new Map((await this.fields.list()).map((f) => [f.name, f.type]));
  }

  private async load(id: string): Promise<Segment> {
    const segment = await this.repo.findOneBy({ id });
    if (!segment) throw AppError.notFound('Segment', id);
    return segment;
  }

  private checkName(raw: string): string {
    const name = raw.trim();
    if (name === '') throw AppError.validation('name', 'must not be empty');
    return name;
  }

  private async assertNameFree(name: string, exceptId?: string): Promise<void> {
    const other = await this.repo.findOneBy({
      nameKey: foldText(name),
      ...(exceptId ? { id: Not(exceptId) } : {}),
    });
    if (other) throw duplicateName(name, other.id);
  }

  /** Saves, turning a lost race on the unique name into the same 409 as the check above. */
  private async saveUnique(segment: Segment): Promise<void> {
    try {
      await this.repo.save(segment);
    } catch (error) {
      if (isUniqueViolation(error)) {
        const other = await this.repo.findOneBy({ nameKey: segment.nameKey });
        throw duplicateName(segment.name, other?.id ?? 'unknown');
      }
      throw error;
    }
  }

  private lockOf(id: string): AsyncLock {
    let lock = this.locks.get(id);
    if (!lock) {
      lock = new AsyncLock();
      this.locks.set(id, lock);
    }
    return lock;
  }
}

function duplicateName(name: string, otherId: string): AppError {
  return AppError.conflict(
    `A segment named "${name}" already exists (id ${otherId}); names are unique regardless of case`,
    [{ path: 'name', message: `already used by segment ${otherId}` }],
  );
}

function blankToNull(text: string | null | undefined): string | null {
  return text === undefined || text === null || text.trim() === '' ? null : text;
}

function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: string } | undefined)?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** Read through a call so the compiler does not narrow it across awaits. */
function isAborted(signal: AbortSignal): boolean {
  return signal.aborted;
}
