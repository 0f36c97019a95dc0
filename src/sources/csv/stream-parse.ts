import type { Worker } from 'node:worker_threads';
import { CsvFileError } from './csv-file-error';
import { BYTES_IN_FLIGHT, type FileParse, type ParseSink } from './file-parse';
import type { FromWorker, ParseWorkerData } from './parse-messages';
import { startParseWorker } from './parse-worker-host';

/**
 * The whole file streamed through one parse worker: for encodings other than UTF-8, whose
 * bytes cannot be cut at a line break without decoding them. Flow control both ways: bytes go
 * out while fewer than {@link BYTES_IN_FLIGHT} wait in the worker; batches the ingest took
 * while held are acknowledged when it lets go, and the worker stops after `batchesAhead`
 * unacknowledged ones.
 */
export class StreamParse implements FileParse {
  private readonly worker: Worker;
  private inFlight = 0;
  private waiting = false;
  private held = false;
  private untaken = 0;
  private stopped = false;

  constructor(
    data: ParseWorkerData,
    private readonly sink: ParseSink,
  ) {
    this.worker = startParseWorker(data);
    this.worker.on('message', (message: FromWorker) => {
      this.receive(message);
    });
    this.worker.on('error', (error) => {
      this.fail(error);
    });
    this.worker.on('exit', (code) => {
      this.fail(new Error(`the CSV parse worker stopped unexpectedly (exit code ${code})`));
    });
  }

  write(chunk: Buffer): boolean {
    // A chunk is often a view into a larger buffer, which postMessage would copy whole:
    // copy just its bytes and hand the copy over without another copy.
    const bytes = new Uint8Array(chunk.length);
    bytes.set(chunk);
    this.worker.postMessage({ type: 'bytes', bytes }, [bytes.buffer]);
    this.inFlight += chunk.length;
    this.waiting = this.inFlight >= BYTES_IN_FLIGHT;
    return !this.waiting;
  }

  end(): void {
    this.worker.postMessage({ type: 'end' });
  }

  hold(held: boolean): void {
    this.held = held;
    if (held) return;
    for (; this.untaken > 0; this.untaken--) this.worker.postMessage({ type: 'taken' });
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.worker.terminate();
  }

  private receive(message: FromWorker): void {
    if (this.stopped) return;
    switch (message.type) {
      case 'consumed':
        this.inFlight -= message.bytes;
        if (this.waiting && this.inFlight < BYTES_IN_FLIGHT) {
          this.waiting = false;
          this.sink.room();
        }
        break;
      case 'batch':
        this.sink.batch(message.batch);
        if (this.held) this.untaken++;
        else this.worker.postMessage({ type: 'taken' });
        break;
      case 'done':
        this.stopped = true;
        this.sink.done(message.rowsRead, message.rowsRejected, message.errors);
        break;
      case 'failed':
        this.fail(new CsvFileError(message.message, message.line));
        break;
      case 'segment':
        break; // only sent to a segment parse
    }
  }

  private fail(error: Error): void {
    if (this.stopped) return;
    this.stopped = true;
    this.sink.failed(error);
  }
}
