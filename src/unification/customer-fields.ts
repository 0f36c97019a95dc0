import { createHash } from 'node:crypto';
import type { FieldValues } from '../sources/customer-field';
import type { Clusters } from './clusters';
import type { FieldMerger, MergeMember } from './field-merger';
import type { SourceInfo } from './record-table';
import type { TextStore } from './text-store';
import type { MergeConfig } from './unification-config';

/**
 * What merging reads of the records: a `RecordTable`, or a worker thread's view of one (see
 * `customer-fields.worker.ts`), so both threads run this same code.
 */
export interface MergeInputs {
  readonly source: Uint16Array;
  readonly lastModified: Float64Array;
  readonly keys: TextStore;
  readonly fields: TextStore;
}

/**
 * A customer's fields: the JSON to store, and a digest of everything they are merged from.
 *
 * The digest (stored as `customer.fields_hash`) lets a run see that a customer cannot have
 * changed without merging it again: equal inputs give equal fields. For a customer of one
 * record the fields are that record's, so its digest is the SHA-1 of the record's fields JSON.
 * For larger customers it covers, in identity order, each record's source, key,
 * last-modified time and fields, plus the merge policies and the source names (tie-breaks
 * depend on them).
 */
export class CustomerFields {
  private readonly policies: Buffer;

  constructor(
    private readonly clusters: Clusters,
    private readonly records: MergeInputs,
    sources: SourceInfo[],
    config: MergeConfig,
    private readonly merger: FieldMerger,
  ) {
    this.policies = createHash('sha1')
      .update(JSON.stringify({ config, sources: sources.map((s) => [s.id, s.name]) }))
      .digest();
  }

  digest(c: number): Buffer {
    const { clusters, records } = this;
    const first = clusters.start[c];
    const end = clusters.start[c + 1];
    if (end - first === 1) return records.fields.digest(clusters.members[first]);
    const hash = createHash('sha1').update(this.policies);
    for (let m = first; m < end; m++) {
      const r = clusters.members[m];
      hash.update(`\u0000${records.source[r]}\u0000${records.lastModified[r]}\u0000`);
      records.keys.feed(r, hash);
      hash.update('\u0000');
      records.fields.feed(r, hash);
    }
    return hash.digest();
  }

  /** The merged fields JSON (a one-record customer's is its record's, unchanged). */
  json(c: number): string {
    const { clusters, records } = this;
    if (clusters.size(c) === 1) return records.fields.get(clusters.members[clusters.start[c]]);
    const list: MergeMember[] = [];
    for (const r of clusters.membersOf(c)) {
      list.push({
        source: records.source[r],
        key: records.keys.get(r),
        lastModified: records.lastModified[r],
        fields: JSON.parse(records.fields.get(r)) as FieldValues,
      });
    }
    return JSON.stringify(this.merger.merge(list));
  }
}
