import type { CustomerField, FieldType } from '../../api/types';
import { errorsUnder, fieldId, normalizePath, type FormErrors } from '../../forms/errors';
import {
  DATE_LABELS,
  newCondition,
  newGroup,
  OPERATOR_LABELS,
  replaceNode,
  type EditCondition,
  type EditGroup,
  type EditNode,
} from './rule-model';
import { useRuleOperators } from '../../hooks/useRuleOperators';

interface BuilderProps {
  root: EditGroup;
  onChange: (root: EditGroup) => void;
  fields: CustomerField[];
  errors: FormErrors;
}

/**
 * Edits a segment rule as nested groups ("all of" / "any of") of conditions. Every control is
 * labelled, and the server's messages (`rule.all[1].any[0].op`) appear beside the condition
 * they concern.
 */
export function RuleBuilder({ root, onChange, fields, errors }: BuilderProps) {
  const update = (key: number, next: EditNode | null) => {
    if (key === root.key && next?.kind === 'group') onChange(next);
    else onChange(replaceNode(root, key, next) as EditGroup);
  };
  return (
    <GroupEditor
      group={root}
      path="rule"
      depth={0}
      fields={fields}
      errors={errors}
      update={update}
      isRoot
    />
  );
}

interface NodeProps {
  path: string;
  depth: number;
  fields: CustomerField[];
  errors: FormErrors;
  update: (key: number, next: EditNode | null) => void;
}

function GroupEditor(props: NodeProps & { group: EditGroup; isRoot?: boolean }) {
  const { group, path } = props;
  const own = [path, `${path}.${group.mode}`]
    .map((p) => props.errors.fields[normalizePath(p)])
    .filter(Boolean)
    .join('; ');
  const modeId = fieldId(`${path}.mode`);
  const firstField = props.fields.find((f) => f.name !== 'customerId')?.name ?? '';
  return (
    <div
      className="rule-group"
      role="group"
      aria-label={props.isRoot ? 'Rule' : `Group at ${path}`}
      id={fieldId(path)}
    >
      <div className="row">
        <div className="field">
          <label htmlFor={modeId}>{props.isRoot ? 'Customers who match' : 'Group: match'}</label>
          <select
            id={modeId}
            className="narrow"
            value={group.mode}
            onChange={(event) => {
              props.update(group.key, { ...group, mode: event.target.value as 'all' | 'any' });
            }}
          >
            <option value="all">all of these</option>
            <option value="any">any of these</option>
          </select>
        </div>
      </div>
      {own ? (
        <div className="field-error" role="alert">
          {own}
        </div>
      ) : null}
      {group.children.length === 0 ? (
        <p className="muted small">No conditions yet: every customer matches an empty “all”.</p>
      ) : null}
      {group.children.map((child, index) => {
        const childPath = `${path}.${group.mode}[${index}]`;
        return child.kind === 'group' ? (
          <GroupEditor
            key={child.key}
            {...props}
            group={child}
            path={childPath}
            depth={props.depth + 1}
            isRoot={false}
          />
        ) : (
          <ConditionEditor
            key={child.key}
            {...props}
            condition={child}
            path={childPath}
            index={index}
          />
        );
      })}
      <div className="form-actions">
        <button
          type="button"
          className="small"
          onClick={() => {
            props.update(group.key, {
              ...group,
              children: [...group.children, newCondition(firstField, 'eq')],
            });
          }}
        >
          Add condition
        </button>
        {props.depth < 4 ? (
          <button
            type="button"
            className="small"
            onClick={() => {
              props.update(group.key, {
                ...group,
                children: [
                  ...group.children,
                  newGroup(group.mode === 'all' ? 'any' : 'all', [newCondition(firstField, 'eq')]),
                ],
              });
            }}
          >
            Add group
          </button>
        ) : null}
        {!props.isRoot ? (
          <button
            type="button"
            className="small danger"
            onClick={() => {
              props.update(group.key, null);
            }}
          >
            Remove group
          </button>
        ) : null}
      </div>
    </div>
  );
}

