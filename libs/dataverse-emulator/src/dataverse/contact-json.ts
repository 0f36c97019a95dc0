import { CONTACT_SCHEMA } from '../odata/schema';
import type { ContactFields, ContactStore } from '../store/contact-store';
import { NAME_BYTES, newParts, type GeneratedParts } from '../store/generated-contact';
import type { ByteWriter } from '../util/byte-writer';
import { writeIsoTime } from './iso-time';

const ascii = (text: string) => Buffer.from(text, 'latin1');

const ETAG_OPEN = ascii('{"@odata.etag":"W/\\"');
const ETAG_CLOSE = ascii('\\""');

/**
 * Writes contacts as the Web API returns them in a collection (`@odata.etag`, then the columns
 * in order), straight into a response buffer: byte for byte `JSON.stringify(contactOut(…))`,
 * without building an object or a string per row. Generated contacts that were never changed
 * are written from their name tables and numbers; given or changed ones from their stored
 * columns. One writer per column list (see `contactWriter`).
 */
export class ContactJsonWriter {
  /** `,"<column>":` per column (the first one opens with a comma too: it follows the etag). */
  private readonly keys: Buffer[];
  private readonly parts = newParts();

  constructor(readonly columns: readonly string[]) {
    for (const column of columns) {
      if (!(column in CONTACT_SCHEMA.columns)) throw new RangeError(`No contact column ${column}`);
    }
    this.keys = columns.map((column) => ascii(`,"${column}":`));
  }

  write(out: ByteWriter, store: ContactStore, index: number): void {
    out.bytes(ETAG_OPEN);
    out.uint(store.versionOf(index));
    out.bytes(ETAG_CLOSE);
    const generated = store.generated(index, this.parts);
    const fields = generated ? undefined : store.fields(index);
    for (let k = 0; k < this.columns.length; k += 1) {
      out.bytes(this.keys[k]);
      const column = this.columns[k];
      if (generated) writeGenerated(out, store, index, generated, column);
      else writeStored(out, store, index, fields as ContactFields, column);
    }
    out.byte(125); // }
  }
}

function writeGenerated(
  out: ByteWriter,
  store: ContactStore,
  index: number,
  p: GeneratedParts,
  column: string,
): void {
  switch (column) {
    case 'contactid':
      out.byte(34);
      store.writeId(index, out);
      out.byte(34);
      return;
    case 'firstname':
      quoted(out, NAME_BYTES.first[p.first]);
      return;
    case 'lastname':
      quoted(out, NAME_BYTES.last[p.last]);
      return;
    case 'fullname':
      out.byte(34);
      out.bytes(NAME_BYTES.first[p.first]);
      out.byte(32);
      out.bytes(NAME_BYTES.last[p.last]);
      out.byte(34);
      return;
    case 'emailaddress1':
      out.byte(34);
      out.bytes(NAME_BYTES.lowerFirst[p.first]);
      out.byte(46);
      out.bytes(NAME_BYTES.lowerLast[p.last]);
      out.byte(46);
      out.uint(p.serial);
      out.bytes(NAME_BYTES.emailDomain);
      out.byte(34);
      return;
    case 'telephone1':
      out.byte(34);
      out.bytes(NAME_BYTES.phonePrefix);
      out.digits(p.phone, 3);
      out.byte(32);
      out.digits(p.serial % 10000, 4);
      out.byte(34);
      return;
    case 'address1_city':
      quoted(out, NAME_BYTES.city[p.city]);
      return;
    case 'statecode':
      out.byte(48); // generated contacts are active
      return;
    case 'statuscode':
      out.byte(49);
      return;
    case 'createdon':
    case 'modifiedon':
      writeIsoTime(out, p.time);
      return;
    default: // versionnumber
      out.uint(store.versionOf(index));
  }
}

function writeStored(
  out: ByteWriter,
  store: ContactStore,
  index: number,
  f: ContactFields,
  column: string,
): void {
  switch (column) {
    case 'contactid':
      out.byte(34);
      store.writeId(index, out);
      out.byte(34);
      return;
    case 'firstname':
    case 'lastname':
    case 'fullname':
    case 'emailaddress1':
    case 'telephone1':
    case 'address1_city':
      out.jsonString(f[column]);
      return;
    case 'statecode':
      out.uint(f.statecode);
      return;
    case 'statuscode':
      out.uint(f.statecode === 0 ? 1 : 2);
      return;
    case 'createdon':
      writeIsoTime(out, f.createdon);
      return;
    case 'modifiedon':
      writeIsoTime(out, f.modifiedon);
      return;
    default: // versionnumber
      out.uint(store.versionOf(index));
  }
}

function quoted(out: ByteWriter, bytes: Buffer): void {
  out.byte(34);
  out.bytes(bytes);
  out.byte(34);
}

const writers = new Map<string, ContactJsonWriter>();

/** The writer for a column list (kept: a page asks for the same few lists again and again). */
export function contactWriter(columns: readonly string[]): ContactJsonWriter {
  const key = columns.join(',');
  let writer = writers.get(key);
  if (!writer) {
    if (writers.size >= 256) writers.clear();
    writer = new ContactJsonWriter(columns);
    writers.set(key, writer);
  }
  return writer;
}
