import { SchedulerRegistry } from '@nestjs/schedule';
import { gatedExportStage, waitForRun, waitForRuns } from './refresh-support';
import { startTestApp, type TestApp } from './support/test-app';
import { closeAll } from './support/close-all';

const EVERY_SECOND = '* * * * * *';

describe('refresh schedule', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => closeAll(t));

  const hasJob = () => t.app.get(SchedulerRegistry).doesExist('cron', 'refresh');

  it('is off by default', async () => {
    const res = await t.api().get('/api/schedule').expect(200);
    expect(res.body).toEqual({
      enabled: false,
      cron: '0 3 * * *',
      timeZone: 'UTC',
      nextRunAt: null,
      lastScheduledRun: null,
    });
    expect(hasJob()).toBe(false);
  });

  it('refuses an invalid cron expression or time zone, naming the field', async () => {
    const cron = await t
      .api()
      .put('/api/schedule', { enabled: true, cron: 'every night', timeZone: 'UTC' })
      .expect(400);
    expect(cron.body.details).toEqual([
      {
        path: 'cron',
        message:
          'is not a valid cron expression: "every" is not a month or weekday name (jan–dec, sun–sat); use 5 fields "minute hour day month weekday", or 6 with seconds first, e.g. "0 3 * * *" (03:00 every day)',
      },
    ]);
    const zone = await t
      .api()
      .put('/api/schedule', { enabled: true, cron: '0 3 * * *', timeZone: 'Mars/Olympus' })
      .expect(400);
    expect(zone.body.details).toEqual([
      {
        path: 'timeZone',
        message:
          'is not a known IANA time zone (got "Mars/Olympus"); e.g. "UTC", "Europe/Berlin", "America/New_York"',
      },
    ]);
    const both = await t
      .api()
      .put('/api/schedule', { enabled: true, cron: '61 * * * *', timeZone: '' })
      .expect(400);
    expect(both.body.details.map((d: { path: string }) => d.path)).toEqual(['cron', 'timeZone']);
    const missing = await t
      .api()
      .put('/api/schedule', { cron: '0 3 * * *', timeZone: 'UTC' })
      .expect(400);
    expect(missing.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'enabled' })]),
    );
    expect((await t.api().get('/api/schedule').expect(200)).body.enabled).toBe(false);
    expect(hasJob()).toBe(false);
  });

  it('applies a schedule at once and says when it runs next, in its time zone', async () => {
    const res = await t
      .api()
      .put('/api/schedule', { enabled: true, cron: '0 3 * * *', timeZone: 'Europe/Berlin' })
      .expect(200);
    expect(res.body).toMatchObject({ enabled: true, cron: '0 3 * * *', timeZone: 'Europe/Berlin' });
    const next = new Date(res.body.nextRunAt);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(25 * 3600_000);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    expect(local.format(next)).toBe('03:00');
    expect(hasJob()).toBe(true);

    const off = await t
      .api()
      .put('/api/schedule', { enabled: false, cron: '0 3 * * *', timeZone: 'Europe/Berlin' })
      .expect(200);
    expect(off.body).toMatchObject({ enabled: false, nextRunAt: null });
    expect(hasJob()).toBe(false);
  });

  it('fires, and records a refresh that comes due while one runs as skipped', async () => {
    const gate = gatedExportStage(t);
    try {
      await t
        .api()
        .put('/api/schedule', { enabled: true, cron: EVERY_SECOND, timeZone: 'UTC' })
        .expect(200);
      const first = (
        await waitForRuns(t, (runs) => runs.some((r) => r.trigger === 'schedule'))
      ).find((r) => r.trigger === 'schedule')!;
      expect(first).toMatchObject({ trigger: 'schedule' });
      await gate.inside;
      const runs = await waitForRuns(t, (all) =>
        all.some((r) => r.trigger === 'schedule' && r.status === 'skipped'),
      );
      const skipped = runs.find((r) => r.status === 'skipped')!;
      expect(skipped).toMatchObject({
        trigger: 'schedule',
        error: `another refresh was running (run ${first.id})`,
        startedAt: null,
        owner: null,
      });
      expect(skipped.stages.map((s) => s.status)).toEqual([
        'skipped',
        'skipped',
        'skipped',
        'skipped',
      ]);
      expect((await t.api().get(`/api/refresh/runs/${first.id}`).expect(200)).body.status).toBe(
        'running',
      );

      const schedule = await t.api().get('/api/schedule').expect(200);
      expect(schedule.body.lastScheduledRun).toMatchObject({
        status: expect.stringMatching(/^(skipped|running)$/),
      });
    } finally {
      await t
        .api()
        .put('/api/schedule', { enabled: false, cron: EVERY_SECOND, timeZone: 'UTC' })
        .expect(200);
      gate.release();
      gate.unregister();
    }
    const runs = (await t.api().get('/api/refresh/runs?limit=200').expect(200)).body.items;
    for (const run of runs.filter(
      (r: { status: string }) => r.status === 'running' || r.status === 'queued',
    )) {
      expect((await waitForRun(t, run.id)).status).toBe('succeeded');
    }
    expect(hasJob()).toBe(false);
  });
});

describe('refresh schedule across a restart', () => {
  it('is applied again at start-up and keeps firing', async () => {
    const first = await startTestApp();
    try {
      await first
        .api()
        .put('/api/schedule', { enabled: true, cron: EVERY_SECOND, timeZone: 'UTC' })
        .expect(200);
      await first.stop();
      const second = await startTestApp({
        reuse: { dataDir: first.dataDir, database: first.database },
      });
      try {
        const res = await second.api().get('/api/schedule').expect(200);
        expect(res.body).toMatchObject({
          enabled: true,
          cron: EVERY_SECOND,
          timeZone: 'UTC',
          nextRunAt: expect.any(String),
        });
        expect(second.app.get(SchedulerRegistry).doesExist('cron', 'refresh')).toBe(true);
        const runs = await waitForRuns(second, (all) =>
          all.some((r) => r.trigger === 'schedule' && r.status === 'succeeded'),
        );
        expect(runs.some((r) => r.trigger === 'schedule')).toBe(true);
        await second
          .api()
          .put('/api/schedule', { enabled: false, cron: EVERY_SECOND, timeZone: 'UTC' })
          .expect(200);
      } finally {
        await second.stop();
      }
    } finally {
      await first.close();
    }
  });
});
