import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { MAX_RECORD_BYTES } from './csv-options';

/** Bytes that are not valid text in the declared encoding (the whole file is refused). */
export class EncodingError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'EncodingError';
  }
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Checks and decodes the bytes of an upload on their way to the CSV parser, which reads UTF-8.
 *
 * Input is cut after its last line break; the complete lines are checked (UTF-8: validated
 * and passed through untouched; other encodings: decoded strictly with `TextDecoder` and
 * re-encoded as UTF-8), the rest waits for the next chunk. A line break always ends a
 * character in the supported encodings, so each piece decodes on its own, and invalid bytes
 * are pinned to their physical line (header = line 1) by checking the failing piece line by
 * line. BOMs: the reader drops a UTF-8 one, `TextDecoder` the UTF-16 ones.
 */
export class CsvInputDecoder {
  private readonly utf8: boolean;
  private readonly utf16: 'le' | 'be' | null;
  private readonly decoder: { decode(bytes: Uint8Array): string } | null;
  private carry: Buffer | null = null;
  /** Line breaks in the pieces already handed on. */
  private lines = 0;
  private first = true;

  constructor(readonly encoding: string) {
    this.utf8 = encoding === 'utf-8';
    this.utf16 = encoding === 'utf-16le' ? 'le' : encoding === 'utf-16be' ? 'be' : null;
    this.decoder = this.utf8
      ? null
      : encoding === 'windows-1252'
        ? WINDOWS_1252
        : new TextDecoder(encoding, { fatal: true });
  }

  /** The UTF-8 bytes of the complete lines received so far (null when there are none yet). */
  push(chunk: Uint8Array): Buffer | null {
    const bytes = this.carry ? Buffer.concat([this.carry, chunk]) : Buffer.from(chunk);
    const cut = this.lastBreakEnd(bytes);
    if (cut === 0) {
      if (bytes.length > MAX_RECORD_BYTES) {
        throw new EncodingError(this.lines + 1, lineTooLongMessage(this.lines + 1));
      }
      this.carry = bytes;
      return null;
    }
    this.carry = cut < bytes.length ? bytes.subarray(cut) : null;
    return this.piece(bytes.subarray(0, cut));
  }

  /** The rest of the input, at its end. */
  end(): Buffer | null {
    const rest = this.carry;
    this.carry = null;
    return rest && rest.length > 0 ? this.piece(rest) : null;
  }

  private piece(bytes: Buffer): Buffer {
    const firstPiece = this.first;
    this.first = false;
    if (this.utf8) {
      if (!isUtf8(bytes)) this.fail(bytes, firstPiece);
      this.lines += countBreaks(bytes);
      return bytes;
    }
    let text: string;
    try {
      text = (this.decoder as { decode(bytes: Uint8Array): string }).decode(bytes);
    } catch {
      this.fail(bytes, firstPiece);
    }
    this.lines += countTextBreaks(text);
    return Buffer.from(text, 'utf8');
  }

  /** Finds the first bad line of a piece that failed, and throws. */
  private fail(bytes: Buffer, firstPiece: boolean): never {
    let start = 0;
    let index = 0;
    for (const end of this.lineEnds(bytes)) {
      const line = bytes.subarray(start, end);
      const bad = this.utf8 ? firstInvalidUtf8(line) : this.decodes(line) ? -1 : 0;
      if (bad >= 0) {
        const n = this.lines + 1 + index;
        const detail = this.utf8
          ? ` (byte 0x${line[bad].toString(16).toUpperCase().padStart(2, '0')} at byte ${bad + 1} of the line)`
          : '';
        const hint =
          firstPiece && index === 0 && this.utf8 && bom16(bytes)
            ? '; the file starts with a UTF-16 byte-order mark: set the source option encoding to utf-16le or utf-16be'
            : '; if the file is in another encoding, set the source option encoding';
        throw new EncodingError(n, `line ${n}: not valid ${this.encoding} text${detail}${hint}`);
      }
      start = end;
      index++;
    }
    throw new EncodingError(
      this.lines + 1,
      `line ${this.lines + 1}: not valid ${this.encoding} text`,
    );
  }

  private decodes(line: Buffer): boolean {
    try {
      new TextDecoder(this.encoding, { fatal: true }).decode(line);
      return true;
    } catch {
      return false;
    }
  }

  /** Offset just after the last line break (0 when there is none). */
  private lastBreakEnd(bytes: Buffer): number {
    if (this.utf16) {
      const hi = this.utf16 === 'le' ? 1 : 0;
      for (let i = (bytes.length & ~1) - 2; i >= 0; i -= 2) {
        const unit = bytes[i + hi] === 0 ? bytes[i + 1 - hi] : -1;
        if (unit === LF || unit === CR) return i + 2;
      }
      return 0;
    }
    return Math.max(bytes.lastIndexOf(LF), bytes.lastIndexOf(CR)) + 1;
  }

  /** Offsets just after each line break of a piece, and its end. */
  private *lineEnds(bytes: Buffer): Generator<number> {
    const step = this.utf16 ? 2 : 1;
    const hi = this.utf16 === 'le' ? 1 : 0;
    for (let i = 0; i + step <= bytes.length; i += step) {
      const unit = this.utf16 ? (bytes[i + hi] === 0 ? bytes[i + 1 - hi] : -1) : bytes[i];
      if (unit === LF || (unit === CR && !this.nextIsLf(bytes, i + step))) yield i + step;
    }
    yield bytes.length;
  }

  private nextIsLf(bytes: Buffer, i: number): boolean {
    if (!this.utf16) return bytes[i] === LF;
    const hi = this.utf16 === 'le' ? 1 : 0;
    return i + 1 < bytes.length && bytes[i + hi] === 0 && bytes[i + 1 - hi] === LF;
  }
}

/** The message for a line without a break within the longest record allowed. */
export function lineTooLongMessage(line: number): string {
  return `line ${line} is longer than ${MAX_RECORD_BYTES / 1024 / 1024} MiB without a line break`;
}

/**
 * windows-1252 as the Encoding Standard defines it: Latin-1 with 27 printable characters in
 * 0x80-0x9F (the 5 others stay C1 controls; no byte is invalid). Hand-written because the
 * `TextDecoder` of Node.js 20.18.3 and later decodes this label as plain Latin-1, turning €,
 * curly quotes, dashes, Œ, Š, Ž, ™ and Ÿ into control characters (nodejs/node#56542, #60888).
 */
const WINDOWS_1252 = {
  high: '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ',
  decode(bytes: Uint8Array): string {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      .toString('latin1')
      .replace(/[\u0080-\u009f]/g, (c) => this.high[c.charCodeAt(0) - 0x80]);
  },
};

/**
 * Line breaks (CRLF, LF or CR) in ASCII-compatible bytes. Files use LF or CRLF, so LFs are
 * counted; a piece without any LF counts its CRs (old Mac line ends).
 */
function countBreaks(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(LF); i >= 0; i = bytes.indexOf(LF, i + 1)) n++;
  if (n > 0) return n;
  for (let i = bytes.indexOf(CR); i >= 0; i = bytes.indexOf(CR, i + 1)) n++;
  return n;
}

function countTextBreaks(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  if (n > 0) return n;
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) n++;
  return n;
}

function bom16(bytes: Buffer): boolean {
  return (
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
  );
}

/** Offset of the first byte that breaks UTF-8 (-1: valid). Only run on a line known bad. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let need: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      if (i + k >= b.length) return i;
      const t = b[i + k];
      if ((t & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (t & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
