import { randomUUID } from 'node:crypto';
import type { SeedContact } from '../options';
import type { ByteWriter } from '../util/byte-writer';
import { GuidCodec, keyOf, normalizeGuid } from '../util/ids';
import { ChangeLog } from './change-log';
import { checkContactInput } from './contact-input';
import {
  generatedFields,
  generatedParts,
  newParts,
  type GeneratedParts,
} from './generated-contact';
import { GrowableUint32 } from './int-arrays';
import type { VersionClock } from './version-clock';

/** The columns of a contact (times in ms). */
export interface ContactFields {
  firstname: string | null;
  lastname: string | null;
  fullname: string | null;
  emailaddress1: string | null;
  telephone1: string | null;
  address1_city: string | null;
  statecode: 0 | 1;
  createdon: number;
  modifiedon: number;
}

/** A contact as the emulator's handle reports it. */
export interface Contact {
  contactid: string;
  firstname: string | null;
  lastname: string | null;
  fullname: string | null;
  emailaddress1: string | null;
  telephone1: string | null;
  address1_city: string | null;
  statecode: 0 | 1;
  modifiedon: string;
}

export type ContactPatch = Partial<Omit<SeedContact, 'contactid'>>;

interface Run {
  start: number;
  count: number;
}

/**
 * Contacts in compact columns. Generated contacts store nothing but their version: their id
 * and fields are computed from (seed, run, offset), and their id decodes back to the row index.
 * Given or changed contacts keep their fields in `overrides`; given ids live in a small map.
 */
export class ContactStore {
  private size = 0;
  private readonly runs: Run[] = [];
  private versions = new GrowableUint32(1024);
  private readonly overrides = new Map<number, ContactFields>();
  private readonly givenIds = new Map<number, string>();
  private readonly givenIndex = new Map<string, number>();
  private readonly deleted = new Set<number>();
  private readonly codec: GuidCodec;
  private readonly dataKey: number;
  private readonly scratch = newParts();
  private lastRun = 0;
  /** `deleted` in order (built when asked, dropped on every delete). */
  private deletedSorted: number[] | undefined;
  log = new ChangeLog();
  /** Called with the row index of each deleted contact (cascades to list members). */
  onDelete: (index: number) => void = () => undefined;

  constructor(
    private readonly seed: number,
    private readonly clock: VersionClock,
  ) {
    this.codec = new GuidCodec(keyOf('contact', seed));
    this.dataKey = keyOf('contact-data', seed);
  }

  /** Rows ever created (deleted included): row indexes are 0 … slots-1. */
  get slots(): number {
    return this.size;
  }

  get count(): number {
    return this.size - this.deleted.size;
  }

  /** Adds `count` generated contacts; returns the index of the first. */
  generate(count: number): number {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError('contacts must be an integer ≥ 0');
    const start = this.size;
    if (count === 0) return start;
    this.runs.push({ start, count });
    const first = this.clock.take(count);
    for (let k = 0; k < count; k += 1) this.versions.push(first + k);
    this.log.append(first, start, count);
    this.size += count;
    return start;
  }

  /** Adds a given contact; throws when its id exists already. Returns its row index. */
  add(contact: SeedContact, now = Date.now(), where = 'contact'): number {
    // Everything is checked before anything changes: a refused contact leaves no trace.
    checkContactInput(contact, where, 'new');
    const id = contact.contactid === undefined ? randomUUID() : normalizeGuid(contact.contactid);
    if (!id)
      throw new RangeError(`${where}.contactid '${String(contact.contactid)}' is not a GUID`);
    if (this.indexOf(id, true) >= 0) throw new RangeError(`A contact with id ${id} exists already`);
    const first = contact.firstname ?? null;
    const last = contact.lastname ?? null;
    const modified = contact.modifiedon === undefined ? now : parseTime(contact.modifiedon);
    const fields: ContactFields = {
      firstname: first,
      lastname: last,
      fullname: contact.fullname ?? ([first, last].filter(Boolean).join(' ') || null),
      emailaddress1: contact.emailaddress1 ?? null,
      telephone1: contact.telephone1 ?? null,
      address1_city: contact.address1_city ?? null,
      statecode: stateOf(contact.statecode),
      createdon: modified,
      modifiedon: modified,
    };
    const index = this.size;
    this.size += 1;
    this.givenIds.set(index, id);
    this.givenIndex.set(id, index);
    this.overrides.set(index, fields);
    this.touch(index);
    return index;
  }

  /** Row index of a contact id; -1 when unknown (or deleted, unless `includeDeleted`). */
  indexOf(id: string, includeDeleted = false): number {
    const guid = normalizeGuid(id);
    if (!guid) return -1;
    let index = this.givenIndex.get(guid);
    if (index === undefined) {
      const decoded = this.codec.decode(guid);
      const run = decoded ? this.runs[decoded.a] : undefined;
      if (!decoded || !run || decoded.b >= run.count) return -1;
      index = run.start + decoded.b;
    }
    return includeDeleted || !this.deleted.has(index) ? index : -1;
  }

