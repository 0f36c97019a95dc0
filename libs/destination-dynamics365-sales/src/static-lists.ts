import type { DataverseClient } from '@audience-sync/dataverse-client';
import type { ExistingTarget } from '@audience-sync/exporter-contract';

/** Lists offered at most (a person picks from them; the rest can be given by id). */
export const MAX_OFFERED_LISTS = 500;

/**
 * The active, unlocked, static contact lists of the organization, by name: the lists an export
 * can keep instead of creating its own (the same ones `checkUsable` accepts).
 */
export async function staticContactLists(
  client: DataverseClient,
  signal: AbortSignal,
): Promise<ExistingTarget[]> {
  const filter = encodeURIComponent(
    'type eq false and createdfromcode eq 2 and statecode eq 0 and lockstatus eq false',
  );
  const out: ExistingTarget[] = [];
  for await (const page of client.pages<{
    listid: string;
    listname: string;
    membercount: number | null;
  }>(`lists?$select=listid,listname,membercount&$filter=${filter}`, {
    maxPageSize: MAX_OFFERED_LISTS,
    signal,
  })) {
    for (const row of page.rows) {
      out.push({
        id: row.listid,
        name: row.listname,
        ...(row.membercount !== null ? { members: row.membercount } : {}),
      });
    }
    if (out.length >= MAX_OFFERED_LISTS) break;
  }
  return out.slice(0, MAX_OFFERED_LISTS).sort((a, b) => a.name.localeCompare(b.name));
}
