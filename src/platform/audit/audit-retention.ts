import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@platform/config/app-config';
import { Clock } from '@platform/clock/clock';
import { Scheduler } from '@platform/schedule/scheduler';
import { AuditLog } from './audit-log.service';

const JOB = 'audit-retention';
const DAY_MS = 86_400_000;

/** Deletes audit entries older than AUDIT_RETENTION_DAYS: at start and every day after. */
@Injectable()
export class AuditRetention implements OnApplicationBootstrap {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly config: AppConfig,
    private readonly audit: AuditLog,
    private readonly scheduler: Scheduler,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.scheduler.active) return; // the API server owns it, not the CLI
    await this.purge();
    this.scheduler.every(JOB, DAY_MS, () => this.purge());
  }

  async purge(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.config.AUDIT_RETENTION_DAYS * DAY_MS);
    const purged = await this.audit.purgeBefore(cutoff);
    if (purged > 0) {
      this.logger.log(
        `Purged ${purged} audit entries older than ${this.config.AUDIT_RETENTION_DAYS} days`,
      );
    }
    return purged;
  }
}
