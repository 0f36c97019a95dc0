/**
 * A worker for `src/common/worker-thread.spec.ts`: answers each message with `{ echo }`, or, as
 * `workerData.mode` asks, throws (`throw`) or exits with code 3 (`exit`) on its first message.
 */
import { parentPort, workerData } from 'node:worker_threads';

const port = parentPort;
if (!port) throw new Error('echo.worker must run in a worker thread');
const { mode } = workerData as { mode: 'echo' | 'throw' | 'exit' };
port.on('message', (message: unknown) => {
  if (mode === 'throw') throw new Error('the echo worker was told to throw');
  if (mode === 'exit') process.exit(3);
  port.postMessage({ echo: message });
});
