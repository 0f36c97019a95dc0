import { PageHeader } from '../../components/common';

export function SetupPage() {
  return <PageHeader title="SetupPage" />;
}
