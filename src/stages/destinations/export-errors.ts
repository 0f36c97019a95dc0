import { AppError, ErrorCode } from '@platform/errors/app-error';

/** Starting an export while the destination has one queued or running (here or elsewhere). */
export class ExportAlreadyRunning extends AppError {
  constructor(
    readonly runningRunId: string,
    destinationName: string,
  ) {
    super(
      ErrorCode.CONFLICT,
      `An export of destination "${destinationName}" is already running (run ${runningRunId}); wait for it or cancel it`,
      [{ path: 'runningRunId', message: runningRunId }],
    );
    this.name = 'ExportAlreadyRunning';
  }
}
