import { ApiError, errorText } from '../api/errors';

/** Field path → message(s), plus messages that concern no single field. */
export interface FormErrors {
  fields: Record<string, string>;
  general: string[];
}

export const NO_ERRORS: FormErrors = { fields: {}, general: [] };

/**
 * One spelling for field paths: the API may say `rules.0.field` (class-validator) or
 * `rules[0].field` (rule validators); both become `rules[0].field`.
 */
export function normalizePath(path: string): string {
  return path.replace(/\.(\d+)(?=\.|\[|$)/g, '[$1]');
}

/** An element id for the control of a field path (`config.auth.clientId` → `f-config-auth-clientId`). */
export function fieldId(path: string): string {
  return `f-${normalizePath(path).replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

/**
 * Turns an error (usually an API 400 with `details: [{ path, message }]`) into form errors.
 * `prefix` maps request paths onto the form's own paths when the form edits part of a body.
 */
export function toFormErrors(error: unknown, options: { stripPrefix?: string } = {}): FormErrors {
  const fields: Record<string, string> = {};
  const general: string[] = [];
  if (error instanceof ApiError && error.details.length > 0) {
    for (const detail of error.details) {
      if (!detail.path) {
        general.push(detail.message);
        continue;
      }
      let path = normalizePath(detail.path);
      if (options.stripPrefix && path.startsWith(`${options.stripPrefix}.`)) {
        path = path.slice(options.stripPrefix.length + 1);
      }
      fields[path] = fields[path] ? `${fields[path]}; ${detail.message}` : detail.message;
    }
  } else {
    general.push(errorText(error));
  }
  return { fields, general };
}

export function hasErrors(errors: FormErrors): boolean {
  return errors.general.length > 0 || Object.keys(errors.fields).length > 0;
}

/** The messages for a field path and everything under it (`mapping.email` also shows `mapping.email.type`). */
export function errorsUnder(errors: FormErrors, path: string): string | undefined {
  const base = normalizePath(path);
  const messages = Object.entries(errors.fields)
    .filter(([p]) => p === base || p.startsWith(`${base}.`) || p.startsWith(`${base}[`))
    .map(([p, message]) => (p === base ? message : `${p.slice(base.length + 1)}: ${message}`));
  return messages.length ? messages.join('; ') : undefined;
}

/** The control for a path, or for its nearest parent that has one (`a.b.c` → `a.b` → `a`). */
export function findControl(path: string): HTMLElement | null {
  let current = normalizePath(path);
  for (;;) {
    const element = document.getElementById(fieldId(current));
    if (element) return element;
    const cut = Math.max(current.lastIndexOf('.'), current.lastIndexOf('['));
    if (cut <= 0) return null;
    current = current.slice(0, cut);
  }
}
