import { useMutation } from '@tanstack/react-query';
import { post } from '../../api/client';
import type { DryRun, DryRunMember } from '../../api/types';
import { ErrorBox, Num, StatusBadge } from '../../components/common';
import { TableWrap } from '../../components/TableWrap';

/**
 * "Preview export": the destination's dry run (nothing is written), per segment, with samples
 * of the members to add and to remove. `prepare` runs first (the setup flow saves its choices).
 */
export function DryRunPanel({
  destinationId,
  prepare,
}: {
  destinationId: string;
  prepare?: () => Promise<boolean>;
}) {
  const preview = useMutation({
    mutationFn: async () => {
      if (prepare && !(await prepare())) return null;
      return post<DryRun>(`/api/destinations/${encodeURIComponent(destinationId)}/dry-run`);
    },
  });
  const d = preview.data;
  return (
    <section className="panel" aria-label="Preview export">
      <h2>Preview export</h2>
      <p className="muted small">
        What an export would do now, computed without writing anything to the target.
      </p>
      <button
        type="button"
        disabled={preview.isPending}
        onClick={() => {
          preview.mutate();
        }}
      >
        {preview.isPending ? 'Computing…' : d ? 'Preview again' : 'Preview export'}
      </button>
      {preview.error ? <ErrorBox title="Could not preview" error={preview.error} /> : null}
      {d ? (
        d.segments.length === 0 ? (
          <p className="muted">No segments are chosen: nothing would be exported.</p>
        ) : (
          <TableWrap>
            <table className="table" data-testid="dry-run">
              <thead>
                <tr>
                  <th>Segment</th>
                  <th>Outcome</th>
                  <th className="num">Members</th>
                  <th className="num">To add</th>
                  <th className="num">To remove</th>
                  <th className="num">No contact id</th>
                  <th className="num">Not in target</th>
                  <th className="num">Requests</th>
                </tr>
              </thead>
              <tbody>
                {d.segments.map((s) => (
                  <tr key={s.segmentId} data-testid={`dry-run-${s.segmentId}`}>
                    <td>
                      {s.segmentName ?? s.segmentId}
                      {s.reason ? <div className="small">{s.reason}</div> : null}
                      <Samples label="To add" members={s.sampleToAdd} total={s.toAdd} />
                      <Samples label="To remove" members={s.sampleToRemove} total={s.toRemove} />
                    </td>
                    <td>
                      <StatusBadge status={s.status} />
                    </td>
                    <td className="num">
                      <Num value={s.members} />
                    </td>
                    <td className="num" data-testid="to-add">
                      <Num value={s.toAdd} />
                    </td>
                    <td className="num" data-testid="to-remove">
                      <Num value={s.toRemove} />
                    </td>
                    <td className="num">
                      <Num value={s.skippedNoContactId} />
                    </td>
                    <td className="num">
                      {s.skippedNotInTarget === null ? (
                        <span className="muted" title="Unknown before the first export">
                          —
                        </span>
                      ) : (
                        <Num value={s.skippedNotInTarget} />
                      )}
                    </td>
                    <td className="num">
                      {s.requestsEstimate === null ? '—' : <Num value={s.requestsEstimate} />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )
      ) : null}
    </section>
  );
}

function Samples({
  label,
  members,
  total,
}: {
  label: string;
  members: DryRunMember[];
  total: number;
}) {
  if (members.length === 0) return null;
  return (
    <details className="small">
      <summary>
        {label}:{' '}
        {members.length < total ? `first ${members.length} of ${total.toLocaleString()}` : 'all'}
      </summary>
      <ul>
        {members.map((m) => (
          <li key={`${m.contactId}/${m.customerId ?? ''}`}>
            <code>{m.contactId}</code>
            {m.customerId ? (
              <span className="muted"> (customer {m.customerId})</span>
            ) : (
              <span className="muted"> (no customer carries it now)</span>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}
