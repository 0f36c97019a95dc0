import { Link } from 'react-router';
import type { ExportRun } from '../../api/types';
import { DateTime, formatDuration, Num, StatusBadge, triggerText } from '../../components/common';
import { runTotals } from '../../hooks/useExportRuns';
import { TableWrap } from '../../components/TableWrap';

/** Export runs with their totals; with `destinations`, a column naming each run's destination. */
export function ExportRunsTable({
  runs,
  destinations,
  label,
}: {
  runs: ExportRun[];
  destinations?: Map<string, string>;
  label: string;
}) {
  return (
    <TableWrap label={label}>
      <table aria-label={label}>
        <thead>
          <tr>
            {destinations ? <th scope="col">Destination</th> : null}
            <th scope="col">Started</th>
            <th scope="col">Trigger</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              In the target
            </th>
            <th scope="col" className="num">
              Added
            </th>
            <th scope="col" className="num">
              Removed
            </th>
            <th scope="col" className="num">
              Skipped
            </th>
            <th scope="col" className="num">
              Failed
            </th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const t = runTotals(run);
            return (
              <tr key={run.id}>
                {destinations ? (
                  <td>
                    <Link to={`/destinations/${run.destinationId}`}>
                      {destinations.get(run.destinationId) ?? run.destinationId}
                    </Link>
                  </td>
                ) : null}
                <td>
                  <Link to={`/runs/export/${run.id}`}>
                    <DateTime value={run.startedAt ?? run.createdAt} />
                  </Link>
                </td>
                <td>
                  {triggerText(run.trigger)}
                  {run.refreshRunId ? (
                    <>
                      {' '}
                      (<Link to={`/runs/refresh/${run.refreshRunId}`}>refresh</Link>)
                    </>
                  ) : null}
                </td>
                <td>
                  <StatusBadge status={run.status} />
                  {run.error ? <div className="small field-error">{run.error}</div> : null}
                </td>
                <td className="num">
                  <Num value={t.exported} />
                </td>
                <td className="num">
                  <Num value={t.added} />
                </td>
                <td className="num">
                  <Num value={t.removed} />
                </td>
                <td className="num">
                  <Num value={t.skipped} />
                </td>
                <td className="num">
                  <Num value={t.failed} />
                </td>
                <td>{formatDuration(run.durationMs)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}
