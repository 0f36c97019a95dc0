import { DateTime, Num } from '../../components/common';
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
  return (
    <section className="panel" aria-label={title ?? 'Ingest result'}>
      <h3>{title ?? 'Ingest result'}</h3>
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
                  <th className="num">Line</th>
                  <th>Problem</th>
                </tr>
              </thead>
              <tbody>
                {result.errors.map((e, i) => (
                  <tr key={`${e.line}-${i}`}>
                    <td className="num">{e.line}</td>
                    <td>{e.message}</td>
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
