import { DataverseErrorKind } from './errors';
import { forEachConcurrent } from './for-each-concurrent';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('forEachConcurrent', () => {
  it('keeps at most concurrency() in flight and pulls items only when a slot is free', async () => {
    let running = 0;
    let most = 0;
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 20; i += 1) {
        await tick();
        pulled += 1;
        expect(pulled - done).toBeLessThanOrEqual(4);
        yield i;
      }
    }
    let done = 0;
    await forEachConcurrent(
      source(),
      () => 3,
      async () => {
        running += 1;
        most = Math.max(most, running);
        // Ten turns of the event loop, where the source takes one per item: counted in turns,
        // not milliseconds, so a busy machine cannot finish one before the third starts.
        for (let turn = 0; turn < 10; turn += 1) await tick();
        running -= 1;
        done += 1;
      },
    );
    expect(done).toBe(20);
    expect(most).toBe(3);
  });

  it('follows a changing limit', async () => {
    let limit = 1;
    let most = 0;
    let running = 0;
    await forEachConcurrent(
      Array.from({ length: 12 }, (_, i) => i),
      () => limit,
      async (i) => {
        if (i === 3) limit = 4;
        running += 1;
        most = Math.max(most, running);
        await tick();
        running -= 1;
      },
    );
    expect(most).toBe(4);
  });

  it('stops pulling at the first failure, lets running work settle, then rethrows it', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    let closed = false;
    async function* source() {
      try {
        for (let i = 0; i < 100; i += 1) {
          await tick();
          yield i;
        }
      } finally {
        closed = true;
      }
    }
    await expect(
      forEachConcurrent(
        source(),
        () => 2,
        async (i) => {
          started.push(i);
          await tick();
          if (i === 3) throw new Error('chunk 3 failed');
          await tick();
          finished.push(i);
        },
      ),
    ).rejects.toThrow('chunk 3 failed');
    expect(started.length).toBeLessThan(10);
    expect(finished).toEqual(started.filter((i) => i !== 3));
    expect(closed).toBe(true);
  });

  it('ends with CANCELED when the signal fires', async () => {
    const controller = new AbortController();
    let count = 0;
    await expect(
      forEachConcurrent(
        Array.from({ length: 50 }),
        () => 2,
        async () => {
          count += 1;
          if (count === 5) controller.abort();
          await tick();
        },
        controller.signal,
      ),
    ).rejects.toMatchObject({ kind: DataverseErrorKind.CANCELED });
    expect(count).toBeLessThan(10);
  });
});
