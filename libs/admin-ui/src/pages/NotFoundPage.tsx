import { Link } from 'react-router';
import { PageHeader } from '../components/common';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is no page at this address. Go to the <Link to="/">overview</Link>.
      </p>
    </>
  );
}
