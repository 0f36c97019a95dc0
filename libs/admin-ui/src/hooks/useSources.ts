import { useQuery } from '@tanstack/react-query';
import { get } from '../api/client';
import type { Source } from '../api/types';

export function useSources() {
  return useQuery({ queryKey: ['sources'], queryFn: () => get<Source[]>('/api/sources') });
}

export function useSource(id: string) {
  return useQuery({
    queryKey: ['sources', id],
    queryFn: () => get<Source>(`/api/sources/${encodeURIComponent(id)}`),
  });
}
