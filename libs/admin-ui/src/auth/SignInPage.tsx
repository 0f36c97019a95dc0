import { useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { ErrorSummary } from '../components/ErrorSummary';
import { TextField } from '../components/form';
import { NO_ERRORS, type FormErrors } from '../forms/errors';
import { setToken } from './session';

interface SignInState {
  from?: string;
  reason?: string;
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
        <p>Sign in with an API token. It is kept for this browser tab only.</p>
        {state.reason ? (
          <div className="notice notice-warn" role="status">
            {state.reason}
          </div>
        ) : null}
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
