import { PageHeader } from '../components/common';

export function OverviewPage() {
  return <PageHeader title="OverviewPage" />;
}
