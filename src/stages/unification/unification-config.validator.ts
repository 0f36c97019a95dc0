import Ajv, { type ErrorObject } from 'ajv';
import { AppError, type ErrorDetail } from '@platform/errors/app-error';
import { CUSTOMER_ID_FIELD, type CustomerField } from '@stages/contract/customer-field';
import type { NormalizerName } from '@stages/contract/normalizers';
import { ONE_OF_MESSAGES, UNIFICATION_CONFIG_SCHEMA } from './unification-config.schema';
import {
  isFuzzy,
  type FieldGroup,
  type MatchKind,
  type MergePolicy,
  type UnificationConfig,
} from './unification-config';

/** The body of `PUT /api/unification` once it has the schema's shape. */
export interface UnificationConfigInput {
  rules: {
    name?: string;
    conditions: { field: string; normalizers?: NormalizerName[]; match: MatchKind }[];
  }[];
  dedupeWithinSource?: boolean;
  merge?: {
    default?: MergePolicy;
    fields?: Record<string, MergePolicy>;
    groups?: FieldGroup[];
  };
}

/** What the configuration is checked against: the customer-field catalogue and the sources. */
export interface ConfigCatalogue {
  fields: CustomerField[];
  sources: { id: string; name: string }[];
}

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
const checkShape = ajv.compile<UnificationConfigInput>(UNIFICATION_CONFIG_SCHEMA);

/**
 * Validates a configuration body and returns it complete (defaults filled in, source names
 * resolved to IDs). Every problem is reported at once, each with the path it concerns
 * (`rules[1].conditions[0].field`).
 */
export function validateUnificationConfig(
  body: unknown,
  catalogue: ConfigCatalogue,
): UnificationConfig {
  if (!checkShape(body)) throw AppError.validationMany(shapeErrors(checkShape.errors ?? []));
  const details: ErrorDetail[] = [];
  const problem = (path: string, message: string) => details.push({ path, message });
  const fields = new Map(catalogue.fields.map((f) => [f.name, f]));
  const known = catalogue.fields
    .filter((f) => f.name !== CUSTOMER_ID_FIELD)
    .map((f) => f.name)
    .join(', ');
  const checkField = (path: string, name: string): CustomerField | undefined => {
    if (name === CUSTOMER_ID_FIELD) {
      problem(path, `${CUSTOMER_ID_FIELD} is assigned by unification; use source fields`);
      return undefined;
    }
    const field = fields.get(name);
    if (!field) {
      problem(
        path,
        known
          ? `unknown customer field "${name}" (fields: ${known})`
          : `unknown customer field "${name}": no source maps any field yet`,
      );
    }
    return field;
  };

  const ruleNames = new Set<string>();
  const rules = body.rules.map((rule, r) => {
    const name = rule.name ?? `rule ${r + 1}`;
    if (ruleNames.has(name)) problem(`rules[${r}].name`, `duplicate rule name "${name}"`);
    ruleNames.add(name);
    const conditions = rule.conditions.map((condition, c) => {
      const path = `rules[${r}].conditions[${c}]`;
      const field = checkField(`${path}.field`, condition.field);
      if (field && isFuzzy(condition.match) && field.type !== 'string') {
        problem(
          `${path}.match`,
          `fuzzy matching compares text; field "${field.name}" is a ${field.type} (use "exact")`,
        );
      }
      return {
        field: condition.field,
        normalizers: condition.normalizers ?? [],
        match: condition.match,
      };
    });
    const fuzzy = conditions.some((c) => isFuzzy(c.match));
    if (fuzzy && conditions.every((c) => isFuzzy(c.match))) {
      problem(
        `rules[${r}].conditions`,
        'a rule with a fuzzy condition needs at least one exact condition: its blocking key, so that only records sharing it are compared',
      );
    }
    return { name, conditions };
  });

  const sourceByKey = new Map<string, { id: string; name: string }>();
  for (const s of catalogue.sources) sourceByKey.set(s.id, s).set(s.name, s);
  const sourceNames = catalogue.sources.map((s) => s.name).join(', ') || 'none yet';
  const policy = (path: string, value: MergePolicy): MergePolicy => {
    if (typeof value === 'string') return value;
    const ids: string[] = [];
    value.sourcePriority.forEach((ref, i) => {
      const source = sourceByKey.get(ref);
      if (!source) {
        problem(
          `${path}.sourcePriority[${i}]`,
          `unknown source "${ref}" (sources: ${sourceNames})`,
        );
      } else if (ids.includes(source.id)) {
        problem(`${path}.sourcePriority[${i}]`, `source "${source.name}" is listed twice`);
      } else {
        ids.push(source.id);
      }
    });
    return { sourcePriority: ids };
  };

  const merge = body.merge ?? {};
  const groupOf = new Map<string, { index: number; name: string }>();
  const groupNames = new Set<string>();
  const groups = (merge.groups ?? []).map((group, g) => {
    const path = `merge.groups[${g}]`;
    if (groupNames.has(group.name)) problem(`${path}.name`, `duplicate group name "${group.name}"`);
    groupNames.add(group.name);
    group.fields.forEach((name, f) => {
      if (!checkField(`${path}.fields[${f}]`, name)) return;
      const other = groupOf.get(name);
      if (other !== undefined) {
        problem(
          `${path}.fields[${f}]`,
          other.index === g
            ? `field "${name}" is listed twice`
            : `field "${name}" is already in group "${other.name}" (merge.groups[${other.index}])`,
        );
      } else {
        groupOf.set(name, { index: g, name: group.name });
      }
    });
    const out: FieldGroup = { name: group.name, fields: [...group.fields] };
    if (group.policy) out.policy = policy(`${path}.policy`, group.policy);
    return out;
  });
  const fieldPolicies: Record<string, MergePolicy> = {};
  for (const [name, value] of Object.entries(merge.fields ?? {})) {
    const path = `merge.fields.${name}`;
    if (!checkField(path, name)) continue;
    const group = groupOf.get(name);
    if (group !== undefined) {
      problem(path, `field "${name}" is in group "${group.name}"; set the group's policy instead`);
      continue;
    }
    fieldPolicies[name] = policy(path, value);
  }
  const defaultPolicy = policy('merge.default', merge.default ?? 'mostRecent');

  if (details.length > 0) throw AppError.validationMany(details);
  return {
    rules,
    dedupeWithinSource: body.dedupeWithinSource ?? true,
    merge: { default: defaultPolicy, fields: fieldPolicies, groups },
  };
}

