import {
  DestinationError,
  DestinationErrorCode,
  secretPaths,
  type ConfigSchema,
  type ConnectionTestResult,
  type DestinationConfig,
  type DestinationPlugin,
  type DestinationRef,
  type DestinationTypeDescription,
  type MemberOutcome,
  type PluginEnvironment,
  type SegmentExportJob,
  type SegmentExportReport,
  type SignInChallenge,
  type SignInSink,
} from '@audience-sync/exporter-contract';
import { PluginRegistry } from '@stages/destinations/plugin-registry';
import type { TestApp } from './test-app';

/**
 * A `changes`-style destination whose target lives in memory, for end-to-end tests of the
 * core (checkpoints, diffs, runs, secrets, sign-in) without Dataverse. It behaves like a list
 * service: one list per segment found again by the id kept in the job's state, adding an
 * existing member is a no-op, keys it does not know are skipped as `not-found` while the rest
 * of the batch lands, drift is found by comparing the list size with the checkpoint.
 * Tests steer it through {@link MemoryTarget}.
 */
export const MEMORY_TYPE = 'test-memory';

const schema: ConfigSchema = {
  type: 'object',
  properties: {
    region: { type: 'string', enum: ['eu', 'us'], default: 'eu' },
    apiKey: { type: 'string', 'x-secret': true, minLength: 1 },
    auth: {
      type: 'object',
      properties: { kind: { type: 'string', enum: ['clientCredentials', 'delegated'] } },
      oneOf: [
        {
          type: 'object',
          properties: {
            kind: { const: 'clientCredentials' },
            clientId: { type: 'string', format: 'uuid' },
            clientSecret: { type: 'string', 'x-secret': true, minLength: 1 },
          },
          required: ['clientId', 'clientSecret'],
          additionalProperties: false,
        },
        {
          type: 'object',
          properties: {
            kind: { const: 'delegated' },
            clientId: { type: 'string', format: 'uuid' },
            refreshToken: { type: 'string', 'x-secret': true, readOnly: true },
          },
          required: ['clientId'],
          additionalProperties: false,
        },
      ],
    },
  },
  required: ['auth'],
  additionalProperties: false,
};

export const memoryDescription: DestinationTypeDescription = {
  type: MEMORY_TYPE,
  displayName: 'Memory (tests)',
  description: 'Lists kept in memory.',
  configSchema: schema,
  secretFields: secretPaths(schema),
  syncModes: ['mirror', 'additive'],
  defaultSyncMode: 'mirror',
  memberKey: { label: 'contact id', description: 'The contact id of the member' },
  exportStyle: 'changes',
  signIn: { kind: 'device-code', label: 'Sign in', description: 'Sign in with a code' },
};

/** The in-memory target and the knobs tests turn. */
export class MemoryTarget {
  readonly lists = new Map<string, { name: string; members: Set<string> }>();
  /** Keys that exist in the target; others are skipped as not found. Undefined: all exist. */
  known?: Set<string>;
  /** Segment names whose export fails as a whole. */
  readonly failing = new Map<string, DestinationError>();
  /** Keys whose change fails (retryable). */
  readonly failingKeys = new Set<string>();
  /** When set, each batch waits for it (to hold a run open). */
  gate?: Promise<void>;
  /** Resolved when a batch reaches the gate. */
  private reached?: () => void;
  writeRequests = 0;
  readRequests = 0;
  /** Every config the plugin saw (secrets included), to check what reaches plugins. */
  readonly seenConfigs: DestinationConfig[] = [];
  pendingSignIn?: SignInSink;
  private nextList = 1;

  /** Holds every batch until `release()`; `reached` resolves when the first batch waits. */
  hold(): { release: () => void; reached: Promise<void> } {
    let release!: () => void;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    const reached = new Promise<void>((resolve) => (this.reached = resolve));
    return {
      release: () => {
        this.gate = undefined;
        release();
      },
      reached,
    };
  }

  async atGate(): Promise<void> {
    if (!this.gate) return;
    this.reached?.();
    await this.gate;
  }

  createList(name: string): string {
    const id = `list-${this.nextList++}`;
    this.lists.set(id, { name, members: new Set() });
    return id;
  }

  members(listId: string): string[] {
    return [...(this.lists.get(listId)?.members ?? [])].sort();
  }

  /** The members of the list of the segment with this name. */
  membersOf(name: string): string[] {
    const entry = [...this.lists.entries()].find(([, l]) => l.name === name);
    return entry ? this.members(entry[0]) : [];
  }
}

