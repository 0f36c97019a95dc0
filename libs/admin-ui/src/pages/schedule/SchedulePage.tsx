import { PageHeader } from '../../components/common';

export function SchedulePage() {
  return <PageHeader title="SchedulePage" />;
}
