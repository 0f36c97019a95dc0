import { useMutation, useQueryClient } from '@tanstack/react-query';
import { post } from '../../api/client';
import type { IngestSummary, Source } from '../../api/types';
import { ErrorBox } from '../../components/common';
import { IngestResult } from './IngestResult';
import { Can } from '../../auth/role';

/** "Read now" for a source read from a remote system (a refresh reads it too). */
export function ReadNowPanel({ source }: { source: Source }) {
  const queryClient = useQueryClient();
  const read = useMutation({
    mutationFn: () => post<IngestSummary>(`/api/sources/${encodeURIComponent(source.id)}/ingest`),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: ['sources'] });
      await queryClient.invalidateQueries({ queryKey: ['customer-fields'] });
    },
  });
  return (
    <section className="panel" aria-label="Read now">
      <h2>Read now</h2>
      <p className="muted">
        Every refresh reads this source; after the first full read only the changes are fetched. A
        read that fails keeps the previous records.
      </p>
      <Can least="operator">
        <button
          type="button"
          className="primary"
          disabled={read.isPending || source.ingesting}
          onClick={() => {
            read.mutate();
          }}
        >
          {read.isPending ? 'Reading…' : 'Read now'}
        </button>
      </Can>
      {read.error ? <ErrorBox title="The read failed" error={read.error} /> : null}
      {read.data ? <IngestResult result={read.data} title="Read finished" /> : null}
    </section>
  );
}
