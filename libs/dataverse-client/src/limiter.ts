import { canceledError } from './errors';

/**
 * A counting semaphore whose limit can change while in use (Dataverse's `x-ms-dop-hint` may
 * change between responses). Waiters are served in arrival order.
 */
export class Limiter {
  private active = 0;
  private readonly waiters: Array<{ grant: () => void }> = [];

  constructor(private limitValue: number) {
    if (limitValue < 1) throw new RangeError('limit must be at least 1');
  }

  get limit(): number {
    return this.limitValue;
  }

  set limit(value: number) {
    this.limitValue = Math.max(1, Math.floor(value));
    this.drain();
  }

  /** Requests now running. */
  get running(): number {
    return this.active;
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw canceledError();
    if (this.active < this.limitValue && this.waiters.length === 0) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(canceledError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  release(): void {
    this.active -= 1;
    this.drain();
  }

  private drain(): void {
    while (this.active < this.limitValue && this.waiters.length > 0) {
      const next = this.waiters.shift();
      if (next === undefined) break;
      this.active += 1;
      next.grant();
    }
  }
}
