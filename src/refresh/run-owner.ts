import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { RunOwner } from './refresh-run';

/** How often the owner of a running refresh writes its heartbeat (and looks for a cancel). */
export const HEARTBEAT_MS = 2_000;
/** A heartbeat older than this means the owner is gone, whatever its pid says. */
export const STALE_HEARTBEAT_MS = 60_000;

/**
 * This process as the owner of refresh runs, and the liveness of other owners. An adapter over
 * `os.hostname()`, `process.pid` and `process.kill(pid, 0)`, so the decision is testable.
 */
@Injectable()
export class ProcessIdentity {
  readonly self: RunOwner = { host: hostname(), pid: process.pid, bootId: randomUUID() };

  /** Whether a process with this pid exists on this host (signal 0 checks without sending). */
  pidAlive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      // EPERM: it exists but belongs to another user.
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }

  /** Whether the owner of a queued or running run is gone (see {@link ownerIsGone}). */
  isGone(owner: RunOwner | null, heartbeatAt: string | null, now: Date): boolean {
    return ownerIsGone(owner, heartbeatAt, now, this.self, (pid) => this.pidAlive(pid));
  }
}

/**
 * An owner is gone when
 * - it is an earlier start of this very process (same host and pid, another boot id), or
 * - it ran on this host and its pid no longer exists, or
 * - its heartbeat is older than {@link STALE_HEARTBEAT_MS} (another host, or a reused pid).
 * This process itself is never gone.
 */
export function ownerIsGone(
  owner: RunOwner | null,
  heartbeatAt: string | null,
  now: Date,
  self: RunOwner,
  pidAlive: (pid: number) => boolean,
): boolean {
  if (!owner) return true;
  if (owner.host === self.host && owner.pid === self.pid) return owner.bootId !== self.bootId;
  if (owner.host === self.host && !pidAlive(owner.pid)) return true;
  const beat = heartbeatAt ? Date.parse(heartbeatAt) : Number.NaN;
  return Number.isNaN(beat) || now.getTime() - beat > STALE_HEARTBEAT_MS;
}
