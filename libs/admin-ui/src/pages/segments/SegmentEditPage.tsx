import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type SyntheticEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { del, get, post, put } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { FieldType, PreviewResult, Segment } from '../../api/types';
import { DateTime, ErrorBox, Loading, Notice, Num, PageHeader } from '../../components/common';
import { ErrorSummary } from '../../components/ErrorSummary';
import { CheckboxField, TextAreaField, TextField } from '../../components/form';
import { errorsUnder, NO_ERRORS, toFormErrors, type FormErrors } from '../../forms/errors';
import { useCustomerFields } from '../../hooks/useCustomerFields';
import { useDestinations } from '../../hooks/useDestinations';
import { CustomerTable } from './CustomerTable';
import { MembersPanel } from './MembersPanel';
import { RuleBuilder } from './RuleBuilder';
import { fromRule, hasBlankCondition, newGroup, toRule, type EditGroup } from './rule-model';
import { Can, EditableBy } from '../../auth/role';

/** The outcome of the last preview, for the rule text it was asked for. */
type Preview =
  | { state: 'idle' }
  | { state: 'done'; forRule: string; result: PreviewResult }
  | { state: 'invalid'; forRule: string }
  | { state: 'failed'; forRule: string; error: unknown };

/** Only the rule's own messages (`rule…`) come from the preview. */
function ruleOnly(errors: FormErrors): FormErrors {
  return {
    fields: Object.fromEntries(Object.entries(errors.fields).filter(([p]) => p.startsWith('rule'))),
    general: [],
  };
}

export function SegmentEditPage() {
  const { id } = useParams();
  const segment = useQuery({
    queryKey: ['segments', id],
    queryFn: () => get<Segment>(`/api/segments/${encodeURIComponent(id ?? '')}`),
    enabled: Boolean(id),
  });
  if (id && segment.isPending) return <Loading what="the segment" />;
  if (id && segment.error) return <ErrorBox error={segment.error} />;
  return <SegmentForm key={id ?? 'new'} segment={segment.data} />;
}

