import Papa from 'papaparse';
import { createReadStream } from 'node:fs';
import { normalizeCsvOptions, papaParseConfig } from '@stages/sources/csv/csv-options';
import type { DatasetFile } from './people-dataset';

/**
 * The benchmarks' baseline: the parser ingestion uses, with the same settings (papaparse's
 * `Parser`, rows as arrays, the unfinished record carried to the next chunk), rows counted and
 * dropped. Nothing else: no decoding checks, mapping or store.
 */
export async function parseOnly(file: DatasetFile): Promise<number> {
  const parser = new Papa.Parser(papaParseConfig(normalizeCsvOptions(file.source.options).options));
  let rows = -1; // the header
  let rest = '';
  for await (const chunk of createReadStream(file.path, {
    encoding: 'utf8',
    highWaterMark: 64 * 1024,
  })) {
    const input = rest + (chunk as string);
    const result = parser.parse(input, 0, true) as Papa.ParseResult<string[]>;
    rows += result.data.length;
    rest = input.slice(result.meta.cursor);
  }
  if (rest !== '') rows += (parser.parse(rest, 0, false) as Papa.ParseResult<string[]>).data.length;
  return rows;
}
