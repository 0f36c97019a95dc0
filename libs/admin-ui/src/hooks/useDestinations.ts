import type { DestinationTypeDescription } from '@audience-sync/exporter-contract';
import { useQuery } from '@tanstack/react-query';
import { get } from '../api/client';
import type { Destination } from '../api/types';

export function useDestinationTypes() {
  return useQuery({
    queryKey: ['destination-types'],
    queryFn: () => get<DestinationTypeDescription[]>('/api/destination-types'),
    staleTime: 60_000,
  });
}

export function useDestinations() {
  return useQuery({
    queryKey: ['destinations'],
    queryFn: () => get<Destination[]>('/api/destinations'),
  });
}

/** One destination; polled every 1.5 s while `pollWhile` holds for the last answer. */
export function useDestination(
  id: string | undefined,
  options: { pollWhile?: (destination: Destination) => boolean } = {},
) {
  const { pollWhile } = options;
  return useQuery({
    queryKey: ['destinations', id],
    queryFn: () => get<Destination>(`/api/destinations/${encodeURIComponent(id ?? '')}`),
    enabled: Boolean(id),
    refetchInterval: (query) =>
      pollWhile && query.state.data && pollWhile(query.state.data) ? 1500 : false,
  });
}

export const signInPending = (d: Destination) => d.signIn?.status === 'pending';

/** The secret paths a destination has stored (`{ "auth.clientSecret": "set" }`). */
export function secretsSetOf(destination: Destination | undefined): Set<string> {
  return new Set(
    Object.entries(destination?.secrets ?? {})
      .filter(([, v]) => v === 'set')
      .map(([k]) => k),
  );
}
