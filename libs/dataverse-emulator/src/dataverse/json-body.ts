import { badRequest } from './dataverse-error';

/** Parses a JSON request body that must be an object. */
export function jsonObject(body: string): Record<string, unknown> {
  if (body.trim() === '') throw badRequest('The request body is empty; a JSON object is required.');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw badRequest(`The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

export function conversionError(value: unknown, edmType: string, property: string) {
  return badRequest(
    `Cannot convert the literal '${JSON.stringify(value)}' to the expected type 'Edm.${edmType}' (property '${property}').`,
  );
}
