import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { post } from '../../api/client';
import type { ExportRun } from '../../api/types';
import { ErrorBox } from '../../components/common';

/**
 * The segments a run held at the removal limit, in words, with Approve: the held segments are
 * exported now, with their removals, in a new run (shown next).
 */
export function HeldSegments({ run }: { run: ExportRun }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const approve = useMutation({
    mutationFn: () => post<ExportRun>(`/api/export-runs/${encodeURIComponent(run.id)}/approve`),
    onSuccess: async (started) => {
      await queryClient.invalidateQueries({ queryKey: ['export-runs'] });
      await queryClient.invalidateQueries({ queryKey: ['destinations'] });
      void navigate(`/runs/export/${started.id}`);
    },
  });
  const held = run.segments.filter((s) => s.status === 'held' && !s.hold?.approvedAt);
  const approved = run.segments.filter((s) => s.hold?.approvedAt);
  if (held.length === 0 && approved.length === 0) return null;
  return (
    <section className="panel notice-warn" aria-label="Held segments" data-testid="held-segments">
      <h2>Held at the removal limit</h2>
      {held.length > 0 ? (
        <>
          <p>
            Nothing was written to {held.length === 1 ? 'this segment' : 'these segments'}: the
            export would remove more members than the destination allows.
          </p>
          <ul>
            {held.map((s) => (
              <li key={s.segmentId}>
                <strong>{s.segmentName ?? s.segmentId}</strong>: {s.hold?.reason}
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="primary"
            disabled={approve.isPending}
            onClick={() => {
              approve.mutate();
            }}
          >
            {approve.isPending ? 'Approving…' : 'Approve removals'}
          </button>
          {approve.error ? <ErrorBox title="Could not approve" error={approve.error} /> : null}
        </>
      ) : null}
      {approved.length > 0 ? (
        <ul>
          {approved.map((s) => (
            <li key={s.segmentId}>
              {s.segmentName ?? s.segmentId}: approved; exported by{' '}
              <Link to={`/runs/export/${s.hold?.approvedRunId ?? ''}`}>
                run {s.hold?.approvedRunId}
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
