import { runPipeline, type PipelineStages, type StageEvents } from './refresh-pipeline';
import {
  StageCanceled,
  type PipelineContext,
  type StageOutcome,
  type StageName,
} from '@stages/contract/stage';

type Event = [string, StageName, ...unknown[]];

function recorder(): StageEvents & { events: Event[] } {
  const events: Event[] = [];
  return {
    events,
    started: (stage) => events.push(['started', stage]),
    progress: (stage, figures) => events.push(['progress', stage, figures]),
    finished: (stage, status, result) => events.push([status, stage, result]),
  };
}

const ok = (figures = {}): StageOutcome => ({ status: 'succeeded', figures, errors: [] });

function stages(overrides: Partial<PipelineStages> = {}): PipelineStages & { calls: StageName[] } {
  const calls: StageName[] = [];
  const wrap = (name: StageName) => async (ctx: PipelineContext) => {
    calls.push(name);
    return overrides[name] ? overrides[name](ctx) : ok({ [name]: 1 });
  };
  return {
    calls,
    ingest: wrap('ingest'),
    unify: wrap('unify'),
    segments: wrap('segments'),
    export: wrap('export'),
  };
}

describe('runPipeline', () => {
  it('runs ingest, unify, segments and export in order and succeeds', async () => {
    const s = stages();
    const r = recorder();
    const result = await runPipeline(s, 'run-1', new AbortController().signal, r);
    expect(result).toEqual({ status: 'succeeded', error: null });
    expect(s.calls).toEqual(['ingest', 'unify', 'segments', 'export']);
    expect(r.events.map(([e, stage]) => `${e}:${stage}`)).toEqual([
      'started:ingest',
      'succeeded:ingest',
      'started:unify',
      'succeeded:unify',
      'started:segments',
      'succeeded:segments',
      'started:export',
      'succeeded:export',
    ]);
  });

  it('gives each stage the run id, live progress and the outcomes before it', async () => {
    const seen: PipelineContext[] = [];
    const s = stages({
      segments: (ctx) => {
        ctx.progress({ evaluated: 1 });
        seen.push(ctx);
        return Promise.resolve(ok({ members: 5 }));
      },
      export: (ctx) => {
        seen.push(ctx);
        return Promise.resolve(ok());
      },
    });
    const r = recorder();
    await runPipeline(s, 'run-2', new AbortController().signal, r);
    expect(seen[0].runId).toBe('run-2');
    expect(Object.keys(seen[0].earlier)).toEqual(['ingest', 'unify']);
    expect(seen[1].earlier.segments).toEqual(ok({ members: 5 }));
    expect(r.events).toContainEqual(['progress', 'segments', { evaluated: 1 }]);
  });

  it('skips the stages after one that fails, and fails the run', async () => {
    const s = stages({
      unify: () =>
        Promise.resolve({ status: 'failed', figures: {}, errors: ['no match rules', 'second'] }),
    });
    const r = recorder();
    const result = await runPipeline(s, 'run', new AbortController().signal, r);
    expect(result).toEqual({
      status: 'failed',
      error: 'the unify stage failed: no match rules (and 1 more)',
    });
    expect(s.calls).toEqual(['ingest', 'unify']);
    expect(r.events.slice(-2)).toEqual([
      ['skipped', 'segments', { note: 'an earlier stage failed' }],
      ['skipped', 'export', { note: 'an earlier stage failed' }],
    ]);
  });

  it('treats a stage that throws as failed, with the error in words', async () => {
    const s = stages({ ingest: () => Promise.reject(new Error('disk full')) });
    const r = recorder();
    const result = await runPipeline(s, 'run', new AbortController().signal, r);
    expect(result).toEqual({ status: 'failed', error: 'the ingest stage failed: disk full' });
    expect(r.events[1]).toEqual(['failed', 'ingest', { errors: ['disk full'] }]);
    expect(s.calls).toEqual(['ingest']);
  });

  it('goes on after a partial stage and ends partial', async () => {
    const s = stages({
      ingest: () =>
        Promise.resolve({
          status: 'partial',
          figures: { rejected: 2 },
          errors: ['line 3: bad date'],
        }),
    });
    const result = await runPipeline(s, 'run', new AbortController().signal, recorder());
    expect(result).toEqual({ status: 'partial', error: null });
    expect(s.calls).toEqual(['ingest', 'unify', 'segments', 'export']);
  });

  it('does not count a stage with nothing to do as an error', async () => {
    const s = stages({
      export: () =>
        Promise.resolve({ status: 'skipped', figures: {}, errors: ['no destinations'] }),
    });
    const r = recorder();
    expect(await runPipeline(s, 'run', new AbortController().signal, r)).toEqual({
      status: 'succeeded',
      error: null,
    });
    expect(r.events.at(-1)).toEqual([
      'skipped',
      'export',
      { figures: {}, errors: ['no destinations'] },
    ]);
  });

  it('stops at the next safe point when canceled during a stage', async () => {
    const controller = new AbortController();
    const s = stages({
      unify: (ctx) => {
        controller.abort();
        if (ctx.signal.aborted) throw new StageCanceled();
        return Promise.resolve(ok());
      },
    });
    const r = recorder();
    const result = await runPipeline(s, 'run', controller.signal, r);
    expect(result).toEqual({ status: 'canceled', error: 'canceled during the unify stage' });
    expect(s.calls).toEqual(['ingest', 'unify']);
    expect(r.events.slice(-3)).toEqual([
      ['canceled', 'unify', { note: 'stopped at a safe point' }],
      ['skipped', 'segments', { note: 'the run was canceled' }],
      ['skipped', 'export', { note: 'the run was canceled' }],
    ]);
  });

  it('cancels between stages when a stage ignores the signal', async () => {
    const controller = new AbortController();
    const s = stages({
      ingest: () => {
        controller.abort();
        return Promise.resolve(ok());
      },
    });
    const result = await runPipeline(s, 'run', controller.signal, recorder());
    expect(result).toEqual({ status: 'canceled', error: 'canceled before the unify stage' });
    expect(s.calls).toEqual(['ingest']);
  });
});
