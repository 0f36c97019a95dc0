import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** A process as recorded by whatever it owns (a run lock, a run row). */
export interface ProcessRef {
  host: string;
  pid: number;
  /** Random per process start, so a reused pid is not mistaken for the owner. */
  bootId: string;
}

/** A heartbeat older than this means the owner is gone, whatever its pid says. */
export const STALE_HEARTBEAT_MS = 60_000;

/** One per process, however many applications it starts (tests start several). */
const BOOT_ID = randomUUID();

/**
 * This process (host, pid, boot id) and the liveness of other processes. An adapter over
 * `os.hostname()`, `process.pid` and `process.kill(pid, 0)`, so the decisions are testable.
 * Registered once, in the platform module.
 */
export class ProcessIdentity {
  constructor(
    readonly self: ProcessRef = { host: hostname(), pid: process.pid, bootId: BOOT_ID },
  ) {}

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

  /**
   * Whether a process is known to be gone without asking it: an earlier start of this very
   * process (same host and pid, another boot id), or a pid on this host that no longer exists.
   * A process on another host is never known gone this way (its heartbeat tells).
   */
  processGone(owner: ProcessRef): boolean {
    return processGone(owner, this.self, (pid) => this.pidAlive(pid));
  }

  /** Whether the owner of a queued or running run is gone (see {@link ownerIsGone}). */
  isGone(owner: ProcessRef | null, heartbeatAt: string | null, now: Date): boolean {
    return ownerIsGone(owner, heartbeatAt, now, this.self, (pid) => this.pidAlive(pid));
  }
}

export function processGone(
  owner: ProcessRef,
  self: ProcessRef,
  pidAlive: (pid: number) => boolean,
): boolean {
  if (owner.host !== self.host) return false;
  if (owner.pid === self.pid) return owner.bootId !== self.bootId;
  return !pidAlive(owner.pid);
}

/**
 * An owner is gone when
 * - it is an earlier start of this very process (same host and pid, another boot id), or
 * - it ran on this host and its pid no longer exists, or
 * - its heartbeat is older than {@link STALE_HEARTBEAT_MS} (another host, or a reused pid).
 * This process itself is never gone.
 */
export function ownerIsGone(
  owner: ProcessRef | null,
  heartbeatAt: string | null,
  now: Date,
  self: ProcessRef,
  pidAlive: (pid: number) => boolean,
): boolean {
  if (!owner) return true;
  if (owner.host === self.host && owner.pid === self.pid) return owner.bootId !== self.bootId;
  if (processGone(owner, self, pidAlive)) return true;
  const beat = heartbeatAt ? Date.parse(heartbeatAt) : Number.NaN;
  return Number.isNaN(beat) || now.getTime() - beat > STALE_HEARTBEAT_MS;
}
