/**
 * The vocabulary shared by ingestion, unification, segments and destinations.
 *
 * A source maps its columns to *customer fields*. Values are stored in JSON (`source_record.fields`,
 * `customer.fields`) in one canonical form per type, so that SQL on either store compares them
 * the same way:
 * - `string`: a JSON string (never empty: an empty value is absent);
 * - `number`: a finite JSON number;
 * - `date`: an ISO-8601 UTC string `YYYY-MM-DDTHH:mm:ss.sssZ` (a date alone is midnight UTC),
 *   so that text order is time order;
 * - `boolean`: JSON `true` / `false`.
 * A field without a value is absent from the JSON object.
 */
export const FIELD_TYPES = ['string', 'number', 'date', 'boolean'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Field names are identifiers: `email`, `firstName`, `lifetimeValue`, `contactId`. */
export const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Always present on a unified customer; no source may map it. */
export const CUSTOMER_ID_FIELD = 'customerId';

export type FieldValue = string | number | boolean;
export type FieldValues = Record<string, FieldValue>;

export interface CustomerField {
  name: string;
  type: FieldType;
  /** Names of the sources that map this field (empty for `customerId`). */
  sources: string[];
}
