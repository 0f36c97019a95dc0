/** An append-only list of 32-bit integers in one typed array (4 bytes per entry, no boxing). */
export class GrowableIntArray {
  private data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  pushPair(a: number, b: number): void {
    this.push(a);
    this.push(b);
  }

  get(i: number): number {
    return this.data[i];
  }

  /** A view of the filled part (valid until the next push). */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}
