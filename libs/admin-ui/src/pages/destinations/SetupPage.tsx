import type {
  ConfigSchema,
  DestinationTypeDescription,
  ObjectSchema,
} from '@audience-sync/exporter-contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type SyntheticEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { del, get, post, put } from '../../api/client';
import { errorText } from '../../api/errors';
import type { ConnectionTestResult, Destination, SignInChallenge } from '../../api/types';
import { ErrorBox, Loading, Notice, PageHeader } from '../../components/common';
import { ErrorSummary } from '../../components/ErrorSummary';
import { CheckboxField, RadioGroup, SelectField, TextField } from '../../components/form';
import { errorsUnder, NO_ERRORS, toFormErrors, type FormErrors } from '../../forms/errors';
import { useCustomerFields } from '../../hooks/useCustomerFields';
import {
  secretsSetOf,
  signInPending,
  useDestination,
  useDestinationTypes,
} from '../../hooks/useDestinations';
import { SchemaForm } from '../../schema-form/SchemaForm';
import {
  checkValue,
  defaultsOf,
  isObjectSchema,
  isServerManaged,
  pruneToSchema,
  titleOf,
  visibleProperties,
  type HidePredicate,
  type Values,
} from '../../schema-form/schema';
import { useSegments } from '../segments/SegmentsPage';
import { ConnectionTestOutcome } from './ConnectionTest';
import { DryRunPanel } from './DryRunPanel';
import { SignInPanel } from './SignInPanel';
import { useOneClick } from './one-click';
import { Can } from '../../auth/role';

export const SYNC_MODE_TEXT: Partial<Record<string, { label: string; hint: string }>> = {
  mirror: {
    label: 'Mirror',
    hint: 'after each export the target holds exactly the segment’s members: new ones are added, departed ones removed',
  },
  additive: { label: 'Additive', hint: 'members are added, never removed' },
};

/** "Set up" and "Edit": the step-by-step flow of any destination type, from its schema. */
export function SetupPage() {
  const { type: typeParam, id } = useParams();
  const types = useDestinationTypes();
  const existing = useDestination(id);
  if (types.isPending || (id && existing.isPending)) return <Loading what="the destination" />;
  const error = types.error ?? (id ? existing.error : null);
  if (error) return <ErrorBox error={error} />;
  const typeId = existing.data?.type ?? typeParam;
  const type = types.data?.find((t) => t.type === typeId);
  if (!type) {
    return (
      <ErrorBox
        error={`There is no destination type "${typeId ?? ''}". Known types: ${(types.data ?? []).map((t) => t.type).join(', ')}.`}
      />
    );
  }
  return <SetupFlow key={id ?? typeId} type={type} existing={existing.data} />;
}

function guessKeyField(names: string[]): string {
  return names.find((n) => /^contact_?id$/i.test(n)) ?? names.find((n) => /contact/i.test(n)) ?? '';
}

