import { setTimeout as sleep } from 'node:timers/promises';
import type { ExportRunView } from '@stages/destinations/export-run.view';
import type { TestApp } from './test-app';

const FINAL = ['succeeded', 'partial', 'held', 'failed', 'canceled', 'skipped'];

/** Polls GET /api/export-runs/:id until `until` holds (default: the run ended). */
export async function waitForExport(
  t: TestApp,
  id: string,
  until: (run: ExportRunView) => boolean = (run) => FINAL.includes(run.status),
  timeoutMs = 30_000,
): Promise<ExportRunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.api().get(`/api/export-runs/${id}`);
    if (res.status !== 200)
      throw new Error(`GET export run ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    if (until(res.body)) return res.body;
    if (Date.now() > deadline) {
      throw new Error(`export run ${id} did not get there in time: ${JSON.stringify(res.body)}`);
    }
    await sleep(20);
  }
}

/** Starts an export of the destination through the API and waits until it ends. */
export async function exportNow(
  t: TestApp,
  destinationId: string,
  body: { fullSync?: boolean; trigger?: 'api' | 'ui'; approveRemovals?: boolean } = {},
): Promise<ExportRunView> {
  const res = await t.api().post(`/api/destinations/${destinationId}/runs`, body);
  if (res.status !== 202)
    throw new Error(`start export: ${res.status} ${JSON.stringify(res.body)}`);
  return waitForExport(t, res.body.id);
}
