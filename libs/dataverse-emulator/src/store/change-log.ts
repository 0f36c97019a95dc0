/**
 * The order in which contacts changed, as runs of consecutive versions over consecutive row
 * indexes: seeding a million contacts is one run, each later change its own. Change tracking
 * reads it from a delta token's version on, so a delta query never scans the whole table.
 */
export class ChangeLog {
  private readonly startVersion: number[] = [];
  private readonly startIndex: number[] = [];
  private readonly count: number[] = [];

  append(version: number, index: number, count = 1): void {
    const last = this.count.length - 1;
    if (
      last >= 0 &&
      this.startVersion[last] + this.count[last] === version &&
      this.startIndex[last] + this.count[last] === index
    ) {
      this.count[last] += count;
      return;
    }
    this.startVersion.push(version);
    this.startIndex.push(index);
    this.count.push(count);
  }

  /** Entries (version, index) with version > `after`, in version order. */
  *since(after: number): Generator<{ version: number; index: number }> {
    let lo = 0;
    let hi = this.count.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.startVersion[mid] + this.count[mid] - 1 <= after) lo = mid + 1;
      else hi = mid;
    }
    for (let run = lo; run < this.count.length; run += 1) {
      const first = Math.max(0, after + 1 - this.startVersion[run]);
      for (let k = first; k < this.count[run]; k += 1) {
        yield { version: this.startVersion[run] + k, index: this.startIndex[run] + k };
      }
    }
  }

  toJSON(): number[][] {
    return [this.startVersion, this.startIndex, this.count];
  }

  static fromJSON(data: number[][]): ChangeLog {
    const log = new ChangeLog();
    for (let i = 0; i < data[0].length; i += 1) {
      log.startVersion.push(data[0][i]);
      log.startIndex.push(data[1][i]);
      log.count.push(data[2][i]);
    }
    return log;
  }

  /** Replays the runs: the latest version of each index (for restoring saved state). */
  replay(apply: (index: number, version: number) => void): void {
    for (let run = 0; run < this.count.length; run += 1) {
      for (let k = 0; k < this.count[run]; k += 1) {
        apply(this.startIndex[run] + k, this.startVersion[run] + k);
      }
    }
  }
}
