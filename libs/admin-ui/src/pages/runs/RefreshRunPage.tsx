import { PageHeader } from '../../components/common';

export function RefreshRunPage() {
  return <PageHeader title="RefreshRunPage" />;
}
