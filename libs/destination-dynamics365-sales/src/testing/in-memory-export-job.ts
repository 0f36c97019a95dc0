import type {
  ChangeBatch,
  DestinationRef,
  MemberOutcome,
  MemberRecord,
  PluginLogger,
  SegmentExportJob,
  SyncMode,
} from '@audience-sync/exporter-contract';

/** What a test keeps between runs of one segment (the core keeps this in its database). */
export interface SegmentStore {
  state: Record<string, unknown>;
  /** Keys the target holds as far as the checkpoint knows. */
  checkpoint: Set<string>;
  /** Keys skipped as `not-found` (not offered again). */
  notFound: Set<string>;
}

export function emptyStore(): SegmentStore {
  return { state: {}, checkpoint: new Set(), notFound: new Set() };
}

/**
 * Test support: a `SegmentExportJob` over plain sets, with the core's checkpoint semantics
 * (changes = desired − checkpoint − not-found / checkpoint − desired in mirror mode; `record`
 * moves the checkpoint; `reconcile` replaces it). Keeps every outcome and log line.
 */
export class InMemoryExportJob implements SegmentExportJob {
  readonly signal: AbortSignal;
  readonly counts: { members: number; withoutKey: number };
  readonly outcomes: MemberOutcome[] = [];
  readonly logs: string[] = [];
  readonly progressCalls: Array<[number, number]> = [];
  /** The request figures last reported (`reportRequests`). */
  requests: { requests: number; throttled: number } | undefined;
  readonly log: PluginLogger;
  recordCalls = 0;

  constructor(
    readonly destination: DestinationRef,
    readonly segment: { id: string; name: string; description: string | null },
    private readonly desired: readonly string[],
    readonly syncMode: SyncMode,
    readonly store: SegmentStore,
    options: {
      signal?: AbortSignal;
      fullSync?: boolean;
      withoutKey?: number;
      /** Called after each `record` (e.g. to break something once a chunk has landed). */
      onRecord?: (calls: number) => void;
    } = {},
  ) {
    this.onRecord = options.onRecord;
    this.signal = options.signal ?? new AbortController().signal;
    this.fullSync = options.fullSync;
    this.counts = {
      members: desired.length + (options.withoutKey ?? 0),
      withoutKey: options.withoutKey ?? 0,
    };
    const push = (level: string) => (message: string) => {
      this.logs.push(`${level}: ${message}`);
    };
    this.log = { log: push('log'), warn: push('warn'), error: push('error'), debug: push('debug') };
  }

  readonly fullSync?: boolean;
  private readonly onRecord?: (calls: number) => void;

  get state(): Readonly<Record<string, unknown>> {
    return this.store.state;
  }

  saveState(state: Record<string, unknown>): Promise<void> {
    this.store.state = { ...state };
    return Promise.resolve();
  }

  async *changes(options: { batchSize?: number } = {}): AsyncIterable<ChangeBatch> {
    const size = options.batchSize ?? 1000;
    const desired = new Set(this.desired);
    const adds = [...desired].filter(
      (k) => !this.store.checkpoint.has(k) && !this.store.notFound.has(k),
    );
    const removes =
      this.syncMode === 'mirror' ? [...this.store.checkpoint].filter((k) => !desired.has(k)) : [];
    // Like the core: every add first, then the removes.
    for (let i = 0; i < adds.length; i += size) {
      await Promise.resolve();
      yield { add: adds.slice(i, i + size), remove: [] };
    }
    for (let i = 0; i < removes.length; i += size) {
      await Promise.resolve();
      yield { add: [], remove: removes.slice(i, i + size) };
    }
  }

  record(outcomes: MemberOutcome[]): Promise<void> {
    this.recordCalls += 1;
    for (const outcome of outcomes) {
      this.outcomes.push(outcome);
      if (outcome.outcome === 'exported') this.store.checkpoint.add(outcome.key);
      if (outcome.outcome === 'removed') this.store.checkpoint.delete(outcome.key);
      if (outcome.outcome === 'skipped' && outcome.reason === 'not-found') {
        this.store.notFound.add(outcome.key);
      }
    }
    this.onRecord?.(this.recordCalls);
    return Promise.resolve();
  }

  checkpointSize(): Promise<number> {
    return Promise.resolve(this.store.checkpoint.size);
  }

  resetCheckpoint(): Promise<void> {
    this.store.checkpoint.clear();
    return Promise.resolve();
  }

  async reconcile(
    actualKeys: AsyncIterable<string[]>,
  ): Promise<{ unexpected: number; missing: number }> {
    const actual = new Set<string>();
    for await (const keys of actualKeys) for (const key of keys) actual.add(key);
    const unexpected = [...actual].filter((k) => !this.store.checkpoint.has(k)).length;
    const missing = [...this.store.checkpoint].filter((k) => !actual.has(k)).length;
    this.store.checkpoint = actual;
    return { unexpected, missing };
  }

  members(): AsyncIterable<MemberRecord[]> {
    throw new Error('a changes-style destination does not read members with fields');
  }

  progress(processed: number, total: number): void {
    this.progressCalls.push([processed, total]);
  }

  reportRequests(figures: { requests: number; throttled: number }): void {
    this.requests = { ...figures };
  }

  /** Outcomes of this run by kind. */
  tally(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const o of this.outcomes) {
      const name = o.outcome === 'skipped' ? `skipped:${o.reason}` : o.outcome;
      out[name] = (out[name] ?? 0) + 1;
    }
    return out;
  }
}
