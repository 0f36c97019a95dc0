import type { RefreshRun } from './refresh-run';
import { RunRecorder } from './run-recorder';
import { STAGE_NAMES } from '@stages/contract/stage';

function run(): RefreshRun {
  return {
    id: 'run',
    trigger: 'api',
    status: 'running',
    createdAt: 't0',
    startedAt: 't0',
    finishedAt: null,
    error: null,
    cancelRequestedAt: null,
    owner: null,
    heartbeatAt: null,
    stages: STAGE_NAMES.map((name) => ({
      name,
      status: 'pending',
      startedAt: null,
      finishedAt: null,
      figures: {},
      errors: [],
      note: null,
    })),
  };
}

describe('RunRecorder', () => {
  it('writes each transition in order, a snapshot each time', async () => {
    const written: string[] = [];
    const r = new RunRecorder(
      run(),
      () => 'now',
      (snapshot) => {
        written.push(snapshot.stages.map((s) => s.status).join(','));
        return Promise.resolve();
      },
    );
    r.started('ingest');
    r.finished('ingest', 'succeeded', { figures: { records: 3 } });
    r.finished('unify', 'skipped', { note: 'an earlier stage failed' });
    await r.flush();
    expect(written).toEqual([
      'running,pending,pending,pending',
      'succeeded,pending,pending,pending',
      'succeeded,skipped,pending,pending',
      'succeeded,skipped,pending,pending',
    ]);
  });

  it('refuses transitions outside the stage state machine', () => {
    const r = new RunRecorder(
      run(),
      () => 'now',
      () => Promise.resolve(),
    );
    expect(() => {
      r.finished('segments', 'succeeded', {});
    }).toThrow('refresh stage cannot go from pending to succeeded');
  });

  it('merges live figures and writes them later, at most one pending write', async () => {
    const writes: unknown[] = [];
    const the = run();
    const r = new RunRecorder(
      the,
      () => 'now',
      (s) => {
        writes.push(s.stages[2].figures);
        return Promise.resolve();
      },
    );
    r.started('segments');
    r.progress('segments', { evaluated: 1 });
    r.progress('segments', { evaluated: 2, current: 'VIP' });
    expect(the.stages[2].figures).toEqual({ evaluated: 2, current: 'VIP' });
    await r.flush();
    expect(writes).toEqual([{}, { evaluated: 2, current: 'VIP' }]);
    r.finished('segments', 'succeeded', { figures: { evaluated: 2 } });
    r.progress('segments', { late: 1 });
    await r.flush();
    expect(the.stages[2].figures).toEqual({ evaluated: 2 });
  });

  it("caps errors, keeps a skipped stage's reason as a note, and survives a failed write", async () => {
    const the = run();
    let fail = true;
    const r = new RunRecorder(
      the,
      () => 'now',
      () => {
        if (fail) {
          fail = false;
          return Promise.reject(new Error('database down'));
        }
        return Promise.resolve();
      },
    );
    r.started('ingest');
    const errors = Array.from({ length: 105 }, (_, i) => `line ${i + 2}: bad date`);
    r.finished('ingest', 'partial', { errors });
    r.started('unify');
    r.finished('unify', 'skipped', { errors: ['no sources'] });
    await r.flush();
    expect(the.stages[0].errors).toHaveLength(101);
    expect(the.stages[0].errors[100]).toBe('… and 5 more');
    expect(the.stages[1]).toMatchObject({ status: 'skipped', errors: [], note: 'no sources' });
  });
});
