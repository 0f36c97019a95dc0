import type { WorkerThread } from '../../common/worker-thread';
import { CsvFileError } from './csv-file-error';
import { lineTooLongMessage } from './csv-input-decoder';
import { MAX_RECORD_BYTES } from './csv-options';
import { ErrorList } from './error-list';
import { BYTES_IN_FLIGHT, type FileParse, type ParseSink } from './file-parse';
import type {
  FromWorker,
  ParsedSegment,
  ParseWorkerData,
  SegmentFailure,
  ToWorker,
} from './parse-messages';
import { startParseWorker } from './parse-worker-host';

/** Pieces a worker may have been given and not yet answered. */
const PER_WORKER = 2;

const LF = 0x0a;
const CR = 0x0d;

/** A piece of the file, from a record's start to just after a line break (or the end). */
interface Segment {
  id: number;
  bytes: Buffer;
  /** Bumped when the piece grows (a quoted value crossed its end); older answers are dropped. */
  attempt: number;
  /** The attempt last given to a worker (-1: none). */
  sent: number;
  parsed?: ParsedSegment;
  failed?: SegmentFailure;
}

/**
 * A UTF-8 file parsed on several workers at once, so that parsing (the costliest step of an
 * ingest) runs on more than one core. The input is cut into pieces of about `segmentBytes`
 * after a line break; each piece is parsed on its own by the next free worker, and the
 * answers are taken in file order, with line numbers made absolute.
 *
 * A cut is only safe where a record starts, and a line break may be inside a quoted value.
 * Cuts are not checked in advance (that would mean scanning every byte for quotes here):
 * a piece is parsed as if it started at a record, and that is confirmed when the piece
 * before it is known to end outside quotes (every piece is taken only after its predecessor).
 * A piece that ends inside a quoted value is joined with the next one and parsed again, and
 * the answer for the next one is dropped; at the end of the file that is the real error
 * "quote never closed". So the records, errors and line numbers are exactly those of one
 * parser reading the file from the start (as {@link StreamParse} does).
 *
 * Memory: the pieces' bytes are kept until their answer is taken, and the input waits while
 * more than {@link BYTES_IN_FLIGHT} are held; the uncut rest of the input is bounded by the
 * longest record allowed.
 */
export class SegmentParse implements FileParse {
  private readonly workers: { worker: WorkerThread<ToWorker, FromWorker>; busy: number }[] = [];
  private readonly queue: Segment[] = [];
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Pending bytes at which to try the next cut (doubled while no line break is found). */
  private cutAt: number;
  private nextId = 0;
  private header: string[] | undefined;
  /** Lines before the piece at the head of the queue. */
  private linesBefore = 0;
  private rowsRead = 0;
  private rowsRejected = 0;
  private readonly errors = new ErrorList();
  private ended = false;
  private held = false;
  private waiting = false;
  private stopped = false;

  constructor(
    data: ParseWorkerData,
    workers: number,
    private readonly segmentBytes: number,
    private readonly sink: ParseSink,
  ) {
    this.cutAt = segmentBytes;
    for (let i = 0; i < workers; i++) {
      const entry = {
        busy: 0,
        worker: startParseWorker(data, 'a CSV parse worker', {
          message: (message) => {
            if (message.type !== 'segment') return;
            entry.busy--;
            this.receive(message);
          },
          failed: (error) => {
            this.fail(error);
          },
        }),
      };
      this.workers.push(entry);
    }
  }

