import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { getCsrfToken, getToken, onSessionExpired, whoAmI } from './session';

/**
 * Sends visitors who are neither holding a token nor signed in as a person to the sign-in page,
 * and back there when the server refuses the token or the session ends.
 */
export function RequireToken({ children }: { children: ReactNode }) {
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // Without a token the session cookie may still sign this tab in: the server knows.
  const [signedIn, setSignedIn] = useState<boolean | null>(
    getToken() || getCsrfToken() ? true : null,
  );
  useEffect(() => {
    if (signedIn !== null) return;
    let live = true;
    void whoAmI()
      .catch(() => null)
      .then((me) => {
        if (live) setSignedIn(me !== null);
      });
    return () => {
      live = false;
    };
  }, [signedIn]);
  useEffect(
    () =>
      onSessionExpired((reason, person) => {
        queryClient.clear();
        void navigate('/sign-in', {
          replace: true,
          state: {
            from: location.pathname + location.search,
            reason: person
              ? reason.replace(/\.?$/, '.')
              : `The server refused the token (${reason}). Sign in again.`,
          },
        });
      }),
    [navigate, location, queryClient],
  );
  if (signedIn === null) return <p className="muted">Loading…</p>;
  if (!signedIn) {
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  }
  return <>{children}</>;
}
