import type { INestApplicationContext } from '@nestjs/common';
import { RefreshAlreadyRunning } from '@orchestration/refresh/refresh-errors';
import { toRunView } from '@orchestration/refresh/refresh-run.view';
import { RefreshService } from '@orchestration/refresh/refresh.service';
import { EXIT } from './exit-codes';
import { runsTable } from './format';
import { ProgressPrinter } from './progress-printer';

export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** `refresh`: runs the pipeline in this process through the service the API uses. */
export async function refreshCommand(
  app: INestApplicationContext,
  io: Output,
  json: boolean,
): Promise<number> {
  const service = app.get(RefreshService);
  const printer = new ProgressPrinter(json ? () => undefined : io.out);
  let run;
  try {
    run = await service.start('cli', (r) => {
      printer.update(r);
    });
  } catch (error) {
    if (error instanceof RefreshAlreadyRunning) {
      io.err(
        `A refresh is already running (run ${error.runningRunId}); try again once it has ended.`,
      );
      return EXIT.busy;
    }
    throw error;
  }
  if (!json) io.out(`Refresh ${run.id} (cli) started`);
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) {
      io.err('Stopping now; the run will be marked interrupted by the next start.');
      process.exit(EXIT.interrupted);
    }
    io.err('Canceling the refresh at its next safe point (Ctrl-C again to stop at once)…');
    service.cancel(run.id).catch((error: unknown) => {
      io.err(`Could not cancel: ${String(error)}`);
    });
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    const final = await service.wait(run.id);
    if (json) io.out(JSON.stringify(toRunView(final), null, 2));
    else printer.finish(final);
    if (interrupts > 0 && final.status === 'canceled') return EXIT.interrupted;
    return final.status === 'succeeded' || final.status === 'partial' ? EXIT.ok : EXIT.failed;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

/** `status`: the last runs, newest first. */
export async function statusCommand(
  app: INestApplicationContext,
  io: Output,
  json: boolean,
  limit: number,
): Promise<number> {
  const runs = (await app.get(RefreshService).list(limit)).map(toRunView);
  io.out(json ? JSON.stringify(runs, null, 2) : runsTable(runs));
  return EXIT.ok;
}