  write(chunk: Buffer): boolean {
    if (this.stopped) return true;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= Math.min(this.cutAt, MAX_RECORD_BYTES + 1)) this.cut();
    this.dispatch();
    this.waiting = this.heldBytes() >= BYTES_IN_FLIGHT;
    return !this.waiting;
  }

  end(): void {
    if (this.stopped) return;
    this.ended = true;
    const rest = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    if (rest.length > 0 || this.queue.length === 0) this.add(rest);
    this.dispatch();
    this.take();
  }

  hold(held: boolean): void {
    this.held = held;
    if (!held) this.dispatch();
  }

  async close(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.workers.map((w) => w.worker.stop()));
  }

  /** Cuts the pending input after its last line break into a new piece. */
  private cut(): void {
    const bytes = Buffer.concat(this.pending);
    const end = lastBreakEnd(bytes);
    if (end === 0) {
      this.pending = [bytes];
      this.cutAt = bytes.length * 2;
      if (bytes.length > MAX_RECORD_BYTES) this.tooLong();
      return;
    }
    this.cutAt = this.segmentBytes;
    this.add(bytes.subarray(0, end));
    const rest = bytes.subarray(end);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
  }

  /** Queues a piece, or lets the piece waiting for more (ended inside quotes) take it in. */
  private add(bytes: Buffer): void {
    const head = this.queue.at(0);
    if (this.queue.length === 1 && head?.failed?.openQuote) {
      this.grow(head, bytes);
      return;
    }
    this.queue.push({ id: this.nextId++, bytes, attempt: 0, sent: -1 });
  }

  private grow(segment: Segment, more: Buffer): void {
    segment.bytes = Buffer.concat([segment.bytes, more]);
    segment.attempt++;
    segment.parsed = undefined;
    segment.failed = undefined;
  }

  /** Gives waiting pieces to workers with room (the header must be known first). */
  private dispatch(): void {
    if (this.stopped) return;
    for (const segment of this.queue) {
      if (this.held) return;
      if (segment.sent === segment.attempt || segment.parsed || segment.failed) continue;
      // The piece that starts the file reads the header; the others need it.
      const first = !this.header;
      if (first && segment !== this.queue[0]) return;
      const free = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
      if (free.busy >= PER_WORKER) return;
      free.busy++;
      segment.sent = segment.attempt;
      free.worker.post({
        type: 'segment',
        id: segment.id,
        attempt: segment.attempt,
        bytes: segment.bytes,
        header: first ? undefined : this.header,
      });
    }
  }

  private receive(message: Extract<FromWorker, { type: 'segment' }>): void {
    if (this.stopped) return;
    const segment = this.queue.find((s) => s.id === message.id);
    if (segment?.attempt === message.attempt) {
      segment.parsed = message.parsed;
      segment.failed = message.failed;
      this.take();
    }
    this.dispatch();
  }

  /** Takes the answers at the head of the queue, in file order. */
  private take(): void {
    for (let head = this.queue.at(0); head && !this.stopped; head = this.queue.at(0)) {
      if (head.failed) {
        if (!head.failed.openQuote || (this.ended && this.queue.length === 1)) {
          this.fileFailed(head.failed);
          return;
        }
        const next = this.queue.at(1);
        if (!next) return; // waits for more input (see add)
        this.queue.splice(1, 1);
        this.grow(head, next.bytes);
        this.dispatch();
        return;
      }
      const parsed = head.parsed;
      if (!parsed) return;
      this.queue.shift();
      this.accept(parsed);
    }
    if (this.queue.length === 0 && this.ended && !this.stopped) {
      this.stopped = true;
      this.sink.done(this.rowsRead, this.rowsRejected, this.errors.list());
      return;
    }
    if (this.waiting && this.heldBytes() < BYTES_IN_FLIGHT) {
      this.waiting = false;
      this.sink.room();
    }
  }

  private accept(parsed: ParsedSegment): void {
    const base = this.linesBefore;
    if (parsed.header) this.header = parsed.header;
    const lines = parsed.batch.lines;
    for (let i = 0; i < lines.length; i++) lines[i] += base;
    for (const e of parsed.errors) this.errors.add(e.line + base, e.message);
    this.rowsRead += parsed.rowsRead;
    this.rowsRejected += parsed.rowsRejected;
    this.linesBefore += parsed.lines;
    if (parsed.batch.keys.length > 0) this.sink.batch(parsed.batch);
  }

  /** The file fails where the piece failed; its message names the line as in the piece. */
  private fileFailed(failure: SegmentFailure): void {
    const base = this.linesBefore;
    if (failure.line === undefined) {
      this.fail(new CsvFileError(failure.message));
      return;
    }
    const line = failure.line + base;
    const message = failure.message.replace(/^line \d+/, `line ${line}`);
    this.fail(new CsvFileError(message, line));
  }

  /** No line break within the longest record allowed: fails where that line starts. */
  private tooLong(): void {
    const bytes = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.cutAt = this.segmentBytes;
    const failure = {
      message: lineTooLongMessage(1),
      line: 1,
      openQuote: false,
    };
    this.queue.push({ id: this.nextId++, bytes, attempt: 0, sent: 0, failed: failure });
    this.take();
  }

  /** Bytes of the pieces not yet taken (the uncut rest is bounded by the longest record). */
  private heldBytes(): number {
    return this.queue.reduce((n, s) => n + s.bytes.length, 0);
  }

  private fail(error: Error): void {
    if (this.stopped) return;
    this.stopped = true;
    this.sink.failed(error);
  }
}

/**
 * Offset just after the last line break of `bytes` (0: none). LF is preferred; a CR only
 * counts when the piece has no LF at all (old Mac line ends) and is not its last byte (a LF
 * may follow in the next chunk).
 */
export function lastBreakEnd(bytes: Buffer): number {
  const lf = bytes.lastIndexOf(LF);
  if (lf >= 0) return lf + 1;
  return bytes.length < 2 ? 0 : bytes.lastIndexOf(CR, bytes.length - 2) + 1;
}
