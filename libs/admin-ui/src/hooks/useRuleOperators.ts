import { useQuery } from '@tanstack/react-query';
import { get } from '../api/client';
import type { RuleOperators } from '../api/types';

/** The server's operator table of segment conditions (per field type; which compare text). */
export function useRuleOperators() {
  return useQuery({
    queryKey: ['segment-operators'],
    queryFn: () => get<RuleOperators>('/api/segment-operators'),
    staleTime: Infinity,
  });
}
