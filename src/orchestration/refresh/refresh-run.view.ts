import type { RefreshRun } from './refresh-run';

/** A run as the API shows it: the owner without its internal boot id, with a duration. */
export interface RefreshRunView extends Omit<RefreshRun, 'owner'> {
  owner: { host: string; pid: number } | null;
  durationMs: number | null;
}

export interface RefreshRunsPage {
  items: RefreshRunView[];
  nextCursor: string | null;
}

export function toRunView(run: RefreshRun): RefreshRunView {
  const { owner, ...rest } = run;
  return {
    ...rest,
    owner: owner ? { host: owner.host, pid: owner.pid } : null,
    durationMs:
      run.startedAt && run.finishedAt
        ? Date.parse(run.finishedAt) - Date.parse(run.startedAt)
        : null,
  };
}
