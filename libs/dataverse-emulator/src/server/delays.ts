import type { Socket } from 'node:net';

/**
 * Injected latency that ends as soon as no one is left to answer: the client closed the
 * connection, or the emulator is stopping. A plain `setTimeout` kept running after `stop()`
 * (Jest then reported an open handle) and answered clients that had gone.
 */
export class Delays {
  private readonly pending = new Set<() => void>();
  private stopped = false;

  /** Requests waiting in injected latency right now. */
  get waiting(): number {
    return this.pending.size;
  }

  /**
   * Waits `ms`. Resolves true when the time passed, false as soon as `socket` closes or
   * `cancelAll()` runs (the request is then abandoned).
   */
  wait(ms: number, socket: Socket): Promise<boolean> {
    if (this.stopped || socket.destroyed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const finish = (completed: boolean) => {
        clearTimeout(timer);
        socket.off('close', cut);
        this.pending.delete(cut);
        resolve(completed);
      };
      const cut = () => {
        finish(false);
      };
      const timer = setTimeout(() => {
        finish(true);
      }, ms);
      socket.once('close', cut);
      this.pending.add(cut);
    });
  }

  /** Ends every wait now and every later one at once: the emulator is stopping. */
  cancelAll(): void {
    this.stopped = true;
    for (const cut of [...this.pending]) cut();
  }
}

/**
 * The status recorded in the statistics for a request abandoned during injected latency (the
 * client closed the connection, or the emulator stopped): nginx's "client closed request".
 * It did nothing and was not answered.
 */
export const ABANDONED = 499;
