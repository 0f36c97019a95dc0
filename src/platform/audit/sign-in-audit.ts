import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { SignInEvents, type SignInEvent } from '@platform/auth/sign-in-events';
import { AuditLog } from './audit-log.service';

const ACTIONS: Record<SignInEvent['outcome'], string> = {
  'signed-in': 'sign-in',
  failed: 'sign-in-failed',
  'signed-out': 'sign-out',
};

/** Records people's sign-ins, failed sign-ins and sign-outs in the audit log. */
@Injectable()
export class SignInAudit implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Audit');
  private subscription?: Subscription;

  constructor(
    private readonly events: SignInEvents,
    private readonly audit: AuditLog,
  ) {}

  onModuleInit(): void {
    this.subscription = this.events.events$.subscribe((event) => {
      this.audit
        .record({
          actor: event.principal ?? null,
          action: ACTIONS[event.outcome],
          entity: 'session',
          after: event.reason ? { reason: event.reason } : undefined,
          ip: event.ip ?? null,
        })
        .catch((error: unknown) => {
          this.logger.error(`Could not record a ${event.outcome} event: ${String(error)}`);
        });
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }
}
