import { setTimeout as sleep } from 'node:timers/promises';
import { RefreshHooks } from '@stages/contract/refresh-hooks';
import type { RefreshRunView } from '@orchestration/refresh/refresh-run.view';
import { StageCanceled, type PipelineContext, type StageOutcome } from '@stages/contract/stage';
import type { TestApp } from './support/test-app';

const TERMINAL = ['succeeded', 'partial', 'failed', 'canceled', 'skipped'];

/** Polls GET /api/refresh/runs/:id until `until` holds (default: the run ended). */
export async function waitForRun(
  t: TestApp,
  id: string,
  until: (run: RefreshRunView) => boolean = (run) => TERMINAL.includes(run.status),
  timeoutMs = 30_000,
): Promise<RefreshRunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.api().get(`/api/refresh/runs/${id}`).expect(200);
    if (until(res.body)) return res.body;
    if (Date.now() > deadline) {
      throw new Error(`run ${id} did not get there in time: ${JSON.stringify(res.body)}`);
    }
    await sleep(25);
  }
}

/** Polls GET /api/refresh/runs until `until` holds for the list of runs. */
export async function waitForRuns(
  t: TestApp,
  until: (runs: RefreshRunView[]) => boolean,
  timeoutMs = 30_000,
): Promise<RefreshRunView[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.api().get('/api/refresh/runs?limit=200').expect(200);
    if (until(res.body.items)) return res.body.items;
    if (Date.now() > deadline) {
      throw new Error(`runs did not get there in time: ${JSON.stringify(res.body.items)}`);
    }
    await sleep(25);
  }
}

/**
 * An export stage registered the way the destinations module registers its own: it reports
 * progress, then waits until released (or canceled), then answers `outcome`.
 */
export function gatedExportStage(
  t: TestApp,
  outcome: StageOutcome = { status: 'succeeded', figures: { exported: 1 }, errors: [] },
) {
  let release!: () => void;
  let entered!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const contexts: PipelineContext[] = [];
  const unregister = t.app
    .get(RefreshHooks)
    .registerExportStage('test-destinations', async (ctx) => {
      contexts.push(ctx);
      ctx.progress({ exported: 0, queued: 5 });
      entered();
      await new Promise<void>((resolve, reject) => {
        void gate.then(resolve);
        ctx.signal.addEventListener('abort', () => {
          reject(new StageCanceled());
        });
      });
      return outcome;
    });
  return { release, inside, contexts, unregister };
}

/** A CSV source made through `POST /api/sources`; answers its id. */
export async function createCsvSource(
  t: TestApp,
  name: string,
  mapping: Record<string, string | { column: string; type: string }>,
  primaryKey = 'id',
): Promise<string> {
  const res = await t
    .api()
    .post('/api/sources', { name, type: 'csv', primaryKey, mapping })
    .expect(201);
  return res.body.id as string;
}

/** Uploads rows as a CSV file (`POST /api/sources/:id/upload`): they replace the source's records. */
export async function uploadCsv(
  t: TestApp,
  sourceId: string,
  header: string[],
  rows: string[][],
): Promise<void> {
  const body = `${[header, ...rows].map((r) => r.join(',')).join('\n')}\n`;
  await t
    .api()
    .post(`/api/sources/${sourceId}/upload`)
    .set('Content-Type', 'text/csv')
    .send(body)
    .expect(200);
}
