import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { forEachConcurrent, type DataverseClient } from '@audience-sync/dataverse-client';
import {
  DestinationError,
  DestinationErrorCode,
  type MemberOutcome,
  type SegmentExportJob,
  type SegmentExportReport,
} from '@audience-sync/exporter-contract';
import { canonicalContactId, chunk } from './contact-ids';
import { LIST_SOURCE, listDescription, listName, listPurpose } from './list-text';
import { MarketingLists, type ListColumns, type MarketingList } from './marketing-lists';
import { MemberWriter } from './member-writer';

/** Members per AddListMembersList / RemoveListMembersList request. */
export const MEMBERS_PER_REQUEST = 1000;

/** Canonical ids of a run's adds kept to spot re-spelled keys (≈ 100 bytes each). */
const MAX_REMEMBERED_ADDS = 250_000;

function rememberAdds(added: Set<string>, keys: readonly string[]): void {
  for (const key of keys) {
    const id = canonicalContactId(key);
    if (id !== null && (id !== key || added.size < MAX_REMEMBERED_ADDS)) added.add(id);
  }
}

/** What the plugin keeps per segment in `job.state`. */
interface ListState {
  /** The marketing list, found again by this id (never by name). */
  listId?: string;
  /** False between choosing the id and Dataverse confirming the create (a crash in between). */
  listConfirmed?: boolean;
  /** Segment name the list was last named after (a segment rename renames the list). */
  segmentName?: string;
  /** The name this export last gave the list (a changed name in the settings renames it). */
  listName?: string;
  /** The list is an existing one chosen in the settings: never renamed or described. */
  adopted?: boolean;
}

interface Work {
  kind: 'add' | 'remove';
  keys: string[];
}

/**
 * Exports one segment to its marketing list (see the lib README, "How an export works"):
 * find or create the list by its stored id, refuse unusable lists, detect drift by comparing the
 * list's `membercount` with the checkpoint, apply the changes in chunks in parallel (within the
 * dop hint), record each landed chunk, and touch the list's description only when something
 * changed — an unchanged re-export makes no write request.
 */
export class SegmentExporter {
  private readonly lists: MarketingLists;
  /** Follows the job's signal; every request of the export listens to this one. */
  private readonly signal: AbortSignal;
  private recording: Promise<void> = Promise.resolve();
  private changed = 0;

  constructor(
    private readonly client: DataverseClient,
    private readonly job: SegmentExportJob,
    private readonly now: () => Date,
  ) {
    this.signal = ownSignal(job.signal);
    this.lists = new MarketingLists(client, this.signal);
  }

  async run(): Promise<SegmentExportReport> {
    try {
      return await this.export();
    } finally {
      // Also when the export fails: its requests and throttled answers still count.
      this.reportRequests();
    }
  }

  private async export(): Promise<SegmentExportReport> {
    const job = this.job;
    const notes: string[] = [];
    let state = readState(job.state);
    const choice = listChoice(job);
    if (choice.listId !== undefined && choice.listId !== state.listId?.toLowerCase()) {
      state = await this.adopt(choice.listId, notes);
    } else if (choice.listId === undefined && state.adopted === true) {
      // The chosen list was unset in the settings: it is left as it is; a list is created.
      notes.push(
        `The marketing list ${state.listId ?? ''} is no longer chosen for this segment: it is left as it is, and a list of its own was created.`,
      );
      state = {};
      await job.resetCheckpoint();
    }
    let list = state.listId !== undefined ? await this.lists.get(state.listId) : null;
    let created = false;
    if (list === null && state.adopted === true) {
      throw new DestinationError(
        DestinationErrorCode.NOT_FOUND,
        `The marketing list ${state.listId ?? ''} chosen for segment "${job.segment.name}" no longer exists in Sales. Choose another list, or none to have one created.`,
      );
    }
    if (list === null) {
      if (state.listId !== undefined && state.listConfirmed === true) {
        notes.push(
          `The marketing list ${state.listId} no longer exists in Sales (deleted there); it was created again with all members.`,
        );
      }
      list = await this.createList(state);
      created = true;
    } else {
      checkUsable(list);
      const expected = await job.checkpointSize();
      const actual = list.membercount ?? -1;
      if (job.fullSync === true || actual !== expected) {
        notes.push(...(await this.reconcile(list, expected)));
      }
    }
    await this.applyChanges(list.listid);
    if (!created && state.adopted !== true) await this.touchList(list, state);
    return {
      target: { id: list.listid, name: list.listname, url: this.listUrl(list.listid) },
      requests: this.client.stats.requests,
      throttled: this.client.stats.throttled,
      ...(notes.length > 0 ? { notes } : {}),
    };
  }

