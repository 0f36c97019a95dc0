import { useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { del } from '../../api/client';
import type { AppRegistration } from '../../api/types';
import { Can, EditableBy } from '../../auth/role';
import { ErrorBox, Loading, Notice, PageHeader } from '../../components/common';
import { ErrorSummary } from '../../components/ErrorSummary';
import { TextField } from '../../components/form';
import { errorsUnder, NO_ERRORS, toFormErrors, type FormErrors } from '../../forms/errors';
import { saveAppRegistration, useAppRegistration } from '../../hooks/useAppRegistration';

/** Settings: the installation's app registration, which makes "Sign in" one click. */
export function SettingsPage() {
  const registration = useAppRegistration();
  if (registration.isPending) return <Loading what="the settings" />;
  if (registration.error) return <ErrorBox error={registration.error} />;
  return <AppRegistrationForm initial={registration.data} />;
}

function AppRegistrationForm({ initial }: { initial: AppRegistration }) {
  const queryClient = useQueryClient();
  const [clientId, setClientId] = useState(initial.clientId ?? '');
  const [tenantId, setTenantId] = useState(initial.tenantId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [authorityHost, setAuthorityHost] = useState(initial.authorityHost ?? '');
  const [current, setCurrent] = useState(initial);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const apply = (next: AppRegistration, message: string) => {
    setCurrent(next);
    setClientSecret('');
    setErrors(NO_ERRORS);
    setNotice(message);
    queryClient.setQueryData(['app-registration'], next);
  };

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setNotice(null);
    if (!clientId.trim()) {
      setErrors({ fields: { clientId: 'Enter the application (client) id.' }, general: [] });
      return;
    }
    setBusy(true);
    try {
      const next = await saveAppRegistration({
        clientId: clientId.trim(),
        tenantId: tenantId.trim() || null,
        authorityHost: authorityHost.trim() || null,
        ...(clientSecret ? { clientSecret } : {}),
      });
      apply(
        next,
        'App registration saved. Destinations and sources without ids of their own use it.',
      );
    } catch (error) {
      setErrors(toFormErrors(error));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setNotice(null);
    setBusy(true);
    try {
      await del('/api/settings/app-registration');
      setClientId('');
      setTenantId('');
      setAuthorityHost('');
      apply(
        {
          configured: false,
          clientId: null,
          tenantId: null,
          authorityHost: null,
          clientSecretSet: false,
        },
        'App registration removed.',
      );
    } catch (error) {
      setErrors(toFormErrors(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title="Settings">
        The app registration of this installation: enter it once, and every destination and
        Dataverse source that has no ids of its own signs in with it, so “Sign in” is one click for
        everyone. Only an admin can change it.
      </PageHeader>
      {notice ? <Notice kind="ok">{notice}</Notice> : null}
      <ErrorSummary errors={errors} />
      <form onSubmit={(event) => void submit(event)} noValidate className="panel">
        <h2>App registration</h2>
        <p className="muted">
          {current.configured
            ? 'Set: destinations and sources without ids of their own use it.'
            : 'Not set: each destination and source needs its own ids.'}
        </p>
        <EditableBy least="admin">
          <TextField
            path="clientId"
            label="Application (client) id"
            hint="From the app registration’s Overview in Entra ID. For “Sign in” it must allow public client flows and the Dynamics CRM user_impersonation permission."
            required
            value={clientId}
            placeholder="00000000-0000-0000-0000-000000000000"
            error={errorsUnder(errors, 'clientId')}
            onChange={setClientId}
          />
          <TextField
            path="tenantId"
            label="Tenant id (optional)"
            hint="Leave empty to let people of any organization sign in: the tenant is then the one of the account that signs in. Required for application sign-ins (client secret)."
            value={tenantId}
            error={errorsUnder(errors, 'tenantId')}
            onChange={setTenantId}
          />
          <TextField
            path="clientSecret"
            label="Client secret (optional)"
            type="password"
            hint={
              current.clientSecretSet
                ? 'A secret is stored encrypted; leave empty to keep it.'
                : 'Only for application sign-ins (no person signs in). Stored encrypted; never shown again once saved.'
            }
            value={clientSecret}
            autoComplete="new-password"
            error={errorsUnder(errors, 'clientSecret')}
            onChange={setClientSecret}
          />
          <TextField
            path="authorityHost"
            label="Sign-in host (optional)"
            hint="Leave empty when your organizations sign in at Microsoft. Required for any other sign-in host (your own identity provider or a test server): https://host[:port]."
            value={authorityHost}
            placeholder="https://login.microsoftonline.com"
            error={errorsUnder(errors, 'authorityHost')}
            onChange={setAuthorityHost}
          />
          <Can least="admin">
            <div className="form-actions">
              <button type="submit" className="primary" disabled={busy}>
                {busy ? 'Saving…' : 'Save app registration'}
              </button>
              {current.configured ? (
                <button type="button" disabled={busy} onClick={() => void remove()}>
                  Remove
                </button>
              ) : null}
            </div>
          </Can>
        </EditableBy>
      </form>
    </>
  );
}
