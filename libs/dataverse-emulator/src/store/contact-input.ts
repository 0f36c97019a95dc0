import type { SeedContact } from '../options';
import { normalizeGuid } from '../util/ids';

const TEXT_FIELDS = [
  'firstname',
  'lastname',
  'fullname',
  'emailaddress1',
  'telephone1',
  'address1_city',
] as const;
const FIELDS = new Set<string>(['contactid', ...TEXT_FIELDS, 'statecode', 'modifiedon']);

/**
 * Checks a contact given to the handle or the admin API (`where` names it in the message, e.g.
 * `contacts[2]`) before anything is stored: an object of known fields, texts as strings (or
 * null), `statecode` 0 or 1, `modifiedon` an ISO timestamp, `contactid` a GUID (not in a patch).
 * Throws a RangeError naming the field.
 */
export function checkContactInput(
  input: unknown,
  where: string,
  kind: 'new' | 'patch',
): asserts input is SeedContact {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new RangeError(`${where} must be an object of contact fields`);
  }
  for (const [key, value] of Object.entries(input)) {
    if (!FIELDS.has(key)) {
      throw new RangeError(
        `${where} has an unknown field '${key}' (known: ${[...FIELDS].join(', ')})`,
      );
    }
    if (value === undefined) continue;
    const at = `${where}.${key}`;
    if (key === 'contactid') {
      if (kind === 'patch') throw new RangeError(`${at}: the id of a contact cannot be changed`);
      if (typeof value !== 'string' || !normalizeGuid(value))
        throw new RangeError(`${at} '${String(value)}' is not a GUID`);
    } else if (key === 'statecode') {
      if (value !== 0 && value !== 1)
        throw new RangeError(
          `${at} must be 0 (Active) or 1 (Inactive), got ${JSON.stringify(value)}`,
        );
    } else if (key === 'modifiedon') {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
        throw new RangeError(`${at} must be an ISO timestamp, got ${JSON.stringify(value)}`);
    } else if (value !== null && typeof value !== 'string') {
      throw new RangeError(`${at} must be a string or null, got ${JSON.stringify(value)}`);
    }
  }
}