function SegmentForm({ segment }: { segment?: Segment }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const fields = useCustomerFields();
  const [name, setName] = useState(segment?.name ?? '');
  const [description, setDescription] = useState(segment?.description ?? '');
  const [active, setActive] = useState(segment?.active ?? true);
  const [root, setRoot] = useState<EditGroup>(() =>
    segment ? (fromRule(segment.rule) as EditGroup) : newGroup('all'),
  );
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [preview, setPreview] = useState<Preview>({ state: 'idle' });
  const location = useLocation();
  const [saved, setSaved] = useState<string | null>(
    (location.state as { notice?: string } | null)?.notice ?? null,
  );

  const types = useMemo(
    () => new Map<string, FieldType>((fields.data ?? []).map((f) => [f.name, f.type])),
    [fields.data],
  );
  const rule = useMemo(() => toRule(root, types), [root, types]);
  const ruleText = JSON.stringify(rule);
  const blank = hasBlankCondition(root);
  const destinations = useDestinations();
  const keyField = contactIdFieldOf(
    destinations.data,
    (fields.data ?? []).map((f) => f.name),
  );

  // Live preview: count the customers the rule matches, a moment after the last change.
  useEffect(() => {
    if (!fields.data || blank || destinations.isPending) return;
    let stale = false;
    const timer = setTimeout(() => {
      post<PreviewResult>('/api/segments/preview', {
        rule: JSON.parse(ruleText) as unknown,
        sampleSize: 5,
        ...(keyField ? { keyField } : {}),
      })
        .then((result) => {
          if (stale) return;
          setPreview({ state: 'done', forRule: ruleText, result });
          setErrors((current) => ({
            fields: Object.fromEntries(
              Object.entries(current.fields).filter(([p]) => !p.startsWith('rule')),
            ),
            general: current.general,
          }));
        })
        .catch((error: unknown) => {
          if (stale) return;
          if (error instanceof ApiError && error.status === 400) {
            setPreview({ state: 'invalid', forRule: ruleText });
            const found = ruleOnly(toFormErrors(error));
            setErrors((current) => ({
              fields: {
                ...Object.fromEntries(
                  Object.entries(current.fields).filter(([p]) => !p.startsWith('rule')),
                ),
                ...found.fields,
              },
              general: current.general,
            }));
          } else setPreview({ state: 'failed', forRule: ruleText, error });
        });
    }, 350);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [ruleText, fields.data, blank, keyField, destinations.isPending]);

  const counting = !blank && (preview.state === 'idle' || preview.forRule !== ruleText);

  const save = useMutation({
    mutationFn: (body: object) =>
      segment
        ? put<Segment>(`/api/segments/${encodeURIComponent(segment.id)}`, body)
        : post<Segment>('/api/segments', body),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: ['segments'] });
      setErrors(NO_ERRORS);
      setSaved(segment ? 'Segment saved.' : 'Segment created.');
      if (!segment) {
        void navigate(`/segments/${result.id}`, {
          replace: true,
          state: {
            notice: result.membership.evaluatedAt
              ? `Segment created with ${result.membership.size.toLocaleString()} members. It is evaluated again at every refresh, or now with “Evaluate now”.`
              : 'Segment created. It is evaluated at every refresh, or now with “Evaluate now”.',
          },
        });
      }
    },
    onError: (error) => {
      setSaved(null);
      setErrors(toFormErrors(error));
    },
  });

  const evaluate = useMutation({
    mutationFn: () =>
      post<Segment>(`/api/segments/${encodeURIComponent(segment?.id ?? '')}/evaluate`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['segments'] });
    },
  });

  const remove = useMutation({
    mutationFn: () => del(`/api/segments/${encodeURIComponent(segment?.id ?? '')}`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['segments'] });
      void navigate('/segments');
    },
  });

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setErrors({ fields: { name: 'Enter a name for the segment.' }, general: [] });
      return;
    }
    save.mutate({
      name: name.trim(),
      description: description.trim() || null,
      active,
      rule,
    });
  };

  return (
    <>
      <PageHeader
        title={segment ? `Segment ${segment.name}` : 'New segment'}
        actions={
          segment ? (
            <>
              <Can least="operator">
                <button
                  type="button"
                  disabled={evaluate.isPending || !segment.active}
                  onClick={() => {
                    evaluate.mutate();
                  }}
                >
                  {evaluate.isPending ? 'Evaluating…' : 'Evaluate now'}
                </button>
              </Can>
              <Can least="editor">
                <button
                  type="button"
                  className="danger"
                  onClick={() => {
                    if (window.confirm(`Delete the segment "${segment.name}"?`)) remove.mutate();
                  }}
                >
                  Delete
                </button>
              </Can>
            </>
          ) : null
        }
      >
        <Link to="/segments">All segments</Link>
      </PageHeader>
      {saved ? <Notice kind="ok">{saved}</Notice> : null}
      {evaluate.error ? <ErrorBox title="Could not evaluate" error={evaluate.error} /> : null}
      {remove.error ? <ErrorBox title="Could not delete" error={remove.error} /> : null}
      {segment ? (
        <section className="panel" aria-label="Membership">
          <h2>Membership</h2>
          <dl className="facts">
            <dt>Members</dt>
            <dd data-testid="segment-size">
              <Num value={segment.membership.size} />
            </dd>
            <dt>Last evaluated</dt>
            <dd>
              <DateTime value={segment.membership.evaluatedAt} />
              {segment.membership.stale ? (
                <span className="muted">
                  {' '}
                  (the rule changed since; evaluated at the next refresh)
                </span>
              ) : null}
            </dd>
            <dt>Changes then</dt>
            <dd>
              +<Num value={segment.membership.added} /> / −
              <Num value={segment.membership.removed} />
            </dd>
            {segment.membership.lastError ? (
              <>
                <dt>Last error</dt>
                <dd className="field-error">{segment.membership.lastError}</dd>
              </>
            ) : null}
          </dl>
        </section>
      ) : null}
      <ErrorSummary errors={save.isError ? errors : NO_ERRORS} />
      <form onSubmit={submit} noValidate>
        <EditableBy least="editor">
          <section className="panel">
            <TextField
              path="name"
              label="Name"
              required
              value={name}
              error={errorsUnder(errors, 'name')}
              onChange={setName}
            />
            <TextAreaField
              path="description"
              label="Description"
              rows={2}
              value={description}
              error={errorsUnder(errors, 'description')}
              onChange={setDescription}
            />
            <CheckboxField
              path="active"
              label="Active"
              hint="Inactive segments are neither evaluated nor exported."
              checked={active}
              onChange={setActive}
            />
          </section>
          <div className="grid-rule">
            <section className="panel">
              <h2>Rule</h2>
              {fields.isPending ? <Loading what="customer fields" /> : null}
              {fields.error ? <ErrorBox error={fields.error} /> : null}
              {fields.data ? (
                <RuleBuilder root={root} onChange={setRoot} fields={fields.data} errors={errors} />
              ) : null}
            </section>
            <section className="panel" aria-label="Preview">
              <h2>Preview</h2>
              <div aria-live="polite" role="status">
                {blank ? (
                  <p className="muted">Fill in every condition to count the matching customers.</p>
                ) : null}
                {counting ? <p className="muted">Counting…</p> : null}
                {preview.state === 'invalid' && !blank ? (
                  <p className="field-error">The rule has problems: see the messages beside it.</p>
                ) : null}
                {preview.state === 'failed' ? <ErrorBox error={preview.error} /> : null}
                {preview.state === 'done' && !blank ? (
                  <p>
                    <span className="preview-count" data-testid="preview-count">
                      <Num value={preview.result.count} />
                    </span>{' '}
                    customers match now.
                  </p>
                ) : null}
                {preview.state === 'done' && !blank && preview.result.withKey ? (
                  <KeyedCount count={preview.result.count} withKey={preview.result.withKey} />
                ) : null}
              </div>
              {preview.state === 'done' && preview.result.sample.length > 0 ? (
                <CustomerTable
                  rows={preview.result.sample}
                  caption="A few of them"
                  maxColumns={2}
                />
              ) : null}
            </section>
          </div>
          <div className="form-actions">
            <Can least="editor">
              <button type="submit" className="primary" disabled={save.isPending}>
                {save.isPending ? 'Saving…' : segment ? 'Save segment' : 'Create segment'}
              </button>
            </Can>
            <Link to="/segments">Cancel</Link>
          </div>
        </EditableBy>
      </form>
      {segment ? <MembersPanel segmentId={segment.id} /> : null}
    </>
  );
}

/**
 * The customer field holding the Sales contact id: the one a destination keys its members on
 * (the Dynamics destination's "Customer field for the Dynamics 365 contact id"), else a field
 * named like `contactid`.
 */
function contactIdFieldOf(
  destinations: { contactIdField: string | null }[] | undefined,
  fieldNames: string[],
): string | undefined {
  const configured = (destinations ?? [])
    .map((d) => d.contactIdField)
    .find((f): f is string => Boolean(f) && fieldNames.includes(f as string));
  return configured ?? fieldNames.find((n) => /^(sales_?)?contact_?id$/i.test(n));
}

/** How many matches a Sales export could take (they have a contact id), and how many it skips. */
function KeyedCount({
  count,
  withKey,
}: {
  count: number;
  withKey: { field: string; count: number };
}) {
  const missing = count - withKey.count;
  return (
    <p data-testid="preview-with-key" className={missing > 0 ? 'notice notice-warn' : 'muted'}>
      <Num value={withKey.count} /> of them have a Sales contact id (field{' '}
      <code>{withKey.field}</code>)
      {missing > 0 ? (
        <>
          ; <Num value={missing} /> without one would be skipped by a Sales export.
        </>
      ) : (
        '.'
      )}
    </p>
  );
}
