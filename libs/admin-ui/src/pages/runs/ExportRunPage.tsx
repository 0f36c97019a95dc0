import { PageHeader } from '../../components/common';

export function ExportRunPage() {
  return <PageHeader title="ExportRunPage" />;
}