  /**
   * Takes an existing list chosen in the settings instead of the one this export keeps: checks
   * it can hold the segment, then starts from what it holds (its members become the checkpoint,
   * so the export only sends the difference).
   */
  private async adopt(listId: string, notes: string[]): Promise<ListState> {
    const job = this.job;
    const list = await this.lists.get(listId);
    if (list === null) {
      throw new DestinationError(
        DestinationErrorCode.NOT_FOUND,
        `The marketing list ${listId} chosen for segment "${job.segment.name}" does not exist in Sales. Choose another list, or none to have one created.`,
      );
    }
    checkUsable(list);
    const state: ListState = {
      listId: list.listid,
      listConfirmed: true,
      segmentName: job.segment.name,
      adopted: true,
    };
    await job.saveState({ ...state });
    await job.resetCheckpoint();
    await job.reconcile(this.lists.memberIds(list.listid));
    notes.push(`Exports to the existing marketing list "${list.listname}" (${list.listid}).`);
    job.log.log(`Took the existing marketing list ${list.listid} "${list.listname}".`);
    return state;
  }

  private async createList(state: ListState): Promise<MarketingList> {
    const job = this.job;
    const name = listName(listChoice(job).name ?? job.segment.name);
    // The id is saved before the create: a process killed in between finds the list again.
    const listId =
      state.listId !== undefined && state.listConfirmed !== true ? state.listId : randomUUID();
    await job.saveState({ ...state, listId, listConfirmed: false });
    const columns: ListColumns = {
      listname: name,
      createdfromcode: 2,
      type: false,
      source: LIST_SOURCE,
      purpose: listPurpose(job),
      description: listDescription(job, this.now()),
    };
    await this.lists.create(listId, columns);
    await job.saveState({
      listId,
      listConfirmed: true,
      segmentName: job.segment.name,
      listName: name,
    });
    await job.resetCheckpoint();
    job.log.log(`Created marketing list ${listId} "${columns.listname ?? ''}".`);
    return {
      listid: listId,
      listname: columns.listname ?? '',
      createdfromcode: 2,
      type: false,
      statecode: 0,
      lockstatus: false,
      membercount: 0,
      description: columns.description ?? null,
    };
  }

  /** Reads the list's members (one request per 5,000) and makes them the checkpoint. */
  private async reconcile(list: MarketingList, expected: number): Promise<string[]> {
    const job = this.job;
    const why =
      job.fullSync === true
        ? 'full sync'
        : `list has ${list.membercount ?? 'an unknown number of'} members, ${expected} expected`;
    job.log.log(`Reading the members of list ${list.listid} (${why}).`);
    const result = await job.reconcile(this.lists.memberIds(list.listid));
    if (result.unexpected === 0 && result.missing === 0) return [];
    const fix =
      job.syncMode === 'mirror'
        ? 'this export made it equal to the segment again'
        : 'additive mode keeps members added by hand and adds back the missing ones';
    return [
      `The list had changed in Sales: ${result.unexpected} member(s) not added by Audience Sync, ${result.missing} expected member(s) missing; ${fix}.`,
    ];
  }

  /**
   * Sends the changes in chunks, in parallel within the dop hint. The core yields adds before
   * removes; a remove naming a contact that this run adds under another spelling of its id
   * (`ABC…` vs `abc…`, e.g. after a reconcile, which reads ids back in Dataverse's lower case) is
   * not sent: the contact stays, held under the new spelling. Canonical ids of this run's adds are
   * remembered up to {@link MAX_REMEMBERED_ADDS} (then only the non-canonical ones).
   */
  private async applyChanges(listId: string): Promise<void> {
    const job = this.job;
    const writer = new MemberWriter(this.lists, listId);
    const added = new Set<string>();
    await forEachConcurrent(
      workItems(job.changes({ batchSize: MEMBERS_PER_REQUEST })),
      () => this.client.parallelism,
      async (work) => {
        let outcomes: MemberOutcome[];
        if (work.kind === 'add') {
          rememberAdds(added, work.keys);
          outcomes = await writer.add(work.keys);
        } else {
          const kept = work.keys.filter((key) => added.has(canonicalContactId(key) ?? key));
          const keptSet = new Set(kept);
          const send = work.keys.filter((key) => !keptSet.has(key));
          outcomes = [
            ...kept.map((key): MemberOutcome => ({ key, outcome: 'removed' })),
            ...(send.length > 0 ? await writer.remove(send) : []),
          ];
        }
        await this.record(outcomes);
        this.changed += outcomes.filter(
          (o) => o.outcome === 'exported' || o.outcome === 'removed',
        ).length;
      },
      this.signal,
    );
  }

