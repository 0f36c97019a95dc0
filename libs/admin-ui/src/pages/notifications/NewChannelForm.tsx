import { useMutation } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { post } from '../../api/client';
import {
  NOTIFICATION_EVENTS,
  type NotificationChannel,
  type NotificationEvent,
} from '../../api/types';
import { Notice } from '../../components/common';
import { ErrorSummary } from '../../components/ErrorSummary';
import { CheckboxField, RadioGroup, TextField } from '../../components/form';
import { errorsUnder, NO_ERRORS, toFormErrors, type FormErrors } from '../../forms/errors';

const EVENT_TEXT: Record<NotificationEvent, string> = {
  'run.failed': 'An export failed',
  'run.partial': 'An export partly failed',
  'run.held': 'An export is held: its removals wait for approval',
  'run.recovered': 'An export works again after a failure',
  'skipped.threshold': "Skipped members pass the destination's limit",
};

/** Creates a webhook or e-mail channel; the server's 400s show beside their fields. */
export function NewChannelForm({ onCreated }: { onCreated: (c: NotificationChannel) => void }) {
  const [type, setType] = useState<'webhook' | 'email'>('webhook');
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [to, setTo] = useState('');
  const [events, setEvents] = useState<NotificationEvent[]>(['run.failed', 'run.partial']);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const create = useMutation({
    mutationFn: () =>
      post<NotificationChannel>('/api/notifications', {
        type,
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(type === 'webhook'
          ? { url: url.trim(), ...(secret ? { secret } : {}) }
          : {
              to: to
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean),
            }),
        events,
      }),
    onSuccess: (created) => {
      setErrors(NO_ERRORS);
      setName('');
      setUrl('');
      setSecret('');
      setTo('');
      onCreated(created);
    },
    onError: (error) => {
      setErrors(toFormErrors(error));
    },
  });
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <section className="panel" aria-label="New channel">
      <h2>New channel</h2>
      {create.isSuccess ? <Notice kind="ok">Channel "{create.data.name}" created.</Notice> : null}
      <ErrorSummary errors={errors} />
      <form onSubmit={submit} noValidate>
        <RadioGroup
          path="type"
          legend="Type"
          value={type}
          options={[
            { value: 'webhook', label: 'Webhook', hint: 'an HTTPS address receiving signed JSON' },
            { value: 'email', label: 'E-mail', hint: 'sent through the SMTP server (SMTP_URL)' },
          ]}
          error={errorsUnder(errors, 'type')}
          onChange={(v) => {
            setType(v === 'email' ? 'email' : 'webhook');
          }}
        />
        <TextField
          path="name"
          label="Name"
          hint="Shown in the list; optional."
          value={name}
          error={errorsUnder(errors, 'name')}
          onChange={setName}
        />
        {type === 'webhook' ? (
          <>
            <TextField
              path="url"
              label="Webhook URL"
              type="url"
              required
              placeholder="https://hooks.example.com/audience-sync"
              value={url}
              error={errorsUnder(errors, 'url')}
              onChange={setUrl}
            />
            <TextField
              path="secret"
              label="Signing secret"
              type="password"
              required
              hint="16 characters or more; the receiver checks the signature with it. Stored encrypted, never shown again."
              value={secret}
              error={errorsUnder(errors, 'secret')}
              onChange={setSecret}
            />
          </>
        ) : (
          <TextField
            path="to"
            label="E-mail addresses"
            type="email"
            required
            hint="Separate several with commas."
            value={to}
            error={errorsUnder(errors, 'to')}
            onChange={setTo}
          />
        )}
        <fieldset className="field" id="f-events">
          <legend>Events</legend>
          {errorsUnder(errors, 'events') ? (
            <div className="field-error" role="alert">
              {errorsUnder(errors, 'events')}
            </div>
          ) : null}
          {NOTIFICATION_EVENTS.map((e) => (
            <CheckboxField
              key={e}
              path={`event-${e}`}
              label={`${EVENT_TEXT[e]} (${e})`}
              checked={events.includes(e)}
              onChange={(on) => {
                setEvents((now) => (on ? [...now, e] : now.filter((x) => x !== e)));
              }}
            />
          ))}
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create channel'}
          </button>
        </div>
      </form>
    </section>
  );
}
