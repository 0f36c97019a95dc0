import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type SyntheticEvent } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { ErrorSummary } from '../components/ErrorSummary';
import { TextField } from '../components/form';
import { NO_ERRORS, type FormErrors } from '../forms/errors';
import { setToken } from './session';

interface SignInState {
  from?: string;
  reason?: string;
}

/** What the server sends back to `/sign-in?error=…` when a sign-in with Microsoft ended without a session. */
const SIGN_IN_ERRORS: Record<string, string> = {
  'no-role':
    'You signed in with Microsoft, but your account has no Audience Sync role. Ask an administrator to give you one of the app roles or groups Audience Sync maps to a role.',
  canceled: 'The sign-in with Microsoft was canceled.',
  failed: 'The sign-in with Microsoft did not complete. Try again.',
};

/** Whether people can sign in with Microsoft here (GET /api/auth/config). */
function usePeopleSignIn(): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    fetch('/api/auth/config', { headers: { Accept: 'application/json' } })
      .then((r) =>
        r.ok ? (r.json() as Promise<{ peopleSignIn: boolean; signInUrl?: string }>) : null,
      )
      .then((config) => {
        if (live && config?.peopleSignIn && config.signInUrl) setUrl(config.signInUrl);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return url;
}

/** Checks a token against the API (GET /api/info) before keeping it for this browser tab. */
async function checkToken(token: string): Promise<FormErrors> {
  let response: Response;
  try {
    response = await fetch('/api/info', {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
    });
  } catch {
    return {
      fields: {},
      general: ['The server could not be reached. Check that Audience Sync is running.'],
    };
  }
  if (response.ok) return NO_ERRORS;
  if (response.status === 401) {
    return {
      fields: {
        token:
          'This token was not accepted. Use a named API token, the admin token printed when Audience Sync first started ' +
          '(also saved in the data directory as admin-token) or the value of API_TOKEN.',
      },
      general: [],
    };
  }
  return { fields: {}, general: [`The server answered ${response.status}; try again.`] };
}

export function SignInPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const location = useLocation();
  const state = (location.state ?? {}) as SignInState;
  const [token, setTokenValue] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [search] = useSearchParams();
  const signInError = SIGN_IN_ERRORS[search.get('error') ?? ''];
  const microsoftUrl = usePeopleSignIn();

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const value = token.trim();
    if (!value) {
      setErrors({ fields: { token: 'Enter the API token.' }, general: [] });
      return;
    }
    setBusy(true);
    const result = await checkToken(value);
    setBusy(false);
    setErrors(result);
    if (result === NO_ERRORS) {
      setToken(value);
      // What the previous token could see, and its role, must not show under this one.
      queryClient.clear();
      void navigate(state.from && state.from !== '/sign-in' ? state.from : '/', { replace: true });
    }
  };

  return (
    <main className="sign-in" id="main">
      <div className="sign-in-card">
        <h1>Audience Sync</h1>
        {state.reason ? (
          <div className="notice notice-warn" role="status">
            {state.reason}
          </div>
        ) : null}
        {signInError ? (
          <div className="error-box" role="alert">
            {signInError}
          </div>
        ) : null}
        {microsoftUrl ? (
          <div className="sign-in-people">
            <a className="button primary" href={microsoftUrl}>
              Sign in with Microsoft
            </a>
            <p className="muted">Or, for set-up and automation:</p>
          </div>
        ) : null}
        <p>Sign in with an API token. It is kept for this browser tab only.</p>
        <ErrorSummary errors={errors} />
        <form onSubmit={(event) => void submit(event)} noValidate>
          <TextField
            path="token"
            label="API token"
            type="password"
            value={token}
            onChange={setTokenValue}
            error={errors.fields.token}
            autoComplete="current-password"
            required
          />
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Checking…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
