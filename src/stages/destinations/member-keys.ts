import type { SqlDialect } from '@platform/database/sql-dialect';
import { CUSTOMER_ID_FIELD } from '@stages/contract/customer-field';

/**
 * The SQL that reads a segment's members with their key in the target: `customerId` itself,
 * or the text of a customer field (`contactIdField`). A member "has a key" when the value is
 * present and not empty. Statements take the segment id as their `?` parameter.
 */
export class MemberKeySql {
  /** FROM … JOIN … WHERE clause of the members (alias `sm`, customer `c`). */
  readonly from: string;
  /** The key of a member as text. */
  readonly key: string;
  /** The key of any customer (alias `c`), as text. */
  readonly customerKey: string;

  /**
   * `lowerCase`: keys that differ only in letter case are one member (the type's
   * `memberKey.caseInsensitive`, e.g. GUIDs); they are compared and handed out in lower case
   * (ASCII letters on SQLite, whose lower() folds only those: enough for GUIDs).
   */
  constructor(
    dialect: SqlDialect,
    readonly keyField: string,
    readonly lowerCase = false,
  ) {
    let key: string;
    let customerKey: string;
    if (keyField === CUSTOMER_ID_FIELD) {
      this.from = 'FROM segment_member sm WHERE sm.segment_id = ?';
      key = 'sm.customer_id';
      customerKey = 'c.customer_id';
    } else {
      this.from =
        'FROM segment_member sm JOIN customer c ON c.customer_id = sm.customer_id WHERE sm.segment_id = ?';
      const value = dialect.jsonText('c.fields', keyField);
      // json_extract answers numbers as numbers on SQLite; keys compare as text on both stores.
      key = dialect.kind === 'sqlite' ? `CAST(${value} AS TEXT)` : value;
      customerKey = key;
    }
    this.key = lowerCase ? `lower(${key})` : key;
    this.customerKey = lowerCase ? `lower(${customerKey})` : customerKey;
  }

  /** A key as this destination compares it. */
  normalize(key: string): string {
    return this.lowerCase ? key.toLowerCase() : key;
  }

  /** The distinct, non-empty keys of the segment's members (one column `k`). */
  get desired(): string {
    return `SELECT d.k FROM (SELECT ${this.key} AS k ${this.from}) d WHERE d.k <> ''`;
  }

  /** Members of the segment, and those with a key. */
  get counts(): string {
    return `SELECT COUNT(*) AS members, COUNT(CASE WHEN ${this.key} <> '' THEN 1 END) AS with_key
      FROM segment_member sm ${this.keyField === CUSTOMER_ID_FIELD ? '' : 'LEFT JOIN customer c ON c.customer_id = sm.customer_id'}
      WHERE sm.segment_id = ?`;
  }
}
