import { PageHeader } from '../../components/common';

export function RunsPage() {
  return <PageHeader title="RunsPage" />;
}
