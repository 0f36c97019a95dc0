import { Injectable, Logger } from '@nestjs/common';
import type { ExportRun } from './export-run';
import type { ExportRunStatus } from './export-run-status';

/** A run that just ended, with how the destination's run before it ended (null: none). */
export interface EndedExportRun {
  run: ExportRun;
  /** The last earlier run of the destination that ran (succeeded, partial or failed). */
  previousStatus: ExportRunStatus | null;
}

export type ExportRunListener = (ended: EndedExportRun) => Promise<void>;

/**
 * Who hears that an export run ended (notifications): registered by modules above this one,
 * so destinations never import them. A listener that throws is logged and does not disturb the
 * run or the other listeners.
 */
@Injectable()
export class ExportRunListeners {
  private readonly logger = new Logger('Exports');
  private readonly listeners: ExportRunListener[] = [];

  register(listener: ExportRunListener): void {
    this.listeners.push(listener);
  }

  async ended(ended: EndedExportRun): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(ended);
      } catch (error) {
        this.logger.error(
          `A listener of the end of export run ${ended.run.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      }
    }
  }
}
