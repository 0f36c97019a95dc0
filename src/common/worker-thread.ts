import type { Transferable, Worker } from 'node:worker_threads';
import { startWorker } from './start-worker';

/** What the owner of a {@link WorkerThread} hears from it. */
export interface WorkerEvents<Out> {
  /** A message from the thread (none after {@link WorkerThread.stop} or a failure). */
  message(message: Out): void;
  /**
   * The thread threw, or it ended without being stopped: called once at most, never after
   * {@link WorkerThread.stop}, with an error that names the thread.
   */
  failed(error: Error): void;
}

/**
 * A worker thread (started by {@link startWorker}) with the event handling every owner needs:
 * its messages, its failure reported once whether it threw (an `error` event, then `exit`)
 * or stopped on its own, and silence once the owner stops it.
 */
export class WorkerThread<In, Out> {
  private readonly worker: Worker;
  private over = false;

  /**
   * @param dir the caller's `__dirname`; `entry` the worker file's name without extension
   * @param name what the thread is, for failures: "the CSV parse worker"
   */
  constructor(
    dir: string,
    entry: string,
    workerData: unknown,
    name: string,
    events: WorkerEvents<Out>,
  ) {
    this.worker = startWorker(dir, entry, workerData);
    this.worker.on('message', (message: Out) => {
      if (!this.over) events.message(message);
    });
    const fail = (error: Error) => {
      if (this.over) return;
      this.over = true;
      events.failed(error);
    };
    this.worker.on('error', (error) => {
      fail(new Error(`${name} failed: ${error.message}`, { cause: error }));
    });
    this.worker.on('exit', (code) => {
      fail(new Error(`${name} stopped unexpectedly (exit code ${code})`));
    });
  }

  post(message: In, transfer?: readonly Transferable[]): void {
    this.worker.postMessage(message, transfer);
  }

  /** Ends the thread; nothing more is reported. */
  async stop(): Promise<void> {
    this.over = true;
    await this.worker.terminate();
  }
}
