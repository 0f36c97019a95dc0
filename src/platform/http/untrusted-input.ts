import type { ErrorDetail } from '@platform/errors/app-error';

/**
 * Levels of objects and arrays a request body may nest. A segment rule, the deepest legitimate
 * body, takes about 20 at its own limit (`RULE_LIMITS.depth`: each group is an object and an
 * array); a body nested thousands deep overflows the stack of class-transformer and
 * class-validator.
 */
export const MAX_NESTING = 64;

/** Stops the walk once this many problems are found, so an answer stays short. */
const MAX_PROBLEMS = 20;

/**
 * Keys that name properties every JavaScript object inherits (`__proto__`, `constructor`,
 * `toString`, …). class-transformer drops them silently from plain objects, and as keys of our
 * own objects they would shadow or replace those properties, so they are refused.
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(
  Object.getOwnPropertyNames(Object.prototype),
);

export const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';

/**
 * Problems of untrusted input (a parsed JSON body, a query string, a path parameter) that no DTO
 * can report: nesting deeper than {@link MAX_NESTING}, NUL characters (PostgreSQL refuses them
 * in text, SQLite would store them) in values or keys, and {@link RESERVED_KEYS}. Paths read like
 * the validation errors' (`rule.all[1].value`); `root` names the value itself (a query
 * parameter), or is empty for a body. Hand-written because the check must not recurse deeper
 * than the limit it enforces.
 */
export function checkUntrustedInput(value: unknown, root = ''): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  walk(value, root, 0, problems);
  return problems;
}

function walk(value: unknown, path: string, depth: number, problems: ErrorDetail[]): boolean {
  if (problems.length >= MAX_PROBLEMS) return false;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) problems.push(detail(path, NUL_MESSAGE));
    return true;
  }
  if (typeof value !== 'object' || value === null) return true;
  if (depth >= MAX_NESTING) {
    // Named by its top-level field: the full path would be as long as the nesting.
    const top = /^[^.[]+/.exec(path)?.[0] ?? '';
    problems.push(
      detail(top, `nests too deep: at most ${MAX_NESTING} levels of objects and arrays`),
    );
    return false; // one report: the levels below would repeat it
  }
  if (Array.isArray(value)) {
    return value.every((item, i) => walk(item, `${path}[${i}]`, depth + 1, problems));
  }
  for (const [key, item] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) {
      problems.push(detail(path, `keys ${NUL_MESSAGE}`));
    } else if (RESERVED_KEYS.has(key)) {
      problems.push(
        detail(here, `"${key}" is reserved (every JavaScript object has it); use another name`),
      );
    } else if (!walk(item, here, depth + 1, problems)) {
      return false;
    }
  }
  return true;
}

function detail(path: string, message: string): ErrorDetail {
  return path ? { path, message } : { message: `the body ${message}` };
}
