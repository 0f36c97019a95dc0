import type { EmulatorHandle } from '@audience-sync/dataverse-emulator';
import type { ApiClient } from './api-client';

interface MembersPage {
  items: { customerId: string; fields: Record<string, unknown> | null }[];
  nextCursor: string | null;
}

/** One list compared with its segment. */
export interface ListCheck {
  segment: string;
  listId: string;
  /** Contact ids the list should hold: members of the segment with a contact id that exists in Sales. */
  expected: number;
  /** Members of the list in Sales (read from the emulator). */
  actual: number;
  missing: string[];
  unexpected: string[];
  ok: boolean;
}

/** The contact ids of a segment's members (a page of 1,000 at a time), by `field`. */
export async function segmentContactIds(
  api: ApiClient,
  segmentId: string,
  field: string,
): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = '';
  while (cursor !== null) {
    const page: MembersPage = await api.get<MembersPage>(
      `/api/segments/${segmentId}/members?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    for (const item of page.items) {
      const id = item.fields?.[field];
      if (typeof id === 'string' && id !== '') ids.push(id);
    }
    cursor = page.nextCursor;
  }
  return ids;
}

/**
 * Reads the list's members from Sales (the emulator) and compares them with the segment's
 * exportable contact ids: its members' contact ids that exist in Sales.
 */
export async function checkList(
  api: ApiClient,
  emu: EmulatorHandle,
  segment: { id: string; name: string },
  listId: string,
  field: string,
): Promise<ListCheck> {
  const wanted = new Set(
    (await segmentContactIds(api, segment.id, field))
      .map((id) => id.toLowerCase())
      .filter((id) => emu.contacts.get(id) !== undefined),
  );
  const members = new Set(emu.lists.members(listId).map((id) => id.toLowerCase()));
  const missing = [...wanted].filter((id) => !members.has(id));
  const unexpected = [...members].filter((id) => !wanted.has(id));
  return {
    segment: segment.name,
    listId,
    expected: wanted.size,
    actual: members.size,
    missing,
    unexpected,
    ok: missing.length === 0 && unexpected.length === 0,
  };
}
