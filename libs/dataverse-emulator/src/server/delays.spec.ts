import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { Delays } from './delays';

/** Timers keeping the process alive (what made Jest report an open handle). */
const liveTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

function fakeSocket(): Socket & EventEmitter {
  return Object.assign(new EventEmitter(), { destroyed: false }) as unknown as Socket &
    EventEmitter;
}

describe('Delays (injected latency)', () => {
  it('waits the time out when nothing happens', async () => {
    const delays = new Delays();
    await expect(delays.wait(5, fakeSocket())).resolves.toBe(true);
    expect(delays.waiting).toBe(0);
  });

  it('ends at once, clearing its timer, when the socket closes', async () => {
    const delays = new Delays();
    const socket = fakeSocket();
    const before = liveTimers();
    const waited = delays.wait(600_000, socket);
    expect(liveTimers()).toBe(before + 1);
    expect(delays.waiting).toBe(1);
    socket.emit('close');
    await expect(waited).resolves.toBe(false);
    expect(liveTimers()).toBe(before);
    expect(delays.waiting).toBe(0);
    expect(socket.listenerCount('close')).toBe(0);
  });

  it('ends every wait, and refuses new ones, once cancelled (the emulator stops)', async () => {
    const delays = new Delays();
    const socket = fakeSocket();
    const before = liveTimers();
    const waits = [delays.wait(600_000, socket), delays.wait(600_000, fakeSocket())];
    delays.cancelAll();
    await expect(Promise.all(waits)).resolves.toEqual([false, false]);
    await expect(delays.wait(5, fakeSocket())).resolves.toBe(false);
    expect(liveTimers()).toBe(before);
    expect(socket.listenerCount('close')).toBe(0);
  });

  it('leaves no listener behind on a kept-alive socket after many waits', async () => {
    const delays = new Delays();
    const socket = fakeSocket();
    for (let i = 0; i < 20; i += 1) await delays.wait(1, socket);
    expect(socket.listenerCount('close')).toBe(0);
  });
});
