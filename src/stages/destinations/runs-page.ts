import { AppError } from '@platform/errors/app-error';
import { decodeCursor, encodeCursor } from '@stages/segments/segment.mapper';
import type { ExportRun } from './export-run';
import { toExportRunView, type ExportRunsPage } from './export-run.view';

/** The run id a page starts after, from the `cursor` the API gave out (400 otherwise). */
export function cursorToId(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = decodeCursor(cursor);
  if (id === undefined) throw AppError.validation('cursor', 'is not a cursor this API gave out');
  return id;
}

/** A page of runs from `limit + 1` fetched runs (the extra one says there is a next page). */
export function runsPage(runs: ExportRun[], limit: number): ExportRunsPage {
  const items = runs.slice(0, limit).map(toExportRunView);
  return {
    items,
    nextCursor: runs.length > limit ? encodeCursor(items[items.length - 1].id) : null,
  };
}
