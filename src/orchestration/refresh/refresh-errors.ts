import { AppError, ErrorCode } from '@platform/errors/app-error';

/** Starting a refresh while one is queued or running (in this process or another). */
export class RefreshAlreadyRunning extends AppError {
  constructor(readonly runningRunId: string) {
    super(
      ErrorCode.CONFLICT,
      `A refresh is already running (run ${runningRunId}); wait for it or cancel it`,
      [{ path: 'runningRunId', message: runningRunId }],
    );
    this.name = 'RefreshAlreadyRunning';
  }
}
