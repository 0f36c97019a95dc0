import type { FieldType, RuleNode, RuleOperator } from '../../api/types';

/**
 * The rule builder edits this tree; it converts to and from the API's rule
 * (`{ all: [...] } | { any: [...] } | { field, op, value, caseSensitive? }`). Values stay text
 * while typed; the server checks them and names the path of anything wrong.
 */
export type EditNode = EditGroup | EditCondition;

export interface EditGroup {
  kind: 'group';
  key: number;
  mode: 'all' | 'any';
  children: EditNode[];
}

export interface EditCondition {
  kind: 'condition';
  key: number;
  field: string;
  op: string;
  /** The value as typed (one value; a list of values one per line or comma-separated). */
  text: string;
  /** The high end of `between`. */
  text2: string;
  amount: string;
  unit: 'days' | 'weeks' | 'months';
  caseSensitive: boolean;
}

/** The words of each operator (the table of which fit which type comes from the server). */
export const OPERATOR_LABELS: Record<RuleOperator, string> = {
  eq: 'is',
  ne: 'is not',
  in: 'is one of',
  notIn: 'is none of',
  contains: 'contains',
  startsWith: 'starts with',
  endsWith: 'ends with',
  gt: 'is greater than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  between: 'is between',
  withinLast: 'is within the last',
  olderThan: 'is older than',
  isEmpty: 'is empty',
  isNotEmpty: 'is not empty',
};

export const DATE_LABELS: Partial<Record<string, string>> = {
  gt: 'is after',
  gte: 'is on or after',
  lt: 'is before',
  lte: 'is on or before',
};

let nextKey = 1;
const key = () => nextKey++;

export function newCondition(field = '', op = 'eq'): EditCondition {
  return {
    kind: 'condition',
    key: key(),
    field,
    op,
    text: '',
    text2: '',
    amount: '30',
    unit: 'days',
    caseSensitive: false,
  };
}

export function newGroup(mode: 'all' | 'any' = 'all', children: EditNode[] = []): EditGroup {
  return { kind: 'group', key: key(), mode, children };
}

function scalarFrom(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The editable tree of an API rule (a lone condition at the top becomes a group of one). */
export function fromRule(rule: RuleNode, top = true): EditNode {
  if ('all' in rule)
    return newGroup(
      'all',
      rule.all.map((r) => fromRule(r, false)),
    );
  if ('any' in rule)
    return newGroup(
      'any',
      rule.any.map((r) => fromRule(r, false)),
    );
  const c = newCondition(rule.field, rule.op);
  c.caseSensitive = rule.caseSensitive === true;
  const v = rule.value;
  if (Array.isArray(v)) {
    if (rule.op === 'between') {
      c.text = scalarFrom(v[0]);
      c.text2 = scalarFrom(v[1]);
    } else c.text = v.map(scalarFrom).join('\n');
  } else if (v && typeof v === 'object') {
    const r = v as { amount?: unknown; unit?: unknown };
    c.amount = scalarFrom(r.amount);
    if (r.unit === 'days' || r.unit === 'weeks' || r.unit === 'months') c.unit = r.unit;
  } else c.text = scalarFrom(v);
  return top ? newGroup('all', [c]) : c;
}

/** Typed text as the field's type wants it; text that does not fit is sent as is (the server says why). */
function typed(text: string, type: FieldType | undefined): unknown {
  const t = text.trim();
  if (type === 'number' && t !== '' && Number.isFinite(Number(t))) return Number(t);
  if (type === 'boolean' && (t === 'true' || t === 'false')) return t === 'true';
  return type === 'string' ? text : t;
}

function list(text: string): string[] {
  const parts = text.includes('\n') ? text.split('\n') : text.split(',');
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** The API rule of an editable tree. */
export function toRule(node: EditNode, types: Map<string, FieldType>): RuleNode {
  if (node.kind === 'group') {
    const children = node.children.map((c) => toRule(c, types));
    return node.mode === 'all' ? { all: children } : { any: children };
  }
  const type = types.get(node.field);
  const out: RuleNode = { field: node.field, op: node.op };
  switch (node.op) {
    case 'isEmpty':
    case 'isNotEmpty':
      break;
    case 'in':
    case 'notIn':
      out.value = list(node.text).map((v) => typed(v, type));
      break;
    case 'between':
      out.value = [typed(node.text, type), typed(node.text2, type)];
      break;
    case 'withinLast':
    case 'olderThan':
      out.value = {
        amount: node.amount.trim() === '' ? null : Number(node.amount),
        unit: node.unit,
      };
      break;
    default:
      out.value = typed(node.text, type);
  }
  // The builder clears caseSensitive when the operator changes to one that does not compare text.
  if (node.caseSensitive && type === 'string') {
    out.caseSensitive = true;
  }
  return out;
}

/** Replaces the node with `target`'s key anywhere in the tree. */
export function replaceNode(root: EditNode, target: number, next: EditNode | null): EditNode {
  if (root.kind !== 'group') return root;
  const children: EditNode[] = [];
  for (const child of root.children) {
    if (child.key === target) {
      if (next) children.push(next);
    } else children.push(replaceNode(child, target, next));
  }
  return { ...root, children };
}

/**
 * True while some condition still waits for its field or value (just added, not yet typed): the
 * preview is not asked then, since the server could only refuse it.
 */
export function hasBlankCondition(node: EditNode): boolean {
  if (node.kind === 'group') return node.children.some(hasBlankCondition);
  if (node.field === '') return true;
  switch (node.op) {
    case 'isEmpty':
    case 'isNotEmpty':
      return false;
    case 'between':
      return node.text.trim() === '' || node.text2.trim() === '';
    case 'withinLast':
    case 'olderThan':
      return node.amount.trim() === '';
    default:
      return node.text.trim() === '';
  }
}
