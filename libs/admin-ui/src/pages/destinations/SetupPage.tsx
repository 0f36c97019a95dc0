import type { DestinationTypeDescription, ObjectSchema } from '@audience-sync/exporter-contract';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type SyntheticEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { post, put } from '../../api/client';
import { errorText } from '../../api/errors';
import type { ConnectionTestResult, Destination, SignInChallenge } from '../../api/types';
import { ErrorBox, Loading, PageHeader } from '../../components/common';
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
  visibleProperties,
  type HidePredicate,
  type Values,
} from '../../schema-form/schema';
import { useSegments } from '../segments/SegmentsPage';
import { ConnectionTestOutcome } from './ConnectionTest';
import { SignInPanel } from './SignInPanel';

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
  const [busy, setBusy] = useState<'next' | 'save' | 'sign-in' | 'test' | null>(null);
  const [signInError, setSignInError] = useState<string | undefined>();
  const [testResult, setTestResult] = useState<ConnectionTestResult | null>(null);
  const [testError, setTestError] = useState<unknown>(null);

  // While a sign-in waits for the person, the destination is polled for its outcome.
  const polled = useDestination(saved?.id, { pollWhile: signInPending });
  const current = polled.data ?? saved;
  const signIn = current?.signIn ?? null;

  const secretsSet = useMemo(() => secretsSetOf(current), [current]);
  const hide: HidePredicate = (_path, s) => isServerManaged(s);
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

  /** Saves the connection settings (a disabled draft the first time). */
  const saveConnection = async (): Promise<Destination | null> => {
    const local = checkStep1();
    if (Object.keys(local.fields).length > 0) {
      setErrors(local);
      return null;
    }
    const body = {
      displayName: displayName.trim(),
      config: pruneToSchema(schema, config, '', (p, s, r) => hideRelative(`config.${p}`, s, r)),
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

  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (!saved) return;
    setBusy('save');
    try {
      const result = await put<Destination>(`/api/destinations/${encodeURIComponent(saved.id)}`, {
        segmentIds,
        syncMode,
        enabled,
      });
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
        (p) => p.startsWith('config') || p === 'displayName' || p === 'contactIdField',
      );
      if (step1) setStep(1);
    } finally {
      setBusy(null);
    }
  };

  /** The sign-in panel goes under the object that holds the value sign-in sets. */
  const renderAfter = (path: string, value: Values, objectSchema: ObjectSchema) => {
    if (!type.signIn) return null;
    const managed = visibleProperties(objectSchema, value).some((e) =>
      hide(`${path}.${e.name}`, e.schema, e.required),
    );
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
            <button type="submit" className="primary" disabled={busy !== null}>
              {busy === 'next' ? 'Checking…' : 'Next'}
            </button>
            <button type="button" disabled={busy !== null} onClick={() => void testConnection()}>
              {busy === 'test' ? 'Testing…' : 'Test connection'}
            </button>
            <Link to={saved ? `/destinations/${saved.id}` : '/destinations'}>Cancel</Link>
            <span className="muted small">
              {saved
                ? 'Next saves these settings.'
                : 'Next checks and saves these settings as a disabled draft; nothing is exported until you save the destination with its segments.'}
            </span>
          </div>
        </form>
      ) : (
        <form onSubmit={(event) => void save(event)} noValidate aria-label="Segments">
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
                    setSegmentIds(
                      on ? [...segmentIds, s.id] : segmentIds.filter((x) => x !== s.id),
                    );
                  }}
                />
              ))}
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
          </section>
          <div className="form-actions">
            <button
              type="button"
              onClick={() => {
                setStep(1);
              }}
            >
              Back
            </button>
            <button type="submit" className="primary" disabled={busy !== null}>
              {busy === 'save' ? 'Saving…' : 'Save'}
            </button>
          </div>
        </form>
      )}
    </>
  );
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
