import { Link } from 'react-router';
import type { Destination } from '../../api/types';
import { DateTime, Num, StatusBadge } from '../../components/common';

/** Status and time of a destination's last run, linking to it. */
export function LastRunCell({ destination }: { destination: Destination }) {
  const last = destination.lastRun;
  if (!last) return <span className="muted">never run</span>;
  return (
    <Link to={`/runs/export/${last.id}`}>
      <StatusBadge status={last.status} /> <DateTime value={last.finishedAt ?? last.createdAt} />
    </Link>
  );
}

/** Members of the chosen segments the last run left in the target (neither skipped nor failed). */
export function MembersExportedCell({ destination }: { destination: Destination }) {
  const t = destination.lastRun?.totals;
  if (!t) return <span className="muted">—</span>;
  return (
    <span
      title={`added ${t.added}, removed ${t.removed}, skipped ${t.skipped}, failed ${t.failed}`}
    >
      <Num value={Math.max(0, t.members - t.skipped - t.failed)} />
    </span>
  );
}
