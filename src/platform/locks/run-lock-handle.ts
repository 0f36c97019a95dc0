import type { LockHolder, RunLocks } from './run-locks';

/**
 * A lock held by this process. Renewed by {@link RunLocks}'s heartbeat while held; `lost` once
 * it was taken over or its connection (PostgreSQL) broke, and `onLost` listeners are told.
 */
export class RunLockHandle {
  private released = false;
  private isLost = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly name: string,
    /** Unique to this hold of the lock; fences writes (see {@link heldSql}). */
    readonly token: string,
    readonly holder: LockHolder,
    private readonly locks: RunLocks,
  ) {}

  /**
   * SQL true while this hold of the lock lasts, for a holder's writes: `… WHERE id = ? AND
   * ${handle.heldSql}` with {@link heldParams} appended writes nothing once it was taken over.
   */
  get heldSql(): string {
    return 'EXISTS (SELECT 1 FROM run_lock WHERE name = ? AND token = ?)';
  }

  get heldParams(): [string, string] {
    return [this.name, this.token];
  }

  get lost(): boolean {
    return this.isLost;
  }

  /** Calls `listener` once when the lock is lost (at once if it already is). */
  onLost(listener: () => void): void {
    if (this.isLost) listener();
    else this.listeners.add(listener);
  }

  /** Keeps the lock now (the heartbeat does this on its own); answers whether it still holds. */
  async renew(): Promise<boolean> {
    if (this.released || this.isLost) return !this.isLost;
    const held = await this.locks.renew(this);
    if (!held) this.markLost(); // a no-op once released
    return held;
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.listeners.clear();
    await this.locks.release(this);
  }

  /** @internal */
  markLost(): void {
    if (this.isLost || this.released) return;
    this.isLost = true;
    for (const listener of this.listeners) listener();
    this.listeners.clear();
  }
}
