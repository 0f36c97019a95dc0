import type { RunOwner } from '@platform/locks/run-owner';
import type { RunStatus, RunTrigger } from '@stages/contract/run-state';
import type { StageFigures, StageName, StageRunStatus } from '@stages/contract/stage';

/** One stage of a run as recorded (and shown by the API). */
export interface StageRecord {
  name: StageName;
  status: StageRunStatus;
  startedAt: string | null;
  finishedAt: string | null;
  /** Live while the stage runs. */
  figures: StageFigures;
  /** Errors in words (`segment "VIP": …`), at most {@link MAX_STAGE_ERRORS}. */
  errors: string[];
  /** Why a stage was skipped or how it ended, in words. */
  note: string | null;
}

/** A refresh run (times are ISO-8601 UTC). */
export interface RefreshRun {
  id: string;
  trigger: RunTrigger;
  status: RunStatus;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Why the run failed, was canceled or skipped, in words. */
  error: string | null;
  cancelRequestedAt: string | null;
  owner: RunOwner | null;
  heartbeatAt: string | null;
  stages: StageRecord[];
}

export const MAX_STAGE_ERRORS = 100;
