import { badRequest, unknownProperty } from '../dataverse/dataverse-error';
import type { EntitySchema } from './schema';

/** Parses `$select`; undefined means every column. Unknown names answer 400 as Dataverse. */
export function parseSelect(text: string | null, schema: EntitySchema): string[] | undefined {
  if (text === null) return undefined;
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw badRequest("The query parameter '$select' is empty.");
  return names.map((name) => {
    const lower = name.toLowerCase();
    if (!(lower in schema.columns)) throw unknownProperty(name, schema.logicalName);
    return lower;
  });
}

/** The `@odata.context` fragment naming the selected columns, e.g. `contacts(fullname,contactid)`. */
export function contextFragment(schema: EntitySchema, select: string[] | undefined): string {
  return select ? `${schema.setName}(${select.join(',')})` : schema.setName;
}
