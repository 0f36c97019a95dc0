import { DateTime, formatNumber, Num } from '../../components/common';
import { TableWrap } from '../../components/TableWrap';

interface IngestFigures {
  mode?: 'full' | 'incremental';
  fullReadReason?: string;
  pages?: number;
  requests?: number;
  throttled?: number;
  added?: number;
  updated?: number;
  removed?: number;
  notes?: string[];
  rowsRead: number;
  rowsStored: number;
  rowsRejected: number;
  errors: { line: number; message: string }[];
  status?: string;
  error?: string;
  finishedAt?: string;
}

/** The figures of an ingest and its rejected lines (the API reports the first 100). */
export function IngestResult({ result, title }: { result: IngestFigures; title?: string }) {
  const failed = result.status === 'failed';
  const rejected = !failed && result.rowsRejected > 0;
  return (
    <section
      className={rejected ? 'panel panel-warn' : 'panel'}
      aria-label={title ?? 'Ingest result'}
    >
      <h3>{title ?? 'Ingest result'}</h3>
      {rejected ? (
        <div className="notice notice-warn" role="alert" data-testid="rejected-warning">
          <strong>
            {formatNumber(result.rowsRejected)} of {formatNumber(result.rowsRead)} rows were
            rejected
          </strong>{' '}
          ({percent(result.rowsRejected, result.rowsRead)}): they are not stored. The reasons are
          listed below; fix the file or the source&apos;s definition (for example its primary key)
          and upload again.
        </div>
      ) : null}
      {failed ? (
        <div className="error-box" role="alert">
          <strong>The ingest failed; the source keeps its previous records.</strong>{' '}
          {result.error ?? ''}
        </div>
      ) : null}
      <dl className="facts">
        {result.finishedAt ? (
          <>
            <dt>Finished</dt>
            <dd>
              <DateTime value={result.finishedAt} />
            </dd>
          </>
        ) : null}
        {result.mode ? (
          <>
            <dt>Read</dt>
            <dd data-testid="read-mode">
              {result.mode === 'full' ? 'every row (full read)' : 'only the changes'}
              {result.fullReadReason ? ` — ${result.fullReadReason}` : ''}
            </dd>
            <dt>Pages, requests</dt>
            <dd>
              <Num value={result.pages} />, <Num value={result.requests} />
              {result.throttled ? (
                <>
                  {' '}
                  (<Num value={result.throttled} /> throttled)
                </>
              ) : null}
            </dd>
          </>
        ) : null}
        {result.mode === 'incremental' ? (
          <>
            <dt>Added, changed, removed</dt>
            <dd>
              <Num value={result.added} />, <Num value={result.updated} />,{' '}
              <Num value={result.removed} />
            </dd>
          </>
        ) : null}
        <dt>Rows read</dt>
        <dd data-testid="rows-read">
          <Num value={result.rowsRead} />
        </dd>
        <dt>Rows stored</dt>
        <dd data-testid="rows-stored">
          <Num value={result.rowsStored} />
        </dd>
        <dt>Rows rejected</dt>
        <dd data-testid="rows-rejected">
          <Num value={result.rowsRejected} />
        </dd>
      </dl>
      {result.notes?.map((note, i) => (
        <p key={i} className="muted small">
          {note}
        </p>
      ))}
      {result.errors.length > 0 ? (
        <>
          <h4>
            Rejected lines{result.rowsRejected > result.errors.length ? ' (the first ones)' : ''}
          </h4>
          <TableWrap label="Rejected rows">
            <table>
              <thead>
                <tr>
                  <th>Lines</th>
                  <th>Problem</th>
                </tr>
              </thead>
              <tbody>
                {groupByMessage(result.errors).map((g) => (
                  <tr key={g.message}>
                    <td>{linesText(g.lines)}</td>
                    <td>{g.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      ) : null}
    </section>
  );
}

/** Lines named in a group before "…". */
const LINES_SHOWN = 5;

/** Rejected lines with the same message together, in the order the messages first appear. */
export function groupByMessage(
  errors: { line: number; message: string }[],
): { message: string; lines: number[] }[] {
  const groups = new Map<string, number[]>();
  for (const e of errors) {
    const lines = groups.get(e.message);
    if (lines) lines.push(e.line);
    else groups.set(e.message, [e.line]);
  }
  return [...groups].map(([message, lines]) => ({ message, lines }));
}

/** "line 3", or "lines 3, 5, 9 … (100 lines)". */
function linesText(lines: number[]): string {
  if (lines.length === 1) return `line ${lines[0]}`;
  const shown = lines.slice(0, LINES_SHOWN).join(', ');
  return lines.length > LINES_SHOWN
    ? `lines ${shown} … (${formatNumber(lines.length)} lines)`
    : `lines ${shown}`;
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)} %` : '—';
}
