import { RefreshHooks } from './refresh-hooks';
import { StageCanceled, type PipelineContext, type StageOutcome } from './stage';

const ctx = (signal = new AbortController().signal): PipelineContext => ({
  runId: 'run',
  signal,
  earlier: {},
  progress: () => undefined,
});

describe('RefreshHooks', () => {
  it('skips the export stage when nothing is registered', async () => {
    expect(await new RefreshHooks().runExportStage(ctx())).toEqual({
      status: 'skipped',
      figures: {},
      errors: ['no destinations'],
    });
  });

  it('runs the one registered export stage with the run context, and can unregister it', async () => {
    const hooks = new RefreshHooks();
    const outcome: StageOutcome = {
      status: 'partial',
      figures: { exported: 3 },
      errors: ['destination "crm": 403'],
    };
    const seen: string[] = [];
    const remove = hooks.registerExportStage('destinations', (c) => {
      seen.push(c.runId);
      return Promise.resolve(outcome);
    });
    expect(hooks.registered()).toEqual(['destinations']);
    expect(await hooks.runExportStage(ctx())).toBe(outcome);
    expect(seen).toEqual(['run']);
    expect(() => hooks.registerExportStage('destinations', () => Promise.resolve(outcome))).toThrow(
      'an export stage named "destinations" is already registered',
    );
    remove();
    expect(hooks.registered()).toEqual([]);
  });

  it('combines several runners: one failing makes the stage partial', async () => {
    const hooks = new RefreshHooks();
    hooks.registerExportStage('a', () =>
      Promise.resolve({ status: 'succeeded', figures: { n: 1 }, errors: [] }),
    );
    hooks.registerExportStage('b', () => Promise.reject(new Error('boom')));
    expect(await hooks.runExportStage(ctx())).toEqual({
      status: 'partial',
      figures: { n: 1 },
      errors: ['b: boom'],
    });
  });

  it('merges figures, prefixing the keys that collide, and leaves out runners with nothing to do', async () => {
    const hooks = new RefreshHooks();
    hooks.registerExportStage('a', () =>
      Promise.resolve({ status: 'succeeded', figures: { n: 1, x: 2 }, errors: [] }),
    );
    hooks.registerExportStage('b', () =>
      Promise.resolve({ status: 'skipped', figures: { n: 0 }, errors: ['none enabled'] }),
    );
    hooks.registerExportStage('c', () =>
      Promise.resolve({ status: 'failed', figures: {}, errors: ['403'] }),
    );
    expect(await hooks.runExportStage(ctx())).toEqual({
      status: 'partial',
      figures: { 'a.n': 1, x: 2, 'b.n': 0 },
      errors: ['c: 403'],
    });
    const idle = new RefreshHooks();
    idle.registerExportStage('a', () =>
      Promise.resolve({ status: 'skipped', figures: {}, errors: [] }),
    );
    idle.registerExportStage('b', () =>
      Promise.resolve({ status: 'skipped', figures: {}, errors: [] }),
    );
    expect((await idle.runExportStage(ctx())).status).toBe('skipped');
    const oneFails = new RefreshHooks();
    oneFails.registerExportStage('a', () =>
      Promise.resolve({ status: 'skipped', figures: {}, errors: [] }),
    );
    oneFails.registerExportStage('b', () =>
      Promise.resolve({ status: 'failed', figures: {}, errors: ['x'] }),
    );
    expect((await oneFails.runExportStage(ctx())).status).toBe('failed');
  });

  it('fails when every runner fails and passes a cancel through', async () => {
    const hooks = new RefreshHooks();
    hooks.registerExportStage('a', () =>
      Promise.resolve({ status: 'failed', figures: {}, errors: ['x'] }),
    );
    hooks.registerExportStage('b', () =>
      Promise.resolve({ status: 'failed', figures: {}, errors: ['y'] }),
    );
    expect((await hooks.runExportStage(ctx())).status).toBe('failed');
    const canceling = new RefreshHooks();
    canceling.registerExportStage('a', () => Promise.reject(new StageCanceled()));
    canceling.registerExportStage('b', () =>
      Promise.resolve({ status: 'succeeded', figures: {}, errors: [] }),
    );
    await expect(canceling.runExportStage(ctx())).rejects.toBeInstanceOf(StageCanceled);
  });
});
