import type { RefreshRunView } from '@orchestration/refresh/refresh-run.view';
import type { StageRecord } from '@orchestration/refresh/refresh-run';
import type { StageFigures } from '@stages/contract/stage';

export function formatFigures(figures: StageFigures): string {
  return Object.entries(figures)
    .map(
      ([key, value]) =>
        `${key}=${typeof value === 'number' ? value.toLocaleString('en-US') : value}`,
    )
    .join(', ');
}

export function formatSeconds(from: string | null, to: string | null): string {
  if (!from || !to) return '';
  return `${((Date.parse(to) - Date.parse(from)) / 1000).toFixed(1)} s`;
}

/** One line per stage event: `  segments   succeeded  1.2 s  evaluated=3, members=1,024`. */
export function stageLine(stage: StageRecord): string {
  const parts = [`  ${stage.name.padEnd(9)}  ${stage.status.padEnd(9)}`];
  const took = formatSeconds(stage.startedAt, stage.finishedAt);
  if (took) parts.push(took);
  const figures = formatFigures(stage.figures);
  if (figures) parts.push(figures);
  if (stage.note) parts.push(`(${stage.note})`);
  return parts.join('  ').trimEnd();
}

/** The `status` table. */
export function runsTable(runs: RefreshRunView[]): string {
  if (runs.length === 0) return 'No refresh runs yet.';
  const rows = runs.map((r) => [
    r.id,
    r.trigger,
    r.status,
    r.createdAt,
    r.durationMs === null ? '' : `${(r.durationMs / 1000).toFixed(1)} s`,
    r.error ?? '',
  ]);
  const header = ['run', 'trigger', 'status', 'created', 'took', 'error'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