  /**
   * Row indexes of live contacts, skipping `offset` of them. The first row is found by a binary
   * search over the deleted rows (sorted): the live contact number `offset` is at row
   * offset + j, where j counts the deleted rows d[j] with d[j] − j ≤ offset.
   */
  liveIndexes(offset: number, limit: number): number[] {
    const deleted = this.sortedDeleted();
    let lo = 0;
    let hi = deleted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (deleted[mid] - mid <= offset) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = offset + lo; i < this.size && out.length < limit; i += 1) {
      if (!this.deleted.has(i)) out.push(i);
    }
    return out;
  }

  private sortedDeleted(): number[] {
    this.deletedSorted ??= [...this.deleted].sort((a, b) => a - b);
    return this.deletedSorted;
  }

  isLive(index: number): boolean {
    return index >= 0 && index < this.size && !this.deleted.has(index);
  }

  idOf(index: number): string {
    const given = this.givenIds.get(index);
    if (given) return given;
    const run = this.runOf(index);
    return this.codec.encode(run, index - this.runs[run].start);
  }

  versionOf(index: number): number {
    return this.versions.get(index);
  }

  fields(index: number): ContactFields {
    const override = this.overrides.get(index);
    if (override) return override;
    return generatedFields(this.generatedParts(index, this.scratch));
  }

  /**
   * The parts of a generated contact that was never changed (its columns are computed from
   * them); undefined for given or changed contacts, whose columns are stored.
   */
  generated(index: number, into: GeneratedParts): GeneratedParts | undefined {
    return this.overrides.has(index) ? undefined : this.generatedParts(index, into);
  }

  /** Writes the contact's id (36 ASCII bytes). */
  writeId(index: number, out: ByteWriter): void {
    const given = this.givenIds.get(index);
    if (given) {
      out.ascii(given);
      return;
    }
    const run = this.runOf(index);
    const at = out.claim(36);
    this.codec.encodeInto(run, index - this.runs[run].start, out.buffer, at);
  }

  contact(index: number): Contact {
    const f = this.fields(index);
    return {
      contactid: this.idOf(index),
      firstname: f.firstname,
      lastname: f.lastname,
      fullname: f.fullname,
      emailaddress1: f.emailaddress1,
      telephone1: f.telephone1,
      address1_city: f.address1_city,
      statecode: f.statecode,
      modifiedon: new Date(f.modifiedon).toISOString(),
    };
  }

  update(index: number, patch: ContactPatch, now = Date.now()): void {
    if (!this.isLive(index)) throw new RangeError(`No contact at row ${index}`);
    checkContactInput(patch, 'patch', 'patch');
    const current = this.fields(index);
    const next: ContactFields = { ...current, modifiedon: now };
    for (const key of [
      'firstname',
      'lastname',
      'emailaddress1',
      'telephone1',
      'address1_city',
    ] as const) {
      if (patch[key] !== undefined) next[key] = patch[key];
    }
    if (patch.statecode !== undefined) next.statecode = stateOf(patch.statecode);
    if (patch.modifiedon !== undefined) next.modifiedon = parseTime(patch.modifiedon);
    next.fullname =
      patch.fullname ??
      (patch.firstname !== undefined || patch.lastname !== undefined
        ? [next.firstname, next.lastname].filter(Boolean).join(' ') || null
        : current.fullname);
    this.overrides.set(index, next);
    this.touch(index);
  }

  remove(index: number): void {
    if (!this.isLive(index)) throw new RangeError(`No contact at row ${index}`);
    this.deleted.add(index);
    this.deletedSorted = undefined;
    this.touch(index);
    this.onDelete(index);
  }

  isDeleted(index: number): boolean {
    return this.deleted.has(index);
  }

  private touch(index: number): void {
    const version = this.clock.next();
    this.versions.set(index, version);
    this.log.append(version, index);
  }

  private generatedParts(index: number, into: GeneratedParts): GeneratedParts {
    const run = this.runOf(index);
    return generatedParts(this.dataKey, run, index - this.runs[run].start, index, into);
  }

  /** The generated run holding row `index` (rows of a page mostly share one: checked first). */
  private runOf(index: number): number {
    const last = this.runs[this.lastRun] as Run | undefined;
    if (last && index >= last.start && index < last.start + last.count) return this.lastRun;
    let lo = 0;
    let hi = this.runs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const run = this.runs[mid];
      if (index < run.start) hi = mid - 1;
      else if (index >= run.start + run.count) lo = mid + 1;
      else {
        this.lastRun = mid;
        return mid;
      }
    }
    throw new RangeError(`Row ${index} is not a generated contact`);
  }

  toJSON(): SavedContacts {
    return {
      seed: this.seed,
      size: this.size,
      runs: this.runs,
      overrides: [...this.overrides],
      givenIds: [...this.givenIds],
      deleted: [...this.deleted],
      log: this.log.toJSON(),
    };
  }

  restore(saved: SavedContacts): void {
    this.size = saved.size;
    this.runs.splice(0, this.runs.length, ...saved.runs);
    this.versions = new GrowableUint32(Math.max(1024, saved.size));
    this.overrides.clear();
    for (const [i, f] of saved.overrides) this.overrides.set(i, f);
    this.givenIds.clear();
    this.givenIndex.clear();
    for (const [i, id] of saved.givenIds) {
      this.givenIds.set(i, id);
      this.givenIndex.set(id, i);
    }
    this.deleted.clear();
    this.deletedSorted = undefined;
    for (const i of saved.deleted) this.deleted.add(i);
    this.log = ChangeLog.fromJSON(saved.log);
    this.log.replay((index, version) => {
      this.versions.set(index, version);
    });
  }
}

export interface SavedContacts {
  seed: number;
  size: number;
  runs: Run[];
  overrides: [number, ContactFields][];
  givenIds: [number, string][];
  deleted: number[];
  log: number[][];
}

function stateOf(value: unknown): 0 | 1 {
  if (value === undefined || value === 0) return 0;
  if (value === 1) return 1;
  throw new RangeError(
    `statecode must be 0 (Active) or 1 (Inactive), got ${JSON.stringify(value)}`,
  );
}

function parseTime(text: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new RangeError(`'${text}' is not an ISO timestamp`);
  return ms;
}
