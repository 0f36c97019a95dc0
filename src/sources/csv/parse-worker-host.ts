import { WorkerThread, type WorkerEvents } from '../../common/worker-thread';
import type { FromWorker, ParseWorkerData, ToWorker } from './parse-messages';

/** Starts a CSV parse worker (`csv-parse.worker`), from the compiled app or from sources. */
export function startParseWorker(
  data: ParseWorkerData,
  name: string,
  events: WorkerEvents<FromWorker>,
): WorkerThread<ToWorker, FromWorker> {
  return new WorkerThread(__dirname, 'csv-parse.worker', data, name, events);
}