function SetupFlow({
  type,
  existing,
}: {
  type: DestinationTypeDescription;
  existing?: Destination;
}) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const fields = useCustomerFields();
  const segments = useSegments();
  const schema = type.configSchema as ObjectSchema;
  const [step, setStep] = useState<1 | 2>(1);
  const [saved, setSaved] = useState<Destination | undefined>(existing);
  const [displayName, setDisplayName] = useState(existing?.displayName ?? '');
  const [config, setConfig] = useState<Values>(() => ({
    ...(defaultsOf(schema) as Values),
    ...(existing?.config ?? {}),
  }));
  const [contactIdField, setContactIdField] = useState(existing?.contactIdField ?? '');
  const [segmentIds, setSegmentIds] = useState<string[]>(existing?.segmentIds ?? []);
  const [syncMode, setSyncMode] = useState<string>(existing?.syncMode ?? type.defaultSyncMode);
  const [enabled, setEnabled] = useState(
    existing ? existing.enabled || !existing.segmentIds.length : true,
  );
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [limit, setLimit] = useState(() => limitInputs(existing?.removalLimit));
  const [skippedAlert, setSkippedAlert] = useState(() =>
    existing?.skippedAlertPercent == null ? '' : String(existing.skippedAlertPercent),
  );
  const [busy, setBusy] = useState<'next' | 'save' | 'sign-in' | 'test' | 'cancel' | null>(null);
  const [signInError, setSignInError] = useState<string | undefined>();
  const [testResult, setTestResult] = useState<ConnectionTestResult | null>(null);
  const [testError, setTestError] = useState<unknown>(null);
  const [confirmNoSegments, setConfirmNoSegments] = useState(false);
  // Settings per segment (e.g. the Sales list name), kept in the config under this key.
  const perSegmentKey = perSegmentKeyOf(schema);
  const [perSegment, setPerSegment] = useState<PerSegment>(() =>
    perSegmentKey ? ((existing?.config[perSegmentKey] as PerSegment | undefined) ?? {}) : {},
  );
  const [cancelError, setCancelError] = useState<unknown>(null);
  const step2Heading = useRef<HTMLHeadingElement>(null);
  const oneClick = useOneClick(schema, !existing, config, setConfig);

  // After Next, keyboard and screen-reader users continue at step 2, not at the page's top.
  useEffect(() => {
    if (step === 2) step2Heading.current?.focus();
  }, [step]);

  // While a sign-in waits for the person, the destination is polled for its outcome.
  const polled = useDestination(saved?.id, { pollWhile: signInPending });
  const current = polled.data ?? saved;
  const signIn = current?.signIn ?? null;

  const secretsSet = useMemo(() => secretsSetOf(current), [current]);
  const hide: HidePredicate = (_path, s) =>
    isServerManaged(s) || isPerSegment(s) || oneClick.hides(s);
  const hideRelative: HidePredicate = hide;
  const fieldNames = (fields.data ?? []).map((f) => f.name);
  const keyField = contactIdField || (type.memberKey ? guessKeyField(fieldNames) : '');

  // Checks as typed: every filled value against the schema.
  const live = checkValue(schema, config, 'config', { requireAll: false, hide });
  const shown: FormErrors = { fields: { ...live, ...errors.fields }, general: errors.general };

  const checkStep1 = (): FormErrors => {
    const found = checkValue(schema, config, 'config', {
      requireAll: true,
      secretsSet,
      secretPrefix: 'config',
      hide,
    });
    if (!displayName.trim()) found.displayName = 'Enter a display name.';
    if (type.memberKey && !keyField)
      found.contactIdField = `Choose the customer field that holds the ${type.memberKey.label}.`;
    return { fields: found, general: [] };
  };

  /** The configuration to send: the form's values and the chosen segments' own settings. */
  const configBody = () => {
    const values = pruneToSchema(schema, config, '', (p, s, r) =>
      hideRelative(`config.${p}`, s, r),
    ) as Values;
    if (!perSegmentKey) return values;
    // Only the chosen segments, only the values given.
    const kept: PerSegment = {};
    for (const id of segmentIds) {
      const { name, listId } = perSegment[id] ?? {};
      if (listId) kept[id] = { listId };
      else if (name) kept[id] = { name };
    }
    return Object.keys(kept).length > 0 ? { ...values, [perSegmentKey]: kept } : values;
  };

  /** Saves the connection settings (a disabled draft the first time). */
  const saveConnection = async (): Promise<Destination | null> => {
    const local = checkStep1();
    if (Object.keys(local.fields).length > 0) {
      setErrors(local);
      return null;
    }
    const body = {
      displayName: displayName.trim(),
      config: configBody(),
      contactIdField: type.memberKey ? keyField : null,
    };
    try {
      const result = saved
        ? await put<Destination>(`/api/destinations/${encodeURIComponent(saved.id)}`, body)
        : await post<Destination>('/api/destinations', {
            ...body,
            type: type.type,
            segmentIds: [],
            syncMode: type.defaultSyncMode,
            enabled: false,
          });
      setSaved(result);
      setErrors(NO_ERRORS);
      await oneClick.afterSave();
      queryClient.setQueryData(['destinations', result.id], result);
      await queryClient.invalidateQueries({ queryKey: ['destinations'], exact: true });
      return result;
    } catch (error) {
      setErrors(toFormErrors(error));
      return null;
    }
  };

  const next = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy('next');
    const result = await saveConnection();
    setBusy(null);
    if (result) {
      setStep(2);
      window.scrollTo(0, 0);
    }
  };

  const startSignIn = async () => {
    setSignInError(undefined);
    setBusy('sign-in');
    try {
      const result = await saveConnection();
      if (!result) return;
      const challenge = await post<SignInChallenge>(
        `/api/destinations/${encodeURIComponent(result.id)}/sign-in`,
      );
      queryClient.setQueryData<Destination>(['destinations', result.id], (d) =>
        d
          ? {
              ...d,
              signIn: {
                status: 'pending',
                startedAt: new Date().toISOString(),
                userCode: challenge.userCode,
                verificationUri: challenge.verificationUri,
                expiresAt: challenge.expiresAt,
              },
            }
          : d,
      );
    } catch (error) {
      setSignInError(errorText(error));
    } finally {
      setBusy(null);
    }
  };

  const testConnection = async () => {
    setTestResult(null);
    setTestError(null);
    setBusy('test');
    try {
      const result = await saveConnection();
      if (!result) return;
      setTestResult(
        await post<ConnectionTestResult>(`/api/destinations/${encodeURIComponent(result.id)}/test`),
      );
    } catch (error) {
      setTestError(error);
    } finally {
      setBusy(null);
    }
  };

  /** Cancel: a draft this flow saved (a new destination) is removed, not left behind disabled. */
  const cancel = async () => {
    setCancelError(null);
    if (existing || !saved) {
      void navigate(saved ? `/destinations/${saved.id}` : '/destinations');
      return;
    }
    setBusy('cancel');
    try {
      await del(`/api/destinations/${encodeURIComponent(saved.id)}`);
      // Only the list is asked again: the draft's own query would answer 404.
      void navigate('/destinations', { state: { notice: 'Set-up canceled: nothing was kept.' } });
      await queryClient.invalidateQueries({ queryKey: ['destinations'], exact: true });
    } catch (error) {
      setCancelError(error);
    } finally {
      setBusy(null);
    }
  };

  /** What step 2 saves: the segments, how they sync, their lists and the guardrails. */
  const choicesBody = () => ({
    segmentIds,
    syncMode,
    enabled,
    ...(perSegmentKey ? { config: configBody() } : {}),
    removalLimit: limitBody(limit),
    skippedAlertPercent: numberBody(skippedAlert),
  });

  /** Saves the segment choices without leaving (the preview computes from what is saved). */
  const saveChoices = async (): Promise<boolean> => {
    if (!saved) return false;
    try {
      await put<Destination>(`/api/destinations/${encodeURIComponent(saved.id)}`, choicesBody());
      setErrors(
        withoutPaths(errors, ['segmentIds', 'syncMode', 'removalLimit', 'skippedAlertPercent']),
      );
      return true;
    } catch (error) {
      setErrors(toFormErrors(error));
      return false;
    }
  };

  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (!saved) return;
    if (segmentIds.length === 0 && !confirmNoSegments) {
      setConfirmNoSegments(true);
      return;
    }
    setBusy('save');
    try {
      const result = await put<Destination>(
        `/api/destinations/${encodeURIComponent(saved.id)}`,
        choicesBody(),
      );
      await queryClient.invalidateQueries({ queryKey: ['destinations'] });
      void navigate(`/destinations/${result.id}`, {
        state: {
          notice: existing
            ? 'Destination saved.'
            : `Destination saved. Saving does not export: it exports with every refresh${enabled ? '' : ' once enabled'}, or now with “Export now”.`,
        },
      });
    } catch (error) {
      const found = toFormErrors(error);
      setErrors(found);
      const step1 = Object.keys(found.fields).some(
        (p) =>
          (p.startsWith('config') &&
            !(perSegmentKey && p.startsWith(`config.${perSegmentKey}.`))) ||
          p === 'displayName' ||
          p === 'contactIdField',
      );
      if (step1) setStep(1);
    } finally {
      setBusy(null);
    }
  };

  /** The sign-in panel goes under the object that holds the value sign-in sets. */
  const renderAfter = (_path: string, value: Values, objectSchema: ObjectSchema) => {
    if (!type.signIn) return null;
    const managed = visibleProperties(objectSchema, value).some((e) => isServerManaged(e.schema));
    if (!managed) return null;
    return (
      <SignInPanel
        label={type.signIn.label}
        description={type.signIn.description}
        state={signIn}
        busy={busy === 'sign-in'}
        error={signInError}
        onSignIn={() => void startSignIn()}
      />
    );
  };

  const title = existing ? `Edit ${existing.displayName}` : `Set up ${type.displayName}`;
  const segmentList = (segments.data ?? []).slice().sort((a, b) => a.name.localeCompare(b.name));

  return (
    <>
      <PageHeader title={title}>
        {type.description} <Link to="/destinations">All destinations</Link>
      </PageHeader>
      <ol className="steps" aria-label="Steps">
        <li
          aria-current={step === 1 ? 'step' : undefined}
          className={step > 1 ? 'done' : undefined}
        >
          Connection
        </li>
        <li aria-current={step === 2 ? 'step' : undefined}>Segments</li>
      </ol>
      <ErrorSummary errors={errors} />
      {cancelError ? <ErrorBox title="Could not cancel the set-up" error={cancelError} /> : null}
      {step === 1 ? (
        <form onSubmit={(event) => void next(event)} noValidate aria-label="Connection">
          <section className="panel">
            <TextField
              path="displayName"
              label="Display name"
              hint="Unique; shown in lists and run records."
              required
              value={displayName}
              error={errorsUnder(shown, 'displayName')}
              onChange={(value) => {
                setErrors((current) => withoutPaths(current, ['displayName']));
                setDisplayName(value);
              }}
            />
            {isObjectSchema(schema) ? (
              <SchemaForm
                schema={schema}
                value={config}
                path="config"
                errors={shown.fields}
                secretsSet={secretsSet}
                customerFields={fields.data}
                hide={hide}
                renderAfter={renderAfter}
                onChange={(value) => {
                  // A server message goes away once the value it was about changes.
                  const changed = changedPaths(config, value, 'config');
                  setErrors((current) => withoutPaths(current, changed));
                  setConfig(value);
                }}
              />
            ) : null}
            {oneClick.disclosure}
            {oneClick.offer}
            {type.memberKey ? (
              <SelectField
                path="contactIdField"
                label={`Customer field for the ${type.memberKey.label}`}
                hint={type.memberKey.description}
                required
                value={keyField}
                placeholder="Choose a customer field…"
                options={(fields.data ?? []).map((f) => ({
                  value: f.name,
                  label: `${f.name} (${f.type})`,
                }))}
                error={errorsUnder(shown, 'contactIdField')}
                onChange={(value) => {
                  setErrors((current) => withoutPaths(current, ['contactIdField']));
                  setContactIdField(value);
                }}
              />
            ) : null}
          </section>
          {testResult ? <ConnectionTestOutcome result={testResult} /> : null}
          {testError ? <ErrorBox title="Could not test the connection" error={testError} /> : null}
          <div className="form-actions">
            <Can least="editor">
              <button type="submit" className="primary" disabled={busy !== null}>
                {busy === 'next' ? 'Checking…' : 'Next'}
              </button>
            </Can>
            <Can least="editor">
              <button type="button" disabled={busy !== null} onClick={() => void testConnection()}>
                {busy === 'test' ? 'Testing…' : 'Test connection'}
              </button>
            </Can>
            <button type="button" disabled={busy !== null} onClick={() => void cancel()}>
              {busy === 'cancel' ? 'Canceling…' : 'Cancel'}
            </button>
            <span className="muted small">
              {saved
                ? 'Next saves these settings.'
                : 'Next checks and saves these settings as a disabled draft; nothing is exported until you save the destination with its segments.'}
            </span>
          </div>
        </form>
      ) : (
        <form onSubmit={(event) => void save(event)} noValidate aria-label="Segments">
          <h2 ref={step2Heading} tabIndex={-1}>
            Step 2: choose the segments
          </h2>
          <section className="panel">
            <fieldset className="plain" id="f-segmentIds">
              <legend>Segments to export</legend>
              <div className="hint">
                {type.exportStyle === 'changes'
                  ? 'Each segment is kept as its own list in the target.'
                  : 'Each segment is written on its own.'}{' '}
                Sizes are as of the last evaluation.
              </div>
              {errorsUnder(errors, 'segmentIds') ? (
                <div className="field-error" role="alert">
                  {errorsUnder(errors, 'segmentIds')}
                </div>
              ) : null}
              {segments.isPending ? <Loading what="segments" /> : null}
              {segments.data?.length === 0 ? (
                <p className="muted">
                  No segments yet. <Link to="/segments/new">Create one</Link>, then come back.
                </p>
              ) : null}
              {segmentList.map((s) => (
                <CheckboxField
                  key={s.id}
                  path={`segmentIds.${s.id}`}
                  label={
                    <>
                      {s.name} — {s.membership.size.toLocaleString()} members
                      {s.membership.evaluatedAt ? '' : ' (not evaluated yet)'}
                      {s.active ? '' : ' (inactive: not exported)'}
                    </>
                  }
                  checked={segmentIds.includes(s.id)}
                  onChange={(on) => {
                    setConfirmNoSegments(false);
                    setSegmentIds(
                      on ? [...segmentIds, s.id] : segmentIds.filter((x) => x !== s.id),
                    );
                  }}
                />
              ))}
              {perSegmentKey && saved
                ? segmentList
                    .filter((s) => segmentIds.includes(s.id))
                    .map((s) => (
                      <SegmentTargetFields
                        key={s.id}
                        destinationId={saved.id}
                        segment={s}
                        schema={perSegmentItemSchema(schema, perSegmentKey)}
                        path={`config.${perSegmentKey}.${s.id}`}
                        value={perSegment[s.id] ?? {}}
                        errors={errors}
                        onChange={(value) => {
                          setPerSegment({ ...perSegment, [s.id]: value });
                        }}
                      />
                    ))
                : null}
            </fieldset>
            {type.syncModes.length > 1 ? (
              <RadioGroup
                path="syncMode"
                legend="Sync mode"
                value={syncMode}
                error={errorsUnder(errors, 'syncMode')}
                options={type.syncModes.map((mode) => ({
                  value: mode,
                  label: SYNC_MODE_TEXT[mode]?.label ?? mode,
                  hint: SYNC_MODE_TEXT[mode]?.hint,
                }))}
                onChange={setSyncMode}
              />
            ) : null}
            <CheckboxField
              path="enabled"
              label="Export with every refresh"
              hint="Turn off to keep the destination without exporting it; “Export now” still works."
              checked={enabled}
              onChange={setEnabled}
            />
            {syncMode === 'mirror' ? (
              <fieldset>
                <legend>Removal limit</legend>
                <p className="small muted">
                  A mirror export that would remove more than this from a list stops that segment
                  before writing, until someone approves. Leave a box empty to turn that limit off.
                </p>
                <TextField
                  path="removalLimit.percent"
                  label="Hold above this share of a list (%)"
                  inputMode="decimal"
                  value={limit.percent}
                  error={errorsUnder(errors, 'removalLimit.percent')}
                  onChange={(v) => {
                    setLimit({ ...limit, percent: v });
                  }}
                />
                <TextField
                  path="removalLimit.count"
                  label="Hold above this many removals"
                  inputMode="numeric"
                  value={limit.count}
                  error={errorsUnder(errors, 'removalLimit.count')}
                  onChange={(v) => {
                    setLimit({ ...limit, count: v });
                  }}
                />
                <TextField
                  path="removalLimit.minimum"
                  label="Always allow up to this many removals"
                  inputMode="numeric"
                  value={limit.minimum}
                  error={errorsUnder(errors, 'removalLimit.minimum')}
                  onChange={(v) => {
                    setLimit({ ...limit, minimum: v });
                  }}
                />
              </fieldset>
            ) : null}
            <TextField
              path="skippedAlertPercent"
              label="Alert when more than this share of members is skipped (%)"
              hint="Notification channels subscribed to “skipped.threshold” are told. Leave empty for no alert."
              inputMode="decimal"
              value={skippedAlert}
              error={errorsUnder(errors, 'skippedAlertPercent')}
              onChange={setSkippedAlert}
            />
          </section>
          {confirmNoSegments ? (
            <Notice kind="warn">
              <strong>No segment is chosen:</strong> nothing will be exported. Choose one or more
              segments above, or save without segments and choose them later.
            </Notice>
          ) : null}
          {saved ? <DryRunPanel destinationId={saved.id} prepare={saveChoices} /> : null}
          <div className="form-actions">
            <button
              type="button"
              onClick={() => {
                setStep(1);
              }}
            >
              Back
            </button>
            <Can least="editor">
              <button type="submit" className="primary" disabled={busy !== null}>
                {busy === 'save' ? 'Saving…' : confirmNoSegments ? 'Save without segments' : 'Save'}
              </button>
            </Can>
            <button type="button" disabled={busy !== null} onClick={() => void cancel()}>
              {busy === 'cancel' ? 'Canceling…' : 'Cancel'}
            </button>
          </div>
        </form>
      )}
    </>
  );
}

