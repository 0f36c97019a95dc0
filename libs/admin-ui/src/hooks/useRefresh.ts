import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { post } from '../api/client';
import { ApiError } from '../api/errors';
import type { RefreshRun } from '../api/types';

export const ACTIVE = new Set(['queued', 'running']);

/**
 * "Refresh now": starts a refresh and opens its page. When one is already running (409), opens
 * that one instead.
 */
export function useRefreshNow() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        return (await post<RefreshRun>('/api/refresh')).id;
      } catch (error) {
        if (
          error instanceof ApiError &&
          error.status === 409 &&
          typeof error.body.runningRunId === 'string'
        ) {
          return error.body.runningRunId;
        }
        throw error;
      }
    },
    onSuccess: async (id) => {
      await queryClient.invalidateQueries({ queryKey: ['refresh-runs'] });
      void navigate(`/runs/refresh/${id}`);
    },
  });
}