  /** One `record` at a time, in landing order (the checkpoint moves with each chunk). */
  private record(outcomes: MemberOutcome[]): Promise<void> {
    this.reportRequests();
    const next = this.recording.then(() => this.job.record(outcomes));
    this.recording = next.catch(() => undefined);
    return next;
  }

  /** Updates the description (and the name after a segment rename) only when something changed. */
  private async touchList(list: MarketingList, state: ListState): Promise<void> {
    const job = this.job;
    const columns: ListColumns = {};
    // The name wanted now (from the settings, else the segment's) against the one last given:
    // a name given by hand in Sales stays until one of them changes.
    const wanted = listName(listChoice(job).name ?? job.segment.name);
    const given =
      state.listName ?? (state.segmentName !== undefined ? listName(state.segmentName) : undefined);
    const renamed = given !== undefined && given !== wanted;
    if (renamed) columns.listname = wanted;
    if (this.changed > 0 || renamed) columns.description = listDescription(job, this.now());
    if (Object.keys(columns).length > 0) {
      await this.lists.update(list.listid, columns);
      if (columns.listname !== undefined) list.listname = columns.listname;
    }
    if (
      state.segmentName !== job.segment.name ||
      state.listName !== (given === undefined ? undefined : wanted) ||
      state.listConfirmed !== true
    ) {
      await job.saveState({
        listId: list.listid,
        listConfirmed: true,
        segmentName: job.segment.name,
        ...(given === undefined ? {} : { listName: wanted }),
      });
    }
  }

  /** The request figures so far, for the run (live, and kept if the export fails). */
  private reportRequests(): void {
    const { requests, throttled } = this.client.stats;
    this.job.reportRequests?.({ requests, throttled });
  }

  private listUrl(listId: string): string {
    return `${this.client.serverAddress}/main.aspx?pagetype=entityrecord&etn=list&id=${listId}`;
  }
}

/**
 * A signal that aborts with `source`, registered once on it: the parallel requests of an export
 * (each listening for abort) would otherwise pile up listeners on the job's signal and trip
 * Node's "possible EventTarget memory leak" warning.
 */
function ownSignal(source: AbortSignal): AbortSignal {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  if (source.aborted) controller.abort(source.reason);
  else
    source.addEventListener(
      'abort',
      () => {
        controller.abort(source.reason);
      },
      { once: true },
    );
  return controller.signal;
}

function readState(raw: Readonly<Record<string, unknown>>): ListState {
  const state: ListState = {};
  if (typeof raw.listId === 'string') state.listId = raw.listId;
  if (typeof raw.listConfirmed === 'boolean') state.listConfirmed = raw.listConfirmed;
  if (typeof raw.segmentName === 'string') state.segmentName = raw.segmentName;
  if (typeof raw.listName === 'string') state.listName = raw.listName;
  if (raw.adopted === true) state.adopted = true;
  return state;
}

/** What the settings say about this segment's list (`config.lists[segment id]`). */
function listChoice(job: SegmentExportJob): { name?: string; listId?: string } {
  const lists = job.destination.config.lists as Record<string, unknown> | undefined;
  const entry = lists?.[job.segment.id] as Record<string, unknown> | undefined;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const listId = text(entry?.listId)?.toLowerCase();
  const name = text(entry?.name);
  return { ...(name !== undefined ? { name } : {}), ...(listId !== undefined ? { listId } : {}) };
}

/** A list the export cannot keep: fails the segment with what to do. */
function checkUsable(list: MarketingList): void {
  const problem =
    list.statecode !== 0
      ? 'is inactive in Sales (inactive lists are read-only). Activate it, or delete it to have it created again'
      : list.lockstatus
        ? 'is locked in Sales, so its members cannot change. Unlock it, or delete it to have it created again'
        : list.type
          ? 'is a dynamic list; Audience Sync keeps static lists. Delete it to have a static one created'
          : list.createdfromcode !== 2
            ? 'does not hold contacts. Delete it to have a contact list created'
            : null;
  if (problem !== null) {
    throw new DestinationError(
      DestinationErrorCode.FORBIDDEN,
      `The marketing list "${list.listname}" (${list.listid}) ${problem}.`,
    );
  }
}

/** The contract's change batches as member-action chunks: removes of a batch before its adds. */
async function* workItems(
  changes: AsyncIterable<{ add: string[]; remove: string[] }>,
): AsyncGenerator<Work> {
  for await (const batch of changes) {
    for (const keys of chunk(batch.remove, MEMBERS_PER_REQUEST)) yield { kind: 'remove', keys };
    for (const keys of chunk(batch.add, MEMBERS_PER_REQUEST)) yield { kind: 'add', keys };
  }
}
