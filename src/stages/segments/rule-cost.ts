import { QueryFailedError } from 'typeorm';
import { AppError } from '@platform/errors/app-error';
import type { CheckedNode } from './checked-rule';
import { RULE_LIMITS } from './rule';

/**
 * Refuses (VALIDATION, 400) a rule too costly to run, before it runs. Every condition is
 * computed for every customer (the fields have no indexes: README.md), so a rule's work is
 * its number of conditions × the customers; the length of its values hardly matters (measured:
 * 100 `endsWith` of 1,000 characters cost what 100 of 3 characters cost). A rule that passes
 * can still meet data that makes it slow: previews and evaluations also stop at a time limit
 * ({@link ruleTooSlow}).
 *
 * Apart from validateRule because a saved segment's rule that no longer fits the fields is a
 * conflict (409), while one that is too costly is refused (400) wherever it comes from.
 */
export function checkRuleCost(rule: CheckedNode, root = 'rule'): void {
  const conditions = countConditions(rule);
  if (conditions > RULE_LIMITS.conditions) {
    throw AppError.validation(
      root,
      `is too costly: it has ${conditions.toLocaleString('en-US')} conditions, at most ${RULE_LIMITS.conditions} per rule (each is computed for every customer; list several values in one "in" condition instead)`,
    );
  }
}

/** The answer when matching a rule against the customers ran past the time limit. */
export function ruleTooSlow(limitMs: number, root = 'rule'): AppError {
  const limit = limitMs < 1000 ? `${limitMs} ms` : `${limitMs / 1000} s`;
  return AppError.validation(
    root,
    `is too costly: matching it against the customers took longer than the limit of ${limit} (setting SEGMENT_QUERY_TIMEOUT_MS); use fewer or simpler conditions`,
  );
}

/**
 * PostgreSQL settings for the statement that matches a rule: the time limit, and no JIT
 * compilation (measured at 1M customers: compiling the rule's expressions took ~0.3 s of a ~2 s
 * scan and did not pay back: the nested benchmark rule ran 5–30% faster without it).
 */
export function postgresRuleSettings(timeLimitMs: number): Record<string, string> {
  return { statement_timeout: String(Math.max(1, Math.round(timeLimitMs))), jit: 'off' };
}

/** PostgreSQL cancelled the statement at `statement_timeout` (SQLSTATE 57014). */
export function isStatementTimeout(error: unknown): boolean {
  return (
    error instanceof QueryFailedError &&
    (error.driverError as { code?: string } | undefined)?.code === '57014'
  );
}

function countConditions(node: CheckedNode): number {
  if (node.kind === 'condition') return 1;
  return node.children.reduce((sum, child) => sum + countConditions(child), 0);
}
