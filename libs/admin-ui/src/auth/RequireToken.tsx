import { useQueryClient } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { getToken, onSessionExpired } from './session';

/** Sends visitors without a token to the sign-in page, and back there when the token is refused. */
export function RequireToken({ children }: { children: ReactNode }) {
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  useEffect(
    () =>
      onSessionExpired((reason) => {
        queryClient.clear();
        void navigate('/sign-in', {
          replace: true,
          state: {
            from: location.pathname + location.search,
            reason: `The server refused the token (${reason}). Sign in again.`,
          },
        });
      }),
    [navigate, location, queryClient],
  );
  if (!getToken()) {
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  }
  return <>{children}</>;
}
