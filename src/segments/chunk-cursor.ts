/**
 * Hands out chunk numbers 0 … count-1, each once, to threads that share its buffer (the main
 * thread and a scan worker): whichever is free takes the next chunk, so neither waits for a
 * fixed half while the other is slowed down. {@link close} makes every thread stop early.
 */
export class ChunkCursor {
  private readonly cells: Int32Array;

  /** A new cursor over `count` chunks, or one attached to another thread's `buffer`. */
  constructor(source: number | SharedArrayBuffer) {
    if (typeof source === 'number') {
      this.cells = new Int32Array(new SharedArrayBuffer(8));
      this.cells[1] = source;
    } else {
      this.cells = new Int32Array(source);
    }
  }

  get buffer(): SharedArrayBuffer {
    return this.cells.buffer as SharedArrayBuffer;
  }

  /** The next chunk to scan, or -1 when there is none left. */
  next(): number {
    const i = Atomics.add(this.cells, 0, 1);
    return i < Atomics.load(this.cells, 1) ? i : -1;
  }

  close(): void {
    Atomics.store(this.cells, 1, 0);
  }
}
