import { setTimeout as sleep } from 'node:timers/promises';
import type { TestApp } from './test-app';

/**
 * Customers and segments for end-to-end tests of exports, made through the real API: a CSV
 * source per audience (`POST /api/sources`, upload), unification (`POST /api/unification/run`,
 * default configuration: every record is its own customer) and segments (`POST /api/segments`,
 * then evaluated).
 *
 * Each person becomes one customer with the fields `contactId`, `email`, `firstName`,
 * `score` (number) and `groups` (`;vip;gold;`); a segment selects a group.
 */
export interface Person {
  /** The record key in the source (stable across uploads). */
  id: string;
  /** Empty or absent: the customer has no contact id. */
  contactId?: string;
  email?: string;
  firstName?: string;
  score?: number;
  groups?: string[];
}

const HEADER = ['id', 'ContactId', 'Email', 'FirstName', 'Score', 'Groups'];

export class TestAudience {
  private sourceId?: string;

  constructor(
    private readonly t: TestApp,
    private readonly sourceName = 'people',
  ) {}

  /** Replaces the audience's people (upload), then unifies every source. */
  async load(people: Person[]): Promise<void> {
    const api = this.t.api();
    if (!this.sourceId) {
      const created = await api.post('/api/sources', {
        name: this.sourceName,
        type: 'csv',
        primaryKey: 'id',
        mapping: {
          contactId: 'ContactId',
          email: 'Email',
          firstName: 'FirstName',
          score: { column: 'Score', type: 'number' },
          groups: 'Groups',
        },
      });
      if (created.status >= 300) throw new Error(`source: ${JSON.stringify(created.body)}`);
      this.sourceId = created.body.id as string;
    }
    const lines = [HEADER.join(','), ...people.map(csvLine)];
    const upload = await api
      .post(`/api/sources/${this.sourceId}/upload`)
      .set('Content-Type', 'text/csv')
      .send(`${lines.join('\n')}\n`);
    if (upload.status !== 200) throw new Error(`upload: ${JSON.stringify(upload.body)}`);
    await unify(this.t);
  }

  /** Creates an active segment of the people in `group` and evaluates it; answers its id. */
  async segment(name: string, group = name, options: { active?: boolean } = {}): Promise<string> {
    const api = this.t.api();
    const created = await api.post('/api/segments', {
      name,
      active: options.active ?? true,
      rule: { all: [{ field: 'groups', op: 'contains', value: `;${group};` }] },
    });
    if (created.status >= 300) throw new Error(`segment: ${JSON.stringify(created.body)}`);
    const id = created.body.id as string;
    if (options.active ?? true) await evaluate(this.t, id);
    return id;
  }
}

/** Unifies all current source records (waits when another unification is running). */
export async function unify(t: TestApp): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const res = await t.api().post('/api/unification/run');
    if (res.status === 200) return;
    if (res.status !== 409 || attempt > 200)
      throw new Error(`unification: ${JSON.stringify(res.body)}`);
    await sleep(50);
  }
}

export async function evaluate(t: TestApp, segmentId: string): Promise<void> {
  const res = await t.api().post(`/api/segments/${segmentId}/evaluate`);
  if (res.status !== 200) throw new Error(`evaluate: ${JSON.stringify(res.body)}`);
}

/**
 * A segment of `contactIds.length + withoutContactId` members, the first with these contact
 * ids (e.g. contacts seeded in the Dataverse emulator), the rest without one. Made in its own
 * source; answers the segment id and the audience (to change its members later with
 * `audience.load`).
 */
export async function segmentWithMembers(
  t: TestApp,
  options: { name: string; contactIds: string[]; withoutContactId?: number },
): Promise<{ segmentId: string; audience: TestAudience; people: Person[] }> {
  const group = options.name.replace(/[^A-Za-z0-9]+/g, '-');
  const people: Person[] = options.contactIds.map((contactId, i) => ({
    id: `${group}-${i}`,
    contactId,
    email: `${group}-${i}@example.test`,
    groups: [group],
  }));
  for (let i = 0; i < (options.withoutContactId ?? 0); i++) {
    people.push({
      id: `${group}-nokey-${i}`,
      email: `${group}-nokey-${i}@example.test`,
      groups: [group],
    });
  }
  const audience = new TestAudience(t, `source ${options.name}`);
  await audience.load(people);
  const segmentId = await audience.segment(options.name, group);
  return { segmentId, audience, people };
}

function csvLine(p: Person): string {
  return [
    p.id,
    p.contactId ?? '',
    p.email ?? '',
    p.firstName ?? '',
    p.score === undefined ? '' : String(p.score),
    p.groups && p.groups.length > 0 ? `;${p.groups.join(';')};` : '',
  ]
    .map(csvField)
    .join(',');
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
