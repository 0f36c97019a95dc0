/** A row error: its physical line (header = line 1) or position in a read, and what is wrong. */
export interface RowError {
  line: number;
  message: string;
}

/** Row errors reported by an ingest (the rest are only counted). */
export const MAX_REPORTED_ERRORS = 100;

/**
 * Keeps the row errors with the smallest line numbers (the ones an ingest reports), however
 * many are added and in whatever order.
 */
export class ErrorList {
  private items: RowError[] = [];
  private sorted = true;

  constructor(private readonly limit = MAX_REPORTED_ERRORS) {}

  add(line: number, message: string): void {
    const last = this.items.at(-1);
    if (this.items.length >= this.limit && this.sorted && last && line >= last.line) return;
    if (last && line < last.line) this.sorted = false;
    this.items.push({ line, message });
    if (this.items.length >= this.limit * 2) this.trim();
  }

  addAll(errors: RowError[]): void {
    for (const e of errors) this.add(e.line, e.message);
  }

  /** The kept errors, by line. */
  list(): RowError[] {
    this.trim();
    return [...this.items];
  }

  private trim(): void {
    if (!this.sorted) this.items.sort((a, b) => a.line - b.line);
    this.sorted = true;
    if (this.items.length > this.limit) this.items.length = this.limit;
  }
}