/** ajv's errors as `{ path, message }`, one per problem, in the API's path notation. */
export function shapeErrors(errors: ErrorObject[]): ErrorDetail[] {
  // A failed oneOf also reports each alternative's complaints. Where the value went deeper
  // into one alternative (an object with a wrong or missing property), those deeper complaints
  // are the useful ones; otherwise one message says what the alternatives are.
  const described = errors
    .filter((e) => e.keyword !== 'oneOf')
    .map((e) => ({ error: e, detail: describe(e) }));
  const oneOfs = errors
    .filter((e) => e.keyword === 'oneOf')
    .map((e) => ({ error: e, path: toPath(e.instancePath) }));
  const inside = (path: string, owner: string) =>
    path.startsWith(`${owner}.`) || path.startsWith(`${owner}[`);
  const details: ErrorDetail[] = [];
  const seen = new Set<string>();
  const add = (path: string, message: string) => {
    const key = `${path}\u0000${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      details.push({ path, message });
    }
  };
  for (const { detail } of described) {
    // An alternative's complaint about the value itself (wrong type, not in the enum).
    if (oneOfs.some((o) => o.path === detail[0])) continue;
    add(...detail);
  }
  for (const o of oneOfs) {
    if (described.some((d) => inside(d.detail[0], o.path))) continue;
    const message =
      ONE_OF_MESSAGES.get(o.error.parentSchema as object) ?? 'does not match any allowed form';
    add(o.path, message);
  }
  return details;
}

function describe(error: ErrorObject): [string, string] {
  const path = toPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return [join(path, String(params.missingProperty)), 'is required'];
    case 'additionalProperties':
      return [join(path, String(params.additionalProperty)), 'is not an allowed property'];
    case 'enum':
      return [
        path,
        `must be one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}`,
      ];
    case 'type':
      return [path, `must be ${article(String(params.type))}`];
    default:
      return [path, error.message ?? 'is invalid'];
  }
}

/** `/rules/1/conditions/0/field` → `rules[1].conditions[0].field`. */
export function toPath(pointer: string): string {
  let path = '';
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path = /^\d+$/.test(segment) ? `${path}[${segment}]` : join(path, segment);
  }
  return path || '(body)';
}

function join(path: string, property: string): string {
  return path && path !== '(body)' ? `${path}.${property}` : property;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
