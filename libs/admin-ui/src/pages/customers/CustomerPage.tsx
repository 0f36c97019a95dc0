import { PageHeader } from '../../components/common';

export function CustomerPage() {
  return <PageHeader title="CustomerPage" />;
}
