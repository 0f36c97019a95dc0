import { Injectable } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { Principal } from './principal';

/** A person signing in, failing to, or signing out (the audit log records these). */
export interface SignInEvent {
  outcome: 'signed-in' | 'failed' | 'signed-out';
  principal?: Principal;
  /** Why a sign-in failed, in words (never a secret or a token). */
  reason?: string;
  at: Date;
  ip?: string;
}

/**
 * Sign-in outcomes as a stream, so the sign-in code does not depend on who records them
 * (the audit log subscribes to `events$`).
 */
@Injectable()
export class SignInEvents {
  private readonly subject = new Subject<SignInEvent>();
  readonly events$: Observable<SignInEvent> = this.subject.asObservable();

  emit(event: SignInEvent): void {
    this.subject.next(event);
  }
}
