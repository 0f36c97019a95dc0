/** The org's row-version counter: every create, change and delete takes the next number. */
export class VersionClock {
  constructor(private value = 1000) {}

  next(): number {
    this.value += 1;
    return this.value;
  }

  /** Reserves `count` consecutive versions; returns the first. */
  take(count: number): number {
    const first = this.value + 1;
    this.value += count;
    return first;
  }

  get current(): number {
    return this.value;
  }

  /** Continues from a saved value (never goes back). */
  restore(value: number): void {
    this.value = Math.max(this.value, value);
  }
}
