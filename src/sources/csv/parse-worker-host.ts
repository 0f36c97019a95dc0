import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../common/start-worker';
import type { ParseWorkerData } from './parse-messages';

/** Starts the CSV parse worker (`csv-parse.worker`), from the compiled app or from sources. */
export function startParseWorker(data: ParseWorkerData): Worker {
  return startWorker(__dirname, 'csv-parse.worker', data);
}
