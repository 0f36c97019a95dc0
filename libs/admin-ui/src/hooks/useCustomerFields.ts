import { useQuery } from '@tanstack/react-query';
import { get } from '../api/client';
import type { CustomerField } from '../api/types';

/** The unified customer's fields with their types (`customerId` first). */
export function useCustomerFields() {
  return useQuery({
    queryKey: ['customer-fields'],
    queryFn: () => get<CustomerField[]>('/api/customers/fields'),
  });
}
