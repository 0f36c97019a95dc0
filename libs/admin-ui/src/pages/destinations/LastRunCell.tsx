import { Link } from 'react-router';
import type { Destination } from '../../api/types';
import { DateTime, Num, StatusBadge } from '../../components/common';
import { runTotals, useExportRun } from '../../hooks/useExportRuns';

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

/** Members the last run left in the target (see docs/ui-api-requests.md: one request per row). */
export function MembersExportedCell({ destination }: { destination: Destination }) {
  const run = useExportRun(destination.lastRun?.id);
  if (!destination.lastRun) return <span className="muted">—</span>;
  if (!run.data) return <span className="muted">…</span>;
  const totals = runTotals(run.data);
  return (
    <span title={`added ${totals.added}, removed ${totals.removed}, skipped ${totals.skipped}`}>
      <Num value={totals.exported} />
    </span>
  );
}
