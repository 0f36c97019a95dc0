import type { ExportRun } from '../../api/types';
import { Num, ProgressBar, StatusBadge } from '../../components/common';
import { TableWrap } from '../../components/TableWrap';

/** Per-segment figures of an export run: the list, members, changes, skips, failures, requests. */
export function ExportRunFigures({ run }: { run: ExportRun }) {
  return (
    <TableWrap label="Segments">
      <table>
        <thead>
          <tr>
            <th scope="col">Segment</th>
            <th scope="col">Status</th>
            <th scope="col">In the target</th>
            <th scope="col" className="num">
              Members
            </th>
            <th scope="col" className="num">
              Added
            </th>
            <th scope="col" className="num">
              Removed
            </th>
            <th scope="col" className="num">
              No contact id
            </th>
            <th scope="col" className="num">
              Not in target or invalid
            </th>
            <th scope="col" className="num">
              Failed
            </th>
            <th scope="col" className="num">
              Requests (throttled)
            </th>
          </tr>
        </thead>
        <tbody>
          {run.segments.map((s) => (
            <tr key={s.segmentId} data-testid={`segment-${s.segmentId}`}>
              <th scope="row">
                {s.segmentName ??
                  (s.status === 'pending' || (s.status === 'canceled' && !s.startedAt) ? (
                    <span className="muted">segment {s.segmentId}</span>
                  ) : (
                    <span className="muted">deleted segment</span>
                  ))}
                {s.status === 'pending' ? (
                  <div className="small muted">waiting: not started yet</div>
                ) : null}
                {s.status === 'canceled' && !s.startedAt ? (
                  <div className="small muted">not started</div>
                ) : null}
                {s.progress && s.status === 'running' ? (
                  <ProgressBar
                    value={s.progress.processed}
                    max={s.progress.total}
                    label={`Progress of ${s.segmentName ?? s.segmentId}`}
                    unit="members"
                  />
                ) : null}
                {s.errors.length ? (
                  <ul className="errors">
                    {s.errors.map((e, i) => (
                      <li key={i}>{e}</li>
                    ))}
                  </ul>
                ) : null}
                {s.notes.map((n, i) => (
                  <div key={i} className="small muted">
                    {n}
                  </div>
                ))}
              </th>
              <td>
                <StatusBadge status={s.status} />
              </td>
              <td className="small">
                {s.target ? (
                  <>
                    {s.target.url ? (
                      <a href={s.target.url} target="_blank" rel="noopener noreferrer">
                        {s.target.name}
                      </a>
                    ) : (
                      s.target.name
                    )}
                    <div className="muted">
                      <code>{s.target.id}</code>
                    </div>
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td className="num">
                <Num value={s.members} />
              </td>
              <td className="num">
                <Num value={s.added} />
              </td>
              <td className="num">
                <Num value={s.removed} />
              </td>
              <td className="num">
                <Num value={s.skippedNoKey} />
              </td>
              <td className="num">
                <Num value={s.skippedNotFound + s.skippedInvalid} />
              </td>
              <td className="num">
                <Num value={s.failed} />
              </td>
              <td className="num">
                <Num value={s.requests} /> (<Num value={s.throttled} />)
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
