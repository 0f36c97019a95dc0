import { PageHeader } from '../../components/common';

export function DestinationPage() {
  return <PageHeader title="DestinationPage" />;
}
