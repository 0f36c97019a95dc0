import { canceledError } from './errors';

/**
 * Runs `worker` over items pulled lazily from `source`, with at most `concurrency()` in flight
 * (read again before each start, so a changing `x-ms-dop-hint` applies at once). Stops pulling at
 * the first failure (or when `signal` fires), lets the running ones settle, and rethrows that
 * failure. Items are pulled only when a slot is free, so a large source is never held in memory.
 */
export async function forEachConcurrent<T>(
  source: AsyncIterable<T> | Iterable<T>,
  concurrency: () => number,
  worker: (item: T) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const iterator: AsyncIterator<T> | Iterator<T> =
    Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  const running = new Set<Promise<void>>();
  const state: { failure: { error: unknown } | null; done: boolean } = {
    failure: null,
    done: false,
  };
  try {
    for (;;) {
      if (signal?.aborted) state.failure ??= { error: canceledError() };
      while (state.failure === null && running.size >= Math.max(1, concurrency())) {
        await Promise.race(running);
      }
      if (state.failure !== null) break;
      const next = await iterator.next();
      if (next.done === true) {
        state.done = true;
        break;
      }
      const task: Promise<void> = worker(next.value).then(
        () => {
          running.delete(task);
        },
        (error: unknown) => {
          running.delete(task);
          state.failure ??= { error };
        },
      );
      running.add(task);
    }
  } catch (error) {
    state.failure ??= { error };
  }
  await Promise.all(running);
  if (!state.done) {
    try {
      await iterator.return?.();
    } catch {
      // the source's own clean-up failed; the first failure is the one to report
    }
  }
  if (state.failure !== null) throw state.failure.error;
}
