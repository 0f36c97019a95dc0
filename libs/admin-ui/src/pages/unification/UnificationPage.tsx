import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import { get, post, put } from '../../api/client';
import type {
  CustomerField,
  MatchCondition,
  MatchRule,
  MergePolicy,
  Normalizer,
  UnificationConfig,
} from '../../api/types';
import {
  DateTime,
  ErrorBox,
  formatDuration,
  Loading,
  Notice,
  PageHeader,
} from '../../components/common';
import { ErrorSummary } from '../../components/ErrorSummary';
import { CheckboxField, TextField } from '../../components/form';
import { errorsUnder, fieldId, NO_ERRORS, toFormErrors, type FormErrors } from '../../forms/errors';
import { useCustomerFields } from '../../hooks/useCustomerFields';
import { useSources } from '../../hooks/useSources';
import { useUnsavedWarning } from '../../hooks/useUnsavedWarning';
import { PolicyEditor } from './PolicyEditor';
import { Can, EditableBy } from '../../auth/role';

const NORMALIZERS: { value: Normalizer; label: string }[] = [
  { value: 'trim', label: 'trim' },
  { value: 'lowercase', label: 'lower case' },
  { value: 'collapseWhitespace', label: 'collapse spaces' },
  { value: 'removeDiacritics', label: 'remove accents' },
  { value: 'digitsOnly', label: 'digits only (phones)' },
  { value: 'alphanumeric', label: 'letters and digits only' },
  { value: 'email', label: 'email' },
  { value: 'emailMailbox', label: 'email mailbox (no +tag, Gmail dots)' },
];

function suggestedNormalizers(field: string): Normalizer[] {
  if (/mail/i.test(field)) return ['email'];
  if (/phone|mobile|tel/i.test(field)) return ['digitsOnly'];
  return ['trim', 'lowercase', 'collapseWhitespace', 'removeDiacritics'];
}

export function UnificationPage() {
  const config = useQuery({
    queryKey: ['unification'],
    queryFn: () => get<UnificationConfig>('/api/unification'),
  });
  const fields = useCustomerFields();
  const sources = useSources();
  const error = config.error ?? fields.error ?? sources.error;
  if (error) return <ErrorBox error={error} />;
  if (!config.data || !fields.data || !sources.data) return <Loading what="the configuration" />;
  return (
    <UnificationForm
      initial={config.data}
      fields={fields.data.filter((f) => f.name !== 'customerId')}
      sources={sources.data.map((s) => s.name)}
    />
  );
}

