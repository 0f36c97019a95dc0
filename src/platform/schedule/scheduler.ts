import { Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob, CronTime, validateCronExpression } from 'cron';
import { cronProblemInWords } from './cron-words';
import type { ErrorDetail } from '@platform/errors/app-error';

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
      onTick: () => this.run(name, task),
    });
    this.registry.addCronJob(name, job);
    job.start();
  }

  /**
   * Runs `task` every `ms` under `name` (replacing that job), for housekeeping: its timer does
   * not keep the process alive, so a process whose start failed half-way (and is never closed)
   * still exits.
   */
  every(name: string, ms: number, task: () => Promise<unknown>): void {
    this.remove(name);
    if (!schedulesRun) return;
    const timer = setInterval(() => void this.run(name, task), ms);
    timer.unref();
    this.registry.addInterval(name, timer);
  }

  remove(name: string): void {
    if (this.registry.doesExist('cron', name)) this.registry.deleteCronJob(name);
    if (this.registry.doesExist('interval', name)) this.registry.deleteInterval(name);
  }

  /** One run of a job's task, passed over while the previous one still runs. */
  private async run(name: string, task: () => Promise<unknown>): Promise<void> {
    if (this.busy.has(name)) {
      this.logger.warn(`Schedule "${name}": passed over a tick, the previous one is still running`);
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
        message: `is not a valid cron expression: ${cronProblemInWords(cron, validation.error?.message)}; use 5 fields "minute hour day month weekday", or 6 with seconds first, e.g. "0 3 * * *" (03:00 every day)`,
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
