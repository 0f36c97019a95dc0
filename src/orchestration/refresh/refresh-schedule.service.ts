import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppError } from '@platform/errors/app-error';
import { Scheduler } from '@platform/schedule/scheduler';
import { SettingsService } from '@platform/settings/settings.service';
import type { ScheduleDto } from './dto/schedule.dto';
import { RefreshService } from './refresh.service';
import { RunStore } from './run-store';

const SETTING = 'refresh.schedule';
const JOB = 'refresh';

export interface RefreshSchedule {
  enabled: boolean;
  cron: string;
  timeZone: string;
}

export interface RefreshScheduleView extends RefreshSchedule {
  /** When the next scheduled refresh starts (null when disabled). */
  nextRunAt: string | null;
  /** The last run the schedule started (or skipped). */
  lastScheduledRun: { id: string; status: string; createdAt: string } | null;
}

/** Off by default, as in Customer Insights; a nightly time once turned on. */
export const DEFAULT_SCHEDULE: RefreshSchedule = {
  enabled: false,
  cron: '0 3 * * *',
  timeZone: 'UTC',
};

/**
 * The refresh schedule: kept in the database (app_setting `refresh.schedule`), applied at once
 * when changed and at every start through the {@link Scheduler}. A refresh that comes due while
 * another runs is recorded as `skipped` (RefreshService.startScheduled).
 */
@Injectable()
export class RefreshScheduleService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Refresh');

  constructor(
    private readonly settings: SettingsService,
    private readonly scheduler: Scheduler,
    private readonly refresh: RefreshService,
    private readonly runs: RunStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const schedule = await this.current();
    // A stored schedule that no longer reads (it was validated when saved) is logged, not fatal.
    if (Scheduler.check(schedule.cron, schedule.timeZone).length > 0) {
      this.logger.error(
        `The stored refresh schedule is invalid and was not applied: ${JSON.stringify(schedule)}`,
      );
      return;
    }
    this.apply(schedule);
  }

  async get(): Promise<RefreshScheduleView> {
    const schedule = await this.current();
    const last = await this.runs.latest('schedule');
    return {
      ...schedule,
      nextRunAt: schedule.enabled
        ? Scheduler.nextAt(schedule.cron, schedule.timeZone).toISOString()
        : null,
      lastScheduledRun: last
        ? { id: last.id, status: last.status, createdAt: last.createdAt }
        : null,
    };
  }

  async update(body: ScheduleDto): Promise<RefreshScheduleView> {
    const schedule: RefreshSchedule = {
      enabled: body.enabled,
      cron: body.cron.trim(),
      timeZone: body.timeZone.trim(),
    };
    const problems = Scheduler.check(schedule.cron, schedule.timeZone);
    if (problems.length > 0) throw AppError.validationMany(problems);
    await this.settings.set(SETTING, schedule);
    this.apply(schedule);
    this.logger.log(
      schedule.enabled
        ? `Refresh schedule: "${schedule.cron}" (${schedule.timeZone})`
        : 'Refresh schedule: off',
    );
    return this.get();
  }

  private async current(): Promise<RefreshSchedule> {
    return { ...DEFAULT_SCHEDULE, ...(await this.settings.get<RefreshSchedule>(SETTING)) };
  }

  private apply(schedule: RefreshSchedule): void {
    if (!schedule.enabled) {
      this.scheduler.remove(JOB);
      return;
    }
    this.scheduler.set(JOB, schedule.cron, schedule.timeZone, () => this.refresh.startScheduled());
  }
}