function UnificationForm({
  initial,
  fields,
  sources,
}: {
  initial: UnificationConfig;
  fields: CustomerField[];
  sources: string[];
}) {
  const queryClient = useQueryClient();
  const [config, setConfig] = useState<UnificationConfig>(initial);
  /** The settings as last saved: what a run uses. */
  const [stored, setStored] = useState<UnificationConfig>(initial);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saved, setSaved] = useState(false);
  const [overrideField, setOverrideField] = useState('');
  const [runRefused, setRunRefused] = useState(false);
  const dirty = settingsText(config) !== settingsText(stored);
  useUnsavedWarning(dirty);

  const save = useMutation({
    mutationFn: (body: UnificationConfig) => put<UnificationConfig>('/api/unification', body),
    onSuccess: async (result) => {
      setErrors(NO_ERRORS);
      setSaved(true);
      setConfig(result);
      setStored(result);
      setRunRefused(false);
      await queryClient.invalidateQueries({ queryKey: ['unification'] });
    },
    onError: (error) => {
      setSaved(false);
      setErrors(toFormErrors(error));
    },
  });

  const status = useQuery({
    queryKey: ['unification', 'status'],
    queryFn: () => get<UnificationStatus>('/api/unification/status'),
  });
  const run = useMutation({
    mutationFn: () => post<UnificationRun>('/api/unification/run'),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['unification', 'status'] });
      await queryClient.invalidateQueries({ queryKey: ['customers'] });
      await queryClient.invalidateQueries({ queryKey: ['overview'] });
    },
  });

  const setRules = (rules: MatchRule[]) => {
    setSaved(false);
    setConfig({ ...config, rules });
  };
  const setRule = (index: number, rule: MatchRule) => {
    setRules(config.rules.map((r, i) => (i === index ? rule : r)));
  };
  const setMerge = (merge: UnificationConfig['merge']) => {
    setSaved(false);
    setConfig({ ...config, merge });
  };
  const firstField = fields[0]?.name ?? '';
  const newCondition = (field = firstField): MatchCondition => ({
    field,
    normalizers: suggestedNormalizers(field),
    match: 'exact',
  });

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    save.mutate(settingsOf(config));
  };
  const saveAndRun = () => {
    save.mutate(settingsOf(config), {
      onSuccess: () => {
        run.mutate();
      },
    });
  };

  return (
    <>
      <PageHeader
        title="Unification"
        actions={
          <Can least="operator">
            <button
              type="button"
              disabled={run.isPending}
              onClick={() => {
                // A run uses the saved rules: with changes on screen it would not do what is shown.
                if (dirty) setRunRefused(true);
                else run.mutate();
              }}
            >
              {run.isPending ? 'Unifying…' : 'Run unification now'}
            </button>
          </Can>
        }
      >
        Match rules decide which source records are the same customer (a pair matches when any rule
        matches, and matches chain: A~B and B~C make one customer). Merge policies decide which
        record&apos;s value a customer keeps. Customer IDs stay stable across runs.
      </PageHeader>
      {dirty ? (
        <Notice kind="warn">
          <strong>Unsaved changes.</strong> The rules on screen differ from the saved ones; a
          unification uses the saved rules.
          {runRefused ? (
            <>
              {' '}
              Save them first to run with them.{' '}
              <button
                type="button"
                className="small primary"
                disabled={save.isPending || run.isPending}
                onClick={saveAndRun}
              >
                Save and run
              </button>
            </>
          ) : null}
        </Notice>
      ) : null}
      {run.error ? <ErrorBox title="Unification failed" error={run.error} /> : null}
      {run.data ? (
        <Notice kind="ok">
          <strong>Unification finished:</strong> <RunFigures run={run.data} />.{' '}
          <Link to="/customers">Browse the customers</Link>
        </Notice>
      ) : status.data?.lastRun ? (
        <p className="muted">
          Last unification: {status.data.lastRun.status ?? ''}{' '}
          <DateTime value={status.data.lastRun.finishedAt ?? null} /> —{' '}
          <RunFigures run={status.data.lastRun} />.
        </p>
      ) : null}
      {status.data?.running ? <Notice>A unification is running now.</Notice> : null}
      {saved && !dirty ? (
        <Notice kind="ok">Configuration saved. It applies at the next unification.</Notice>
      ) : null}
      <ErrorSummary errors={errors} />
      <form onSubmit={submit} noValidate>
        <EditableBy least="editor">
          <section className="panel">
            <h2>Match rules</h2>
            {fields.length === 0 ? (
              <p className="muted">
                No customer fields yet: <Link to="/sources/new">create a source</Link> first.
              </p>
            ) : null}
            {config.rules.length === 0 ? (
              <p className="muted">
                No rules: every source record becomes its own customer. Add a rule to join records,
                for example on the email address.
              </p>
            ) : null}
            {config.rules.map((rule, index) => (
              <RuleEditor
                key={index}
                index={index}
                count={config.rules.length}
                rule={rule}
                fields={fields}
                errors={errors}
                onChange={(r) => {
                  setRule(index, r);
                }}
                onMove={(delta) => {
                  const next = [...config.rules];
                  const [item] = next.splice(index, 1);
                  next.splice(index + delta, 0, item);
                  setRules(next);
                }}
                onRemove={() => {
                  setRules(config.rules.filter((_, i) => i !== index));
                }}
                newCondition={newCondition}
              />
            ))}
            {errorsUnder(errors, 'rules') && !config.rules.length ? (
              <div className="field-error">{errorsUnder(errors, 'rules')}</div>
            ) : null}
            <button
              type="button"
              disabled={fields.length === 0}
              onClick={() => {
                const email = fields.find((f) => /mail/i.test(f.name))?.name;
                setRules([
                  ...config.rules,
                  {
                    name: `rule ${config.rules.length + 1}`,
                    conditions: [newCondition(email ?? firstField)],
                  },
                ]);
              }}
            >
              Add rule
            </button>
            <CheckboxField
              path="dedupeWithinSource"
              label="Records of the same source may match each other (deduplicate within a source)"
              checked={config.dedupeWithinSource}
              error={errorsUnder(errors, 'dedupeWithinSource')}
              onChange={(checked) => {
                setSaved(false);
                setConfig({ ...config, dedupeWithinSource: checked });
              }}
            />
          </section>

          <section className="panel">
            <h2>Merge</h2>
            <PolicyEditor
              path="merge.default"
              label="Default: take each value from the"
              value={config.merge.default}
              sources={sources}
              error={errorsUnder(errors, 'merge.default')}
              onChange={(policy) => {
                setMerge({ ...config.merge, default: policy });
              }}
            />
            <h3>Per-field policies</h3>
            {Object.entries(config.merge.fields).map(([field, policy]) => (
              <div className="row compact" key={field}>
                <PolicyEditor
                  path={`merge.fields.${field}`}
                  label={`${field}: take the value from the`}
                  value={policy}
                  sources={sources}
                  error={errorsUnder(errors, `merge.fields.${field}`)}
                  onChange={(p) => {
                    setMerge({ ...config.merge, fields: { ...config.merge.fields, [field]: p } });
                  }}
                />
                <button
                  type="button"
                  className="small danger"
                  onClick={() => {
                    setMerge({
                      ...config.merge,
                      fields: Object.fromEntries(
                        Object.entries(config.merge.fields).filter(([name]) => name !== field),
                      ),
                    });
                  }}
                >
                  Remove {field} policy
                </button>
              </div>
            ))}
            <div className="row compact">
              <div className="field">
                <label htmlFor={fieldId('merge.newField')}>Field with its own policy</label>
                <select
                  id={fieldId('merge.newField')}
                  className="narrow"
                  value={overrideField}
                  onChange={(event) => {
                    setOverrideField(event.target.value);
                  }}
                >
                  <option value="">Choose…</option>
                  {fields
                    .filter((f) => !(f.name in config.merge.fields))
                    .map((f) => (
                      <option key={f.name} value={f.name}>
                        {f.name}
                      </option>
                    ))}
                </select>
              </div>
              <button
                type="button"
                disabled={!overrideField}
                onClick={() => {
                  setMerge({
                    ...config.merge,
                    fields: {
                      ...config.merge.fields,
                      [overrideField]: { sourcePriority: sources },
                    },
                  });
                  setOverrideField('');
                }}
              >
                Add field policy
              </button>
            </div>
            <h3>Field groups</h3>
            <p className="muted small">
              Fields taken together from one record, such as an address.
            </p>
            {config.merge.groups.map((group, gi) => {
              const setGroup = (patch: Partial<typeof group>) => {
                setMerge({
                  ...config.merge,
                  groups: config.merge.groups.map((g, i) => (i === gi ? { ...g, ...patch } : g)),
                });
              };
              return (
                <fieldset key={gi} id={fieldId(`merge.groups[${gi}]`)}>
                  <legend>Group {gi + 1}</legend>
                  <TextField
                    path={`merge.groups[${gi}].name`}
                    label="Name"
                    value={group.name}
                    error={errorsUnder(errors, `merge.groups[${gi}].name`)}
                    onChange={(name) => {
                      setGroup({ name });
                    }}
                  />
                  <fieldset className="plain" id={fieldId(`merge.groups[${gi}].fields`)}>
                    <legend>Fields</legend>
                    {errorsUnder(errors, `merge.groups[${gi}].fields`) ? (
                      <div className="field-error">
                        {errorsUnder(errors, `merge.groups[${gi}].fields`)}
                      </div>
                    ) : null}
                    <div className="checks">
                      {fields.map((f) => (
                        <CheckboxField
                          key={f.name}
                          path={`merge.groups[${gi}].fields.${f.name}`}
                          label={f.name}
                          checked={group.fields.includes(f.name)}
                          onChange={(on) => {
                            setGroup({
                              fields: on
                                ? [...group.fields, f.name]
                                : group.fields.filter((x) => x !== f.name),
                            });
                          }}
                        />
                      ))}
                    </div>
                  </fieldset>
                  <PolicyEditor
                    path={`merge.groups[${gi}].policy`}
                    label="Take the group from the"
                    value={group.policy ?? config.merge.default}
                    sources={sources}
                    error={errorsUnder(errors, `merge.groups[${gi}].policy`)}
                    onChange={(policy: MergePolicy) => {
                      setGroup({ policy });
                    }}
                  />
                  <button
                    type="button"
                    className="small danger"
                    onClick={() => {
                      setMerge({
                        ...config.merge,
                        groups: config.merge.groups.filter((_, i) => i !== gi),
                      });
                    }}
                  >
                    Remove group
                  </button>
                </fieldset>
              );
            })}
            <button
              type="button"
              onClick={() => {
                setMerge({
                  ...config.merge,
                  groups: [
                    ...config.merge.groups,
                    { name: `group ${config.merge.groups.length + 1}`, fields: [] },
                  ],
                });
              }}
            >
              Add field group
            </button>
          </section>
          <div className="form-actions">
            <Can least="editor">
              <button type="submit" className="primary" disabled={save.isPending}>
                {save.isPending ? 'Saving…' : 'Save unification rules'}
              </button>
            </Can>
          </div>
        </EditableBy>
      </form>
    </>
  );
}