function ConditionEditor(props: NodeProps & { condition: EditCondition; index: number }) {
  const { condition: c, path, fields } = props;
  const field = fields.find((f) => f.name === c.field);
  const type: FieldType | undefined = field?.type;
  const table = useRuleOperators().data;
  const allOps: string[] = Object.keys(OPERATOR_LABELS);
  const opsOf = (t: FieldType | undefined): string[] => (t && table ? table.byType[t] : allOps);
  const isText = (op: string) => table?.text.some((t) => t === op) ?? false;
  const ops = opsOf(type);
  const set = (patch: Partial<EditCondition>) => {
    props.update(c.key, { ...c, ...patch });
  };
  const err = (sub: string) => props.errors.fields[normalizePath(`${path}.${sub}`)];
  const all = errorsUnder(props.errors, path);
  const describedBy = all ? `${fieldId(path)}-error` : undefined;
  const label = (what: string) => `${what} of condition ${props.index + 1}`;
  const opLabel = (op: string) =>
    (type === 'date' ? DATE_LABELS[op] : undefined) ??
    (OPERATOR_LABELS as Partial<Record<string, string>>)[op] ??
    op;
  return (
    <div className={all ? 'rule-condition field-invalid' : 'rule-condition'} id={fieldId(path)}>
      <div className="field">
        <label htmlFor={fieldId(`${path}.field`)}>Field</label>
        <select
          id={fieldId(`${path}.field`)}
          aria-label={label('Field')}
          value={c.field}
          aria-invalid={err('field') ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => {
            const next = fields.find((f) => f.name === event.target.value);
            const nextOps = next ? opsOf(next.type) : ops;
            set({
              field: event.target.value,
              op: nextOps.includes(c.op) ? c.op : (nextOps.at(0) ?? 'eq'),
            });
          }}
        >
          {field ? null : <option value={c.field}>{c.field || 'Choose…'}</option>}
          {fields.map((f) => (
            <option key={f.name} value={f.name}>
              {f.name} ({f.type})
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={fieldId(`${path}.op`)}>Operator</label>
        <select
          id={fieldId(`${path}.op`)}
          aria-label={label('Operator')}
          value={c.op}
          aria-invalid={err('op') ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => {
            const op = event.target.value;
            set({ op, caseSensitive: c.caseSensitive && isText(op) });
          }}
        >
          {ops.includes(c.op) ? null : <option value={c.op}>{opLabel(c.op)}</option>}
          {ops.map((op) => (
            <option key={op} value={op}>
              {opLabel(op)}
            </option>
          ))}
        </select>
      </div>
      <ValueEditor
        {...props}
        type={type}
        set={set}
        label={label}
        err={err}
        describedBy={describedBy}
      />
      {type === 'string' && isText(c.op) ? (
        <div className="field field-check">
          <input
            id={fieldId(`${path}.caseSensitive`)}
            type="checkbox"
            checked={c.caseSensitive}
            onChange={(event) => {
              set({ caseSensitive: event.target.checked });
            }}
          />
          <label htmlFor={fieldId(`${path}.caseSensitive`)}>Match case</label>
        </div>
      ) : null}
      <button
        type="button"
        className="small danger"
        aria-label={`Remove condition ${props.index + 1}`}
        onClick={() => {
          props.update(c.key, null);
        }}
      >
        Remove
      </button>
      {all ? (
        <div className="field-error" role="alert" id={`${fieldId(path)}-error`}>
          {all}
        </div>
      ) : null}
    </div>
  );
}

function ValueEditor(
  props: NodeProps & {
    condition: EditCondition;
    type: FieldType | undefined;
    set: (patch: Partial<EditCondition>) => void;
    label: (what: string) => string;
    err: (sub: string) => string | undefined;
    describedBy: string | undefined;
  },
) {
  const { condition: c, path, type, set, label, err, describedBy } = props;
  const inputType = type === 'date' ? 'date' : 'text';
  const valueId = fieldId(`${path}.value`);
  switch (c.op) {
    case 'isEmpty':
    case 'isNotEmpty':
      return null;
    case 'withinLast':
    case 'olderThan':
      return (
        <>
          <div className="field">
            <label htmlFor={fieldId(`${path}.value.amount`)}>Amount</label>
            <input
              id={fieldId(`${path}.value.amount`)}
              aria-label={label('Amount')}
              type="number"
              min={1}
              step={1}
              className="narrow"
              value={c.amount}
              aria-invalid={err('value.amount') ? true : undefined}
              aria-describedby={describedBy}
              onChange={(event) => {
                set({ amount: event.target.value });
              }}
            />
          </div>
          <div className="field">
            <label htmlFor={fieldId(`${path}.value.unit`)}>Unit</label>
            <select
              id={fieldId(`${path}.value.unit`)}
              aria-label={label('Unit')}
              value={c.unit}
              onChange={(event) => {
                set({ unit: event.target.value as EditCondition['unit'] });
              }}
            >
              <option value="days">days</option>
              <option value="weeks">weeks</option>
              <option value="months">months</option>
            </select>
          </div>
        </>
      );
    case 'between':
      return (
        <>
          <div className="field">
            <label htmlFor={fieldId(`${path}.value[0]`)}>From</label>
            <input
              id={fieldId(`${path}.value[0]`)}
              aria-label={label('From')}
              type={inputType}
              value={c.text}
              aria-invalid={(err('value[0]') ?? err('value')) ? true : undefined}
              onChange={(event) => {
                set({ text: event.target.value });
              }}
            />
          </div>
          <div className="field">
            <label htmlFor={fieldId(`${path}.value[1]`)}>To (included)</label>
            <input
              id={fieldId(`${path}.value[1]`)}
              aria-label={label('To')}
              type={inputType}
              value={c.text2}
              aria-invalid={err('value[1]') ? true : undefined}
              aria-describedby={describedBy}
              onChange={(event) => {
                set({ text2: event.target.value });
              }}
            />
          </div>
        </>
      );
    case 'in':
    case 'notIn':
      return (
        <div className="field">
          <label htmlFor={valueId}>Values (one per line)</label>
          <textarea
            id={valueId}
            aria-label={label('Values')}
            rows={2}
            value={c.text}
            aria-invalid={err('value') ? true : undefined}
            aria-describedby={describedBy}
            onChange={(event) => {
              set({ text: event.target.value });
            }}
          />
        </div>
      );
    default:
      if (type === 'boolean') {
        return (
          <div className="field">
            <label htmlFor={valueId}>Value</label>
            <select
              id={valueId}
              aria-label={label('Value')}
              value={c.text}
              aria-invalid={err('value') ? true : undefined}
              aria-describedby={describedBy}
              onChange={(event) => {
                set({ text: event.target.value });
              }}
            >
              <option value="">Choose…</option>
              <option value="true">yes (true)</option>
              <option value="false">no (false)</option>
            </select>
          </div>
        );
      }
      return (
        <div className="field">
          <label htmlFor={valueId}>Value</label>
          <input
            id={valueId}
            aria-label={label('Value')}
            type={inputType}
            inputMode={type === 'number' ? 'decimal' : undefined}
            value={c.text}
            aria-invalid={err('value') ? true : undefined}
            aria-describedby={describedBy}
            onChange={(event) => {
              set({ text: event.target.value });
            }}
          />
        </div>
      );
  }
}
