import type { FieldValues } from '@stages/contract/customer-field';
import { composeNormalizers, valueText, type Normalizer } from '@stages/contract/normalizers';
import { isFuzzy, type MatchRule } from './unification-config';

export interface CompiledCondition {
  field: string;
  /** The normalizer names (what the stored keys depend on). */
  normalizers: readonly string[];
  normalize: Normalizer;
  /** Similarity threshold of a fuzzy condition; undefined for exact ones. */
  threshold?: number;
}

/** A rule split into its blocking key (exact conditions) and its fuzzy conditions. */
export interface CompiledRule {
  name: string;
  exact: CompiledCondition[];
  fuzzy: CompiledCondition[];
}

export function compileRules(rules: MatchRule[]): CompiledRule[] {
  return rules.map((rule) => {
    const compiled: CompiledRule = { name: rule.name, exact: [], fuzzy: [] };
    for (const condition of rule.conditions) {
      const normalize = composeNormalizers(condition.normalizers);
      if (isFuzzy(condition.match)) {
        compiled.fuzzy.push({
          field: condition.field,
          normalizers: condition.normalizers,
          normalize,
          threshold: condition.match.fuzzy,
        });
      } else {
        compiled.exact.push({
          field: condition.field,
          normalizers: condition.normalizers,
          normalize,
        });
      }
    }
    return compiled;
  });
}

/** The normalized values of the conditions, or undefined when one of them is absent/empty. */
export function conditionValues(
  conditions: CompiledCondition[],
  fields: FieldValues,
): string[] | undefined {
  const values: string[] = [];
  for (const condition of conditions) {
    const value = condition.normalize(valueText(fields[condition.field]));
    if (value === '') return undefined;
    values.push(value);
  }
  return values;
}

/** The tuple key of the conditions' normalized values (see {@link tupleKey}), or undefined. */
export function conditionKey(
  conditions: CompiledCondition[],
  fields: FieldValues,
): string | undefined {
  if (conditions.length === 1) {
    const condition = conditions[0];
    const value = condition.normalize(valueText(fields[condition.field]));
    return value === '' ? undefined : value;
  }
  const values = conditionValues(conditions, fields);
  return values && tupleKey(values);
}

/** One text for a tuple of values, unambiguous whatever characters the values hold. */
export function tupleKey(values: string[]): string {
  if (values.length === 1) return values[0];
  let key = '';
  for (const v of values) key += `${v.length}:${v}`;
  return key;
}
