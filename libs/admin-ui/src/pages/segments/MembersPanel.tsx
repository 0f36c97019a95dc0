import { useInfiniteQuery } from '@tanstack/react-query';
import { get, query } from '../../api/client';
import type { MembersPage } from '../../api/types';
import { ErrorBox, Loading } from '../../components/common';
import { CustomerTable } from './CustomerTable';

/** The members as of the last evaluation, a page at a time. */
export function MembersPanel({ segmentId }: { segmentId: string }) {
  const members = useInfiniteQuery({
    queryKey: ['segments', segmentId, 'members'],
    queryFn: ({ pageParam }) =>
      get<MembersPage>(
        `/api/segments/${encodeURIComponent(segmentId)}/members${query({ limit: 50, cursor: pageParam })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = members.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="panel" aria-label="Members">
      <h2>Members</h2>
      {members.isPending ? <Loading what="members" /> : null}
      {members.error ? <ErrorBox error={members.error} /> : null}
      {members.data && rows.length === 0 ? (
        <p className="muted">No members (as of the last evaluation).</p>
      ) : null}
      {rows.length > 0 ? <CustomerTable rows={rows} /> : null}
      {members.hasNextPage ? (
        <button
          type="button"
          disabled={members.isFetchingNextPage}
          onClick={() => void members.fetchNextPage()}
        >
          {members.isFetchingNextPage ? 'Loading…' : 'Show more'}
        </button>
      ) : null}
    </section>
  );
}
