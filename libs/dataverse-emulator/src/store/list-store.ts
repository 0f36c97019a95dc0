import { randomUUID } from 'node:crypto';
import { GuidCodec, keyOf, normalizeGuid } from '../util/ids';
import { MemberSet } from './member-set';
import type { VersionClock } from './version-clock';

/** Marketing list member types (createdfromcode). */
export const MEMBER_TYPES: Readonly<Record<number, string>> = {
  1: 'account',
  2: 'contact',
  4: 'lead',
};

export interface ListColumns {
  listname: string;
  type: boolean;
  createdfromcode: number;
  purpose: string | null;
  source: string | null;
  description: string | null;
  lockstatus: boolean;
  statecode: 0 | 1;
  statuscode: number;
  cost: number | null;
  donotsendonoptout: boolean;
  ignoreinactivelistmembers: boolean;
  ownerid: string;
  createdon: number;
  modifiedon: number;
}

export interface ListRecord extends ListColumns {
  /** Internal number of the list (encodes into its members' listmember ids). */
  seq: number;
  listid: string;
  version: number;
  members: MemberSet;
}

/**
 * Marketing lists and their members. Membership ids (`listmemberid`) are not stored: they encode
 * (list number, contact row) and decode back. A journal lets a $batch change set undo its work.
 */
export class ListStore {
  private readonly lists = new Map<string, ListRecord>();
  private readonly bySeq = new Map<number, ListRecord>();
  private nextSeq = 1;
  private readonly memberCodec: GuidCodec;
  private journal: (() => void)[] | undefined;

  constructor(
    seed: number,
    private readonly clock: VersionClock,
  ) {
    this.memberCodec = new GuidCodec(keyOf('listmember', seed));
  }

  get size(): number {
    return this.lists.size;
  }

  all(): ListRecord[] {
    return [...this.lists.values()];
  }

  get(listid: string): ListRecord | undefined {
    const id = normalizeGuid(listid);
    return id ? this.lists.get(id) : undefined;
  }

  create(columns: ListColumns, listid?: string): ListRecord {
    const id = listid ?? randomUUID();
    const record: ListRecord = {
      ...columns,
      seq: this.nextSeq,
      listid: id,
      version: this.clock.next(),
      members: new MemberSet(),
    };
    this.nextSeq += 1;
    this.lists.set(id, record);
    this.bySeq.set(record.seq, record);
    this.record(() => {
      this.lists.delete(id);
      this.bySeq.delete(record.seq);
    });
    return record;
  }

  update(record: ListRecord, patch: Partial<ListColumns>, now = Date.now()): void {
    const before = { ...record };
    Object.assign(record, patch, { modifiedon: now, version: this.clock.next() });
    this.record(() => Object.assign(record, before));
  }

  delete(record: ListRecord): void {
    this.lists.delete(record.listid);
    this.bySeq.delete(record.seq);
    this.record(() => {
      this.lists.set(record.listid, record);
      this.bySeq.set(record.seq, record);
    });
  }

  /** Adds members; returns how many were new. Touches the list's version when any was. */
  addMembers(record: ListRecord, contacts: Iterable<number>): number {
    const added: number[] = [];
    for (const contact of contacts) if (record.members.add(contact)) added.push(contact);
    if (added.length > 0) {
      this.touch(record);
      this.record(() => {
        for (const contact of added) record.members.remove(contact);
      });
    }
    return added.length;
  }

  removeMembers(record: ListRecord, contacts: Iterable<number>): number {
    const removed: number[] = [];
    for (const contact of contacts) if (record.members.remove(contact)) removed.push(contact);
    if (removed.length > 0) {
      this.touch(record);
      this.record(() => {
        for (const contact of removed) record.members.add(contact);
      });
    }
    return removed.length;
  }

  /** Removes a deleted contact from every list (Dataverse cascades the delete). */
  dropContact(contact: number): void {
    for (const record of this.lists.values()) record.members.remove(contact);
  }

  memberId(record: ListRecord, contact: number): string {
    return this.memberCodec.encode(record.seq, contact);
  }

  /** Resolves a listmemberid to its list and contact row, when the membership exists. */
  resolveMember(listmemberid: string): { list: ListRecord; contact: number } | undefined {
    const id = normalizeGuid(listmemberid);
    const decoded = id ? this.memberCodec.decode(id) : undefined;
    const list = decoded ? this.bySeq.get(decoded.a) : undefined;
    if (!decoded || !list?.members.has(decoded.b)) return undefined;
    return { list, contact: decoded.b };
  }

  /** Lists in creation order after list number `afterSeq`. */
  listsAfter(afterSeq: number): ListRecord[] {
    return [...this.bySeq.values()].filter((l) => l.seq > afterSeq).sort((a, b) => a.seq - b.seq);
  }

  /** Runs `work` so that a throw undoes every list change it made (a $batch change set). */
  atomically<T>(work: () => T): T {
    const outer = this.journal;
    const journal: (() => void)[] = [];
    this.journal = journal;
    try {
      const result = work();
      this.journal = outer;
      outer?.push(...journal);
      return result;
    } catch (error) {
      this.journal = outer;
      for (const undo of journal.reverse()) undo();
      throw error;
    }
  }

  clear(): void {
    this.lists.clear();
    this.bySeq.clear();
  }

  private touch(record: ListRecord): void {
    const before = { version: record.version, modifiedon: record.modifiedon };
    record.version = this.clock.next();
    record.modifiedon = Date.now();
    this.record(() => Object.assign(record, before));
  }

  private record(undo: () => void): void {
    this.journal?.push(undo);
  }

  toJSON(): SavedList[] {
    return this.listsAfter(0).map((l) => {
      const { members, ...columns } = l;
      return { ...columns, members: members.toJSON() };
    });
  }

  restore(saved: SavedList[]): void {
    this.clear();
    for (const item of saved) {
      const { members, ...columns } = item;
      const record: ListRecord = { ...columns, members: new MemberSet() };
      for (const contact of members) record.members.add(contact);
      this.lists.set(record.listid, record);
      this.bySeq.set(record.seq, record);
      this.nextSeq = Math.max(this.nextSeq, record.seq + 1);
    }
  }
}

export type SavedList = Omit<ListRecord, 'members'> & { members: number[] };
