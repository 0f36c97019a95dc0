/** Small measuring tools shared by the benchmarks. */

/** Samples the process's resident set size and keeps the peak. */
export class PeakRss {
  private peak = process.memoryUsage.rss();
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 20) {
    this.timer = setInterval(() => {
      this.sample();
    }, intervalMs);
    this.timer.unref();
  }

  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }

  /** Starts a new measurement from the current RSS. */
  reset(): void {
    this.peak = process.memoryUsage.rss();
  }

  get peakMb(): number {
    this.sample();
    return Math.round(this.peak / 1024 / 1024);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Runs `fn` and returns its result with the elapsed wall time in seconds. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ result: T; seconds: number }> {
  const start = performance.now();
  const result = await fn();
  return { result, seconds: (performance.now() - start) / 1000 };
}

export function rate(count: number, seconds: number): number {
  return Math.round(count / seconds);
}

/** Prints rows as an aligned table (and returns the text, for docs/benchmarks.md). */
export function printTable(title: string, rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return '';
  const headers = Object.keys(rows[0]);
  const cells = rows.map((r) => headers.map((h) => formatCell(r[h])));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  const text = [
    `### ${title}`,
    '',
    line(headers),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...cells.map(line),
    '',
  ].join('\n');
  console.log(text);
  return text;
}

function formatCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return value;
}
