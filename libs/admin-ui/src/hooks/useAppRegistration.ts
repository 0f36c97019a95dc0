import { useQuery } from '@tanstack/react-query';
import { get, put } from '../api/client';
import type { AppRegistration } from '../api/types';

/** The installation's app registration (ids only; the secret never comes back). */
export function useAppRegistration() {
  return useQuery({
    queryKey: ['app-registration'],
    queryFn: () => get<AppRegistration>('/api/settings/app-registration'),
  });
}

export interface AppRegistrationInput {
  clientId: string;
  tenantId?: string | null;
  clientSecret?: string | null;
  authorityHost?: string | null;
}

export function saveAppRegistration(input: AppRegistrationInput): Promise<AppRegistration> {
  return put<AppRegistration>('/api/settings/app-registration', input);
}