type PerSegment = Record<string, { name?: string; listId?: string }>;

function isPerSegment(schema: ConfigSchema): boolean {
  return isObjectSchema(schema) && schema['x-per-segment'] === true;
}

/** The configuration property holding settings per segment (`x-per-segment`), if the type has one. */
export function perSegmentKeyOf(schema: ObjectSchema): string | undefined {
  return Object.entries(schema.properties).find(([, child]) => isPerSegment(child))?.[0];
}

function perSegmentItemSchema(schema: ObjectSchema, key: string): ObjectSchema | undefined {
  const child = schema.properties[key];
  return isObjectSchema(child) && child.additionalProperties
    ? child.additionalProperties
    : undefined;
}

/**
 * Where one chosen segment goes in the target: a name for the object the export creates
 * (default: the segment's name), or an existing one picked from those the target has.
 */
function SegmentTargetFields({
  destinationId,
  segment,
  schema,
  path,
  value,
  errors,
  onChange,
}: {
  destinationId: string;
  segment: { id: string; name: string };
  schema: ObjectSchema | undefined;
  path: string;
  value: { name?: string; listId?: string };
  errors: FormErrors;
  onChange: (value: { name?: string; listId?: string }) => void;
}) {
  const targets = useQuery({
    queryKey: ['destinations', destinationId, 'targets'],
    queryFn: () =>
      get<{ id: string; name: string; members?: number }[]>(
        `/api/destinations/${encodeURIComponent(destinationId)}/targets`,
      ),
    staleTime: 30_000,
  });
  const nameSchema = schema?.properties.name;
  const listSchema = schema?.properties.listId;
  const options = (targets.data ?? []).map((t) => ({
    value: t.id,
    label: t.members === undefined ? t.name : `${t.name} (${t.members.toLocaleString()} members)`,
  }));
  if (value.listId && !options.some((o) => o.value === value.listId))
    options.unshift({ value: value.listId, label: value.listId });
  return (
    <fieldset className="plain segment-target">
      <legend>{segment.name}</legend>
      {listSchema ? (
        <SelectField
          path={`${path}.listId`}
          label={`${titleOf('listId', listSchema)} for ${segment.name}`}
          hint={
            targets.error
              ? `The existing lists could not be read: ${errorText(targets.error)}`
              : listSchema.description
          }
          value={value.listId ?? ''}
          placeholder="None: create a list"
          options={options}
          error={errorsUnder(errors, `${path}.listId`)}
          onChange={(listId) => {
            onChange({ ...value, listId: listId || undefined });
          }}
        />
      ) : null}
      {nameSchema && !value.listId ? (
        <TextField
          path={`${path}.name`}
          label={`${titleOf('name', nameSchema)} for ${segment.name}`}
          hint={nameSchema.description}
          placeholder={segment.name}
          value={value.name ?? ''}
          error={errorsUnder(errors, `${path}.name`)}
          onChange={(name) => {
            onChange({ ...value, name: name || undefined });
          }}
        />
      ) : null}
    </fieldset>
  );
}

