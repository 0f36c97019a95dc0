import { Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob, CronTime, validateCronExpression } from 'cron';
import type { ErrorDetail } from '../common/app-error';

let schedulesRun = true;

/**
 * Keeps this process from running schedules. The CLI calls it before it starts the application:
 * it shares the database with the API server, which owns the schedule.
 */
export function disableSchedulesInThisProcess(): void {
  schedulesRun = false;
}

/**
 * The one place that owns schedules (wrapping @nestjs/schedule's SchedulerRegistry): jobs under
 * stable names, replaced as a whole when their settings change, never overlapping — a tick that
 * comes while the previous task of the same job still runs is passed over (and logged).
 */
@Injectable()
export class Scheduler {
  private readonly logger = new Logger('Scheduler');
  private readonly busy = new Set<string>();

  constructor(private readonly registry: SchedulerRegistry) {}

  /** Whether this process runs schedules (the CLI does not). */
  get active(): boolean {
    return schedulesRun;
  }

  /** Runs `task` at every time `cron` names in `timeZone`, under `name` (replacing that job). */
  set(name: string, cron: string, timeZone: string, task: () => Promise<unknown>): void {
    this.remove(name);
    if (!schedulesRun) return;
    const job = CronJob.from({
      cronTime: cron,
      timeZone,
      start: false,
      onTick: async () => {
        if (this.busy.has(name)) {
          this.logger.warn(
            `Schedule "${name}": passed over a tick, the previous one is still running`,
          );
          return;
        }
        this.busy.add(name);
        try {
          await task();
        } catch (error) {
          this.logger.error(
            `Schedule "${name}" failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          );
        } finally {
          this.busy.delete(name);
        }
      },
    });
    this.registry.addCronJob(name, job);
    job.start();
  }

  /**
   * Runs `task` every `intervalMs` under `name` (replacing that job), never overlapping: a tick
   * that comes while the previous task still runs is passed over quietly (a poll, not a duty).
   */
  every(name: string, intervalMs: number, task: () => Promise<unknown>): void {
    this.remove(name);
    if (!schedulesRun) return;
    const timer = setInterval(() => {
      if (this.busy.has(name)) return;
      this.busy.add(name);
      task()
        .catch((error: unknown) => {
          this.logger.error(
            `Schedule "${name}" failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          );
        })
        .finally(() => this.busy.delete(name));
    }, intervalMs);
    timer.unref();
    this.registry.addInterval(name, timer);
  }

  remove(name: string): void {
    if (this.registry.doesExist('cron', name)) this.registry.deleteCronJob(name);
    if (this.registry.doesExist('interval', name)) this.registry.deleteInterval(name);
  }

  /** When the job of that name runs next, or null when there is none in this process. */
  nextRun(name: string): Date | null {
    if (!this.registry.doesExist('cron', name)) return null;
    return this.registry.getCronJob(name).nextDate().toJSDate();
  }

  /** Problems with a cron expression and a time zone, by field (`cron`, `timeZone`). */
  static check(cron: string, timeZone: string): ErrorDetail[] {
    const problems: ErrorDetail[] = [];
    const validation = validateCronExpression(cron);
    if (!validation.valid) {
      problems.push({
        path: 'cron',
        message: `is not a valid cron expression (${validation.error?.message ?? 'unreadable'}); use 5 fields "minute hour day month weekday", or 6 with seconds first, e.g. "0 3 * * *"`,
      });
    }
    if (!isTimeZone(timeZone)) {
      problems.push({
        path: 'timeZone',
        message: `is not a known IANA time zone (got "${timeZone}"); e.g. "UTC", "Europe/Berlin", "America/New_York"`,
      });
    }
    return problems;
  }

  /** The next time a valid expression names, after now. */
  static nextAt(cron: string, timeZone: string): Date {
    return new CronTime(cron, timeZone).sendAt().toJSDate();
  }
}

function isTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    return false;
  }
  try {
    // luxon (used by cron) must read it too.
    new CronTime('0 0 * * *', timeZone);
    return true;
  } catch {
    return false;
  }
}
