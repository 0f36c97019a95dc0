import { join } from 'node:path';
import { WorkerThread } from './worker-thread';

const FIXTURES = join(__dirname, '../../test/support');

interface Heard {
  messages: unknown[];
  failures: Error[];
}

function start(mode: 'echo' | 'throw' | 'exit', heard: Heard, next?: () => void) {
  return new WorkerThread<string, unknown>(FIXTURES, 'echo.worker', { mode }, 'the echo worker', {
    message: (m) => {
      heard.messages.push(m);
      next?.();
    },
    failed: (e) => {
      heard.failures.push(e);
      next?.();
    },
  });
}

/** Resolves after the next event the thread reports, and then `settle` ms more. */
function nextEvent(settle = 200): { next: () => void; heard: Promise<void> } {
  let next = () => {};
  const heard = new Promise<void>((resolve) => {
    next = () => setTimeout(resolve, settle);
  });
  return { next, heard };
}

describe('WorkerThread', () => {
  it('passes messages both ways', async () => {
    const heard: Heard = { messages: [], failures: [] };
    const wait = nextEvent(0);
    const thread = start('echo', heard, wait.next);
    thread.post('hello');
    await wait.heard;
    await thread.stop();
    expect(heard.messages).toEqual([{ echo: 'hello' }]);
    expect(heard.failures).toEqual([]);
  });

  it('reports an error thrown in the thread once, naming the thread (not again for its exit)', async () => {
    const heard: Heard = { messages: [], failures: [] };
    const wait = nextEvent();
    const thread = start('throw', heard, wait.next);
    thread.post('go');
    await wait.heard;
    expect(heard.failures.map((e) => e.message)).toEqual([
      'the echo worker failed: the echo worker was told to throw',
    ]);
    expect((heard.failures[0].cause as Error).message).toBe('the echo worker was told to throw');
    await thread.stop();
    expect(heard.failures).toHaveLength(1);
  });

  it('reports a thread that ends without being stopped, with its exit code', async () => {
    const heard: Heard = { messages: [], failures: [] };
    const wait = nextEvent();
    start('exit', heard, wait.next).post('go');
    await wait.heard;
    expect(heard.failures.map((e) => e.message)).toEqual([
      'the echo worker stopped unexpectedly (exit code 3)',
    ]);
  });

  it('reports nothing once stopped', async () => {
    const heard: Heard = { messages: [], failures: [] };
    const thread = start('echo', heard);
    await thread.stop();
    thread.post('late');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heard).toEqual({ messages: [], failures: [] });
  });
});