/** Only the settings: the GET answer also says whether they were ever saved. */
function settingsOf(config: UnificationConfig): UnificationConfig {
  return {
    rules: config.rules,
    dedupeWithinSource: config.dedupeWithinSource,
    merge: config.merge,
  };
}

function settingsText(config: UnificationConfig): string {
  return JSON.stringify(settingsOf(config));
}

interface UnificationRun {
  status?: string;
  finishedAt?: string;
  [figure: string]: unknown;
}

interface UnificationStatus {
  running: unknown;
  lastRun: UnificationRun | null;
}

const FIGURES: [string, string][] = [
  ['sourceRecords', 'source records'],
  ['customers', 'customers'],
  ['recordsMerged', 'records merged'],
  ['customersCreated', 'new customers'],
  ['customersMerged', 'customers merged'],
  ['customersSplit', 'customers split'],
];

function RunFigures({ run }: { run: UnificationRun }) {
  const parts = FIGURES.filter(([key]) => typeof run[key] === 'number').map(
    ([key, label]) => `${(run[key] as number).toLocaleString()} ${label}`,
  );
  if (typeof run.durationMs === 'number') parts.push(`in ${formatDuration(run.durationMs)}`);
  return <span data-testid="unification-figures">{parts.join(', ')}</span>;
}

