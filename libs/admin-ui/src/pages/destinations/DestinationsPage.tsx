import { PageHeader } from '../../components/common';

export function DestinationsPage() {
  return <PageHeader title="DestinationsPage" />;
}
