import { hash } from 'node:crypto';
import type { FieldValues } from '../sources/customer-field';
import type { Clusters } from './clusters';
import type { FieldMerger, MergeMember } from './field-merger';
import type { RecordTable } from './record-table';

/** A customer's merged fields as stored: JSON text and a hash that detects changes. */
export interface MergedFields {
  json: string;
  hash: string;
}

/**
 * Builds the `customer.fields` JSON of a cluster. A customer of one record takes that record's
 * fields as they are (no parse, no re-serialization: most customers of a run); larger clusters
 * are merged by the policies with keys in code-unit order.
 */
export function mergedFields(
  c: number,
  clusters: Clusters,
  records: RecordTable,
  merger: FieldMerger,
): MergedFields {
  const members = clusters.membersOf(c);
  let json: string;
  if (members.length === 1) {
    json = records.fields[members[0]];
  } else {
    const list: MergeMember[] = [];
    for (const r of members) {
      list.push({
        source: records.source[r],
        key: records.keys[r],
        lastModified: records.lastModified[r],
        fields: JSON.parse(records.fields[r]) as FieldValues,
      });
    }
    json = JSON.stringify(merger.merge(list));
  }
  return { json, hash: hash('sha1', json, 'base64') };
}
