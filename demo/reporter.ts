/** Prints the demo's steps, their progress and their outcome, one line at a time. */
export class Reporter {
  private index = 0;
  private lastProgress = '';

  constructor(
    private readonly total: number,
    private readonly write: (line: string) => void = (line) => {
      process.stdout.write(`${line}\n`);
    },
  ) {}

  line(text = ''): void {
    this.write(text);
  }

  /** Runs one step: its title, its progress lines, then what it did and how long it took. */
  async step<T>(
    title: string,
    work: (progress: (text: string) => void) => Promise<T>,
    done: (result: T) => string,
  ): Promise<T> {
    this.index += 1;
    this.lastProgress = '';
    this.write(`[${this.index}/${this.total}] ${title}`);
    const started = performance.now();
    const result = await work((text) => {
      if (text !== this.lastProgress) {
        this.lastProgress = text;
        this.write(`        ${text}`);
      }
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    this.write(`      ✓ ${done(result)} (${seconds} s)`);
    return result;
  }
}

/** 12345 → "12,345". */
export function n(value: number): string {
  return value.toLocaleString('en-US');
}