function RuleEditor(props: {
  index: number;
  count: number;
  rule: MatchRule;
  fields: CustomerField[];
  errors: FormErrors;
  onChange: (rule: MatchRule) => void;
  onMove: (delta: number) => void;
  onRemove: () => void;
  newCondition: (field?: string) => MatchCondition;
}) {
  const { rule, index } = props;
  const base = `rules[${index}]`;
  const setCondition = (ci: number, patch: Partial<MatchCondition>) => {
    props.onChange({
      ...rule,
      conditions: rule.conditions.map((c, i) => (i === ci ? { ...c, ...patch } : c)),
    });
  };
  const ruleError = props.errors.fields[base] ?? props.errors.fields[`${base}.conditions`];
  return (
    <fieldset id={fieldId(base)} className={ruleError ? 'field-invalid' : undefined}>
      <legend>
        Rule {index + 1}
        {rule.name ? `: ${rule.name}` : ''}
      </legend>
      {ruleError ? (
        <div className="field-error" role="alert">
          {ruleError}
        </div>
      ) : null}
      <TextField
        path={`${base}.name`}
        label="Rule name"
        value={rule.name ?? ''}
        error={errorsUnder(props.errors, `${base}.name`)}
        onChange={(name) => {
          props.onChange({ ...rule, name: name || undefined });
        }}
      />
      <p className="muted small">Records match under this rule when all its conditions hold.</p>
      {rule.conditions.map((condition, ci) => {
        const path = `${base}.conditions[${ci}]`;
        const fuzzy = typeof condition.match === 'object';
        const error = errorsUnder(props.errors, path);
        return (
          <div
            key={ci}
            className={error ? 'rule-condition field-invalid' : 'rule-condition'}
            id={fieldId(path)}
          >
            <div className="field">
              <label htmlFor={fieldId(`${path}.field`)}>Field</label>
              <select
                id={fieldId(`${path}.field`)}
                aria-label={`Field of rule ${index + 1} condition ${ci + 1}`}
                value={condition.field}
                aria-invalid={props.errors.fields[`${path}.field`] ? true : undefined}
                onChange={(event) => {
                  setCondition(ci, {
                    field: event.target.value,
                    normalizers: suggestedNormalizers(event.target.value),
                  });
                }}
              >
                {props.fields.some((f) => f.name === condition.field) ? null : (
                  <option value={condition.field}>{condition.field || 'Choose…'}</option>
                )}
                {props.fields.map((f) => (
                  <option key={f.name} value={f.name}>
                    {f.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={fieldId(`${path}.match`)}>Match</label>
              <select
                id={fieldId(`${path}.match`)}
                aria-label={`Match of rule ${index + 1} condition ${ci + 1}`}
                value={fuzzy ? 'fuzzy' : 'exact'}
                onChange={(event) => {
                  setCondition(ci, {
                    match: event.target.value === 'fuzzy' ? { fuzzy: 0.85 } : 'exact',
                  });
                }}
              >
                <option value="exact">exactly (after normalizing)</option>
                <option value="fuzzy">similar (fuzzy)</option>
              </select>
            </div>
            {typeof condition.match === 'object' ? (
              <div className="field">
                <label htmlFor={fieldId(`${path}.match.fuzzy`)}>Similarity at least (0–1)</label>
                <input
                  id={fieldId(`${path}.match.fuzzy`)}
                  type="number"
                  min={0}
                  max={1}
                  step={0.01}
                  className="narrow"
                  value={condition.match.fuzzy}
                  onChange={(event) => {
                    setCondition(ci, { match: { fuzzy: Number(event.target.value) } });
                  }}
                />
              </div>
            ) : null}
            <fieldset className="plain" id={fieldId(`${path}.normalizers`)}>
              <legend>Normalize</legend>
              <div className="checks">
                {NORMALIZERS.map((n) => (
                  <CheckboxField
                    key={n.value}
                    path={`${path}.normalizers.${n.value}`}
                    label={n.label}
                    checked={condition.normalizers.includes(n.value)}
                    onChange={(on) => {
                      const next = on
                        ? [...condition.normalizers, n.value]
                        : condition.normalizers.filter((x) => x !== n.value);
                      // Keep the documented order so the pipeline reads naturally.
                      setCondition(ci, {
                        normalizers: NORMALIZERS.map((x) => x.value).filter((x) =>
                          next.includes(x),
                        ),
                      });
                    }}
                  />
                ))}
              </div>
            </fieldset>
            <button
              type="button"
              className="small danger"
              onClick={() => {
                props.onChange({ ...rule, conditions: rule.conditions.filter((_, i) => i !== ci) });
              }}
            >
              Remove condition
            </button>
            {error ? (
              <div className="field-error" role="alert">
                {error}
              </div>
            ) : null}
          </div>
        );
      })}
      <div className="form-actions">
        <button
          type="button"
          className="small"
          onClick={() => {
            props.onChange({ ...rule, conditions: [...rule.conditions, props.newCondition()] });
          }}
        >
          Add condition
        </button>
        <button
          type="button"
          className="small"
          disabled={index === 0}
          onClick={() => {
            props.onMove(-1);
          }}
        >
          Move rule up
        </button>
        <button
          type="button"
          className="small"
          disabled={index === props.count - 1}
          onClick={() => {
            props.onMove(1);
          }}
        >
          Move rule down
        </button>
        <button type="button" className="small danger" onClick={props.onRemove}>
          Remove rule
        </button>
      </div>
    </fieldset>
  );
}
