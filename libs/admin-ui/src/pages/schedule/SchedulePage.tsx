import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import { get, put } from '../../api/client';
import type { Schedule } from '../../api/types';
import {
  DateTime,
  ErrorBox,
  Loading,
  Notice,
  PageHeader,
  StatusBadge,
} from '../../components/common';
import { ErrorSummary } from '../../components/ErrorSummary';
import { CheckboxField, TextField } from '../../components/form';
import { errorsUnder, NO_ERRORS, toFormErrors, type FormErrors } from '../../forms/errors';
import { useRefreshNow } from '../../hooks/useRefresh';
import { Can, EditableBy } from '../../auth/role';

const PRESETS = [
  { cron: '0 3 * * *', label: 'Every night at 03:00' },
  { cron: '0 */6 * * *', label: 'Every 6 hours' },
  { cron: '0 * * * *', label: 'Every hour' },
  { cron: '0 6 * * 1', label: 'Mondays at 06:00' },
];

export function SchedulePage() {
  const schedule = useQuery({
    queryKey: ['schedule'],
    queryFn: () => get<Schedule>('/api/schedule'),
  });
  if (schedule.isPending) return <Loading what="the schedule" />;
  if (schedule.error) return <ErrorBox error={schedule.error} />;
  return <ScheduleForm initial={schedule.data} />;
}

function ScheduleForm({ initial }: { initial: Schedule }) {
  const queryClient = useQueryClient();
  const refreshNow = useRefreshNow();
  const [enabled, setEnabled] = useState(initial.enabled);
  const [cron, setCron] = useState(initial.cron);
  const [timeZone, setTimeZone] = useState(initial.timeZone);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const save = useMutation({
    mutationFn: () =>
      put<Schedule>('/api/schedule', { enabled, cron: cron.trim(), timeZone: timeZone.trim() }),
    onSuccess: (data) => {
      setErrors(NO_ERRORS);
      queryClient.setQueryData(['schedule'], data);
    },
    onError: (error) => {
      setErrors(toFormErrors(error));
    },
  });
  const current = save.data ?? initial;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const zones =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return (
    <>
      <PageHeader
        title="Schedule"
        actions={
          <Can least="operator">
            <button
              type="button"
              className="primary"
              disabled={refreshNow.isPending}
              onClick={() => {
                refreshNow.mutate();
              }}
            >
              {refreshNow.isPending ? 'Starting…' : 'Refresh now'}
            </button>
          </Can>
        }
      >
        A scheduled refresh runs the whole pipeline (ingest → unify → segments → export to every
        enabled destination). It is off until you turn it on. A refresh that comes due while one is
        running is recorded as skipped.
      </PageHeader>
      {refreshNow.error ? (
        <ErrorBox title="Could not start a refresh" error={refreshNow.error} />
      ) : null}
      <section className="panel" aria-label="Current schedule">
        <dl className="facts">
          <dt>Scheduled refresh</dt>
          <dd>{current.enabled ? 'on' : 'off'}</dd>
          <dt>Next run</dt>
          <dd data-testid="next-run">
            {current.nextRunAt ? (
              <DateTime value={current.nextRunAt} />
            ) : (
              <span className="muted">—</span>
            )}
          </dd>
          <dt>Last scheduled run</dt>
          <dd>
            {current.lastScheduledRun ? (
              <Link to={`/runs/refresh/${current.lastScheduledRun.id}`}>
                <StatusBadge status={current.lastScheduledRun.status} />{' '}
                <DateTime value={current.lastScheduledRun.createdAt} />
              </Link>
            ) : (
              <span className="muted">none yet</span>
            )}
          </dd>
        </dl>
      </section>
      {save.isSuccess ? <Notice kind="ok">Schedule saved and applied.</Notice> : null}
      <ErrorSummary errors={errors} />
      <form onSubmit={submit} noValidate className="panel">
        <EditableBy least="editor">
          <CheckboxField
            path="enabled"
            label="Refresh on a schedule"
            checked={enabled}
            onChange={setEnabled}
          />
          <TextField
            path="cron"
            label="When (cron expression)"
            hint={
              <>
                Five fields: minute hour day-of-month month day-of-week (or six, with seconds
                first). Examples:{' '}
                {PRESETS.map((p, i) => (
                  <span key={p.cron}>
                    {i > 0 ? ', ' : ''}
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => {
                        setCron(p.cron);
                      }}
                    >
                      {p.label}
                    </button>{' '}
                    (<code>{p.cron}</code>)
                  </span>
                ))}
                .
              </>
            }
            value={cron}
            required
            error={errorsUnder(errors, 'cron')}
            onChange={setCron}
          />
          <div className="field">
            <TextField
              path="timeZone"
              label="Time zone"
              hint="The IANA name the times above are read in, e.g. Europe/Berlin or UTC."
              value={timeZone}
              list="time-zones"
              required
              error={errorsUnder(errors, 'timeZone')}
              onChange={setTimeZone}
            />
            <datalist id="time-zones">
              {zones.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </div>
          <div className="form-actions">
            <Can least="editor">
              <button type="submit" className="primary" disabled={save.isPending}>
                {save.isPending ? 'Saving…' : 'Save schedule'}
              </button>
            </Can>
          </div>
        </EditableBy>
      </form>
    </>
  );
}