export class MemoryDestination implements DestinationPlugin {
  readonly description = memoryDescription;

  constructor(
    readonly env: PluginEnvironment,
    readonly target: MemoryTarget,
  ) {}

  validateConfig(config: DestinationConfig) {
    return config.region === 'us' && (config.auth as { kind?: string }).kind === 'delegated'
      ? [{ path: 'auth.kind', message: 'delegated sign-in is not offered in the us region' }]
      : [];
  }

  async testConnection(destination: DestinationRef): Promise<ConnectionTestResult> {
    this.target.seenConfigs.push(destination.config);
    const auth = destination.config.auth as { clientSecret?: string; refreshToken?: string };
    // Like MSAL, a refresh token is rotated when used; the new one is stored by the core.
    if (auth.refreshToken && destination.saveSecrets) {
      await destination.saveSecrets({ 'auth.refreshToken': `${auth.refreshToken}-rotated` });
    }
    if (auth.clientSecret === 'wrong') {
      throw new DestinationError(
        DestinationErrorCode.AUTH,
        'The client secret was refused: create a new one.',
      );
    }
    return { ok: true, message: 'Connected.', details: { lists: this.target.lists.size } };
  }

  startSignIn(_destination: DestinationRef, sink: SignInSink): Promise<SignInChallenge> {
    this.target.pendingSignIn = sink;
    return Promise.resolve({
      userCode: 'ABCD-1234',
      verificationUri: 'https://login.example.test/device',
      message: 'Go to https://login.example.test/device and enter ABCD-1234',
      expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
    });
  }

  async exportSegment(job: SegmentExportJob): Promise<SegmentExportReport> {
    this.target.seenConfigs.push(job.destination.config);
    const t = this.target;
    const failure = t.failing.get(job.segment.name);
    if (failure) throw failure;
    const notes: string[] = [];
    let requests = 0;
    const read = () => (requests++, t.readRequests++);
    const write = () => (requests++, t.writeRequests++);
    let listId = job.state.listId as string | undefined;
    read();
    if (!listId || !t.lists.has(listId)) {
      if (listId) notes.push('The list was deleted in the target: created again.');
      listId = t.createList(job.segment.name);
      write();
      await job.saveState({ listId });
      await job.resetCheckpoint();
    }
    const list = t.lists.get(listId);
    if (!list) throw new Error('list vanished');
    list.name = job.segment.name;
    if (job.fullSync || list.members.size !== (await job.checkpointSize())) {
      read();
      const members = [...list.members];
      const pages: string[][] = [];
      for (let i = 0; i < members.length; i += 2) pages.push(members.slice(i, i + 2));
      await job.reconcile(asyncPages(pages));
    }
    let processed = 0;
    for await (const batch of job.changes({ batchSize: 3 })) {
      await t.atGate();
      if (job.signal.aborted) throw new DestinationError(DestinationErrorCode.CANCELED, 'canceled');
      write();
      const outcomes: MemberOutcome[] = [];
      for (const key of batch.add) {
        if (t.failingKeys.has(key))
          outcomes.push({ key, outcome: 'failed', retryable: true, message: 'HTTP 503' });
        else if (t.known && !t.known.has(key))
          outcomes.push({ key, outcome: 'skipped', reason: 'not-found' });
        else {
          list.members.add(key);
          outcomes.push({ key, outcome: 'exported' });
        }
      }
      for (const key of batch.remove) {
        list.members.delete(key);
        outcomes.push({ key, outcome: 'removed' });
      }
      await job.record(outcomes);
      processed += outcomes.length;
      job.progress(processed, job.counts.members);
    }
    return {
      target: { id: listId, name: job.segment.name, url: `memory://lists/${listId}` },
      requests,
      throttled: 0,
      notes,
    };
  }
}

/** Registers the memory destination in a running test app; answers its target. */
export function registerMemoryDestination(t: TestApp, target = new MemoryTarget()): MemoryTarget {
  t.app.get(PluginRegistry).register((env) => new MemoryDestination(env, target));
  return target;
}

/** Pages read one after another, as from a paged API. */
export function asyncPages(pages: string[][]): AsyncIterable<string[]> {
  return {
    [Symbol.asyncIterator]: () => {
      let i = 0;
      return {
        next: () =>
          Promise.resolve(
            i < pages.length
              ? { done: false, value: pages[i++] }
              : { done: true, value: undefined },
          ),
      };
    },
  };
}
