import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { StageCanceled } from '@stages/contract/stage';

/**
 * Safe points of a long run: {@link checkpoint} throws {@link StageCanceled} once the signal is
 * aborted, and gives the event loop a turn when the run has held it for a while (so the API
 * stays responsive while a million records are matched).
 */
export class Pacer {
  private last = performance.now();

  constructor(
    private readonly signal: AbortSignal,
    private readonly sliceMs = 40,
  ) {}

  async checkpoint(): Promise<void> {
    this.throwIfCanceled();
    if (performance.now() - this.last < this.sliceMs) return;
    await yieldToEventLoop();
    this.last = performance.now();
    this.throwIfCanceled();
  }

  throwIfCanceled(): void {
    if (this.signal.aborted) throw new StageCanceled();
  }
}
