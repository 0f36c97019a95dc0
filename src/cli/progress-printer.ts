import type { RefreshRun } from '@orchestration/refresh/refresh-run';
import { formatFigures, stageLine } from './format';

/** Live figures of a running stage are printed at most this often. */
const FIGURES_EVERY_MS = 1_000;

/**
 * Prints a refresh's progress as plain lines (fit for a terminal, a pipe or a log): each
 * stage transition once, and the live figures of the running stage when they change, at most
 * once a second.
 */
export class ProgressPrinter {
  private readonly seen = new Map<string, string>();
  private lastFigures = new Map<string, { text: string; at: number }>();

  constructor(private readonly write: (line: string) => void) {}

  update(run: RefreshRun): void {
    for (const stage of run.stages) {
      if (stage.status === 'pending') continue;
      if (this.seen.get(stage.name) !== stage.status) {
        this.seen.set(stage.name, stage.status);
        this.write(stageLine(stage));
        continue;
      }
      if (stage.status !== 'running') continue;
      const text = formatFigures(stage.figures);
      const last = this.lastFigures.get(stage.name);
      const now = Date.now();
      if (text && text !== last?.text && (!last || now - last.at >= FIGURES_EVERY_MS)) {
        this.lastFigures.set(stage.name, { text, at: now });
        this.write(`  ${stage.name.padEnd(9)}  …          ${text}`);
      }
    }
  }

  /** The summary once the run ended: every stage that had not been printed, errors, status. */
  finish(run: RefreshRun): void {
    this.update(run);
    for (const stage of run.stages) {
      for (const error of stage.errors) this.write(`  ${stage.name.padEnd(9)}  error: ${error}`);
    }
    this.lastFigures = new Map();
    const took =
      run.startedAt && run.finishedAt
        ? ` in ${((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)} s`
        : '';
    this.write(`Refresh ${run.id} ${run.status}${took}${run.error ? `: ${run.error}` : ''}`);
  }
}
