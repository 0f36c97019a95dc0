import type { SignInState } from '../../api/types';
import { DateTime } from '../../components/common';
import { Can } from '../../auth/role';

interface Props {
  label: string;
  description: string;
  state: SignInState | null | undefined;
  busy: boolean;
  error?: string;
  onSignIn: () => void;
}

/**
 * The device-code sign-in of a destination: a button, then the code and the link to enter it at,
 * waiting (the page polls the destination) until the person has signed in, or why it failed.
 */
export function SignInPanel({ label, description, state, busy, error, onSignIn }: Props) {
  return (
    <section className="panel sign-in-panel" aria-label={label} id="f-signIn">
      <h2>{label}</h2>
      <p className="muted">{description}</p>
      <div aria-live="polite">
        {state?.status === 'pending' && state.userCode ? (
          <div className="notice" role="status">
            <p>
              Open{' '}
              <a href={state.verificationUri} target="_blank" rel="noopener noreferrer">
                {state.verificationUri}
              </a>{' '}
              and enter the code
            </p>
            <p className="device-code" data-testid="device-code">
              {state.userCode}
            </p>
            <p>
              Waiting for you to sign in…
              {state.expiresAt ? (
                <>
                  {' '}
                  The code expires at <DateTime value={state.expiresAt} />.
                </>
              ) : null}
            </p>
          </div>
        ) : null}
        {state?.status === 'signed-in' ? (
          <div className="notice notice-ok" role="status" data-testid="signed-in">
            Signed in as <strong>{state.user?.username ?? 'an account'}</strong>
            {state.user?.name ? ` (${state.user.name})` : ''}
            {state.signedInAt ? (
              <>
                {' '}
                since <DateTime value={state.signedInAt} />
              </>
            ) : null}
            .
          </div>
        ) : null}
        {state?.status === 'failed' || state?.status === 'expired' ? (
          <div className="error-box" role="alert">
            <strong>{state.status === 'expired' ? 'The code expired:' : 'Sign-in failed:'}</strong>{' '}
            {state.message ?? 'no reason given'}
          </div>
        ) : null}
        {error ? (
          <div className="error-box" role="alert">
            {error}
          </div>
        ) : null}
      </div>
      <Can least="editor">
        <button type="button" onClick={onSignIn} disabled={busy || state?.status === 'pending'}>
          {busy ? 'Starting…' : state && state.status !== 'pending' ? `${label} again` : label}
        </button>
      </Can>
      {!state ? <span className="muted small"> Saves the settings above first.</span> : null}
    </section>
  );
}
