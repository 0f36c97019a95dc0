import type { WorkerThread } from '../../common/worker-thread';
import { CsvFileError } from './csv-file-error';
import { BYTES_IN_FLIGHT, type FileParse, type ParseSink } from './file-parse';
import type { FromWorker, ParseWorkerData, ToWorker } from './parse-messages';
import { startParseWorker } from './parse-worker-host';

/**
 * The whole file streamed through one parse worker: for encodings other than UTF-8, whose
 * bytes cannot be cut at a line break without decoding them. Flow control both ways: bytes go
 * out while fewer than {@link BYTES_IN_FLIGHT} wait in the worker; batches the ingest took
 * while held are acknowledged when it lets go, and the worker stops after `batchesAhead`
 * unacknowledged ones.
 */
export class StreamParse implements FileParse {
  private readonly worker: WorkerThread<ToWorker, FromWorker>;
  private inFlight = 0;
  private waiting = false;
  private held = false;
  private untaken = 0;
  private stopped = false;

  constructor(
    data: ParseWorkerData,
    private readonly sink: ParseSink,
  ) {
    this.worker = startParseWorker(data, 'the CSV parse worker', {
      message: (message) => {
        this.receive(message);
      },
      failed: (error) => {
        this.fail(error);
      },
    });
  }

  write(chunk: Buffer): boolean {
    // A chunk is often a view into a larger buffer, which postMessage would copy whole:
    // copy just its bytes and hand the copy over without another copy.
    const bytes = new Uint8Array(chunk.length);
    bytes.set(chunk);
    this.worker.post({ type: 'bytes', bytes }, [bytes.buffer]);
    this.inFlight += chunk.length;
    this.waiting = this.inFlight >= BYTES_IN_FLIGHT;
    return !this.waiting;
  }

  end(): void {
    this.worker.post({ type: 'end' });
  }

  hold(held: boolean): void {
    this.held = held;
    if (held) return;
    for (; this.untaken > 0; this.untaken--) this.worker.post({ type: 'taken' });
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.worker.stop();
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
        else this.worker.post({ type: 'taken' });
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
