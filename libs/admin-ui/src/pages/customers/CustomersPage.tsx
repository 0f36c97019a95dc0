import { PageHeader } from '../../components/common';

export function CustomersPage() {
  return <PageHeader title="CustomersPage" />;
}