interface LimitInputs {
  percent: string;
  count: string;
  minimum: string;
}

/** The removal limit as the boxes show it (the default for a new destination). */
function limitInputs(l: Destination['removalLimit'] | undefined): LimitInputs {
  const v = l ?? { percent: 10, count: 10000, minimum: 10 };
  return {
    percent: v.percent === null ? '' : String(v.percent),
    count: v.count === null ? '' : String(v.count),
    minimum: String(v.minimum),
  };
}

/** A number box as the API takes it: empty is null (off); text that is no number goes as is (400). */
function numberBody(text: string): number | string | null {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

/** The boxes as the API takes them: empty is off (null); text that is no number goes as is (400). */
function limitBody(l: LimitInputs) {
  const minimum = numberBody(l.minimum);
  return {
    percent: numberBody(l.percent),
    count: numberBody(l.count),
    ...(minimum === null ? {} : { minimum }),
  };
}

/** Dotted paths whose leaf values differ between two configuration values. */
function changedPaths(before: unknown, after: unknown, prefix: string): string[] {
  const isObject = (v: unknown): v is Values =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(before) || isObject(after)) {
    const a = isObject(before) ? before : {};
    const b = isObject(after) ? after : {};
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((key) =>
      changedPaths(a[key], b[key], `${prefix}.${key}`),
    );
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [prefix];
}

/** The errors without those of the given paths (and their children). */
function withoutPaths(errors: FormErrors, paths: string[]): FormErrors {
  if (paths.length === 0) return errors;
  const gone = (p: string) =>
    paths.some((c) => p === c || p.startsWith(`${c}.`) || p.startsWith(`${c}[`));
  return {
    fields: Object.fromEntries(Object.entries(errors.fields).filter(([p]) => !gone(p))),
    general: errors.general,
  };
}
