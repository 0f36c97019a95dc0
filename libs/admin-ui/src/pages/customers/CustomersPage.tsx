import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { get, query } from '../../api/client';
import type { CustomerPage } from '../../api/types';
import { EmptyState, ErrorBox, Loading, PageHeader } from '../../components/common';
import { CustomerTable } from '../segments/CustomerTable';

/** Browses the unified customers; searches by email or name (or an exact customer ID). */
export function CustomersPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const customers = useInfiniteQuery({
    queryKey: ['customers', q],
    queryFn: ({ pageParam }) =>
      get<CustomerPage>(
        `/api/customers${query({ limit: 50, after: pageParam, q: q || undefined })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const rows = customers.data?.pages.flatMap((p) => p.items) ?? [];
  const search = (event: SyntheticEvent) => {
    event.preventDefault();
    setParams(text.trim() ? { q: text.trim() } : {});
  };
  return (
    <>
      <PageHeader title="Customers">
        The unified customers, with stable IDs. Open one to see the source records (identities) it
        is made of and the IDs it had before merges.
      </PageHeader>
      <form role="search" className="row" onSubmit={search}>
        <div className="field">
          <label htmlFor="f-q">Search by email, name or customer ID</label>
          <input
            id="f-q"
            type="search"
            value={text}
            onChange={(event) => {
              setText(event.target.value);
            }}
          />
        </div>
        <div className="field">
          <button type="submit">Search</button>{' '}
          {q ? (
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setText('');
                setParams({});
              }}
            >
              Clear
            </button>
          ) : null}
        </div>
      </form>
      {customers.isPending ? <Loading what="customers" /> : null}
      {customers.error ? <ErrorBox error={customers.error} /> : null}
      {customers.data && rows.length === 0 ? (
        <EmptyState>
          {q ? (
            <>No customer matches “{q}”.</>
          ) : (
            <>
              No customers yet: add a <Link to="/sources">source</Link>, then run{' '}
              <Link to="/unification">unification</Link>.
            </>
          )}
        </EmptyState>
      ) : null}
      {rows.length > 0 ? <CustomerTable rows={rows} /> : null}
      {customers.hasNextPage ? (
        <button
          type="button"
          disabled={customers.isFetchingNextPage}
          onClick={() => void customers.fetchNextPage()}
        >
          {customers.isFetchingNextPage ? 'Loading…' : 'Show more'}
        </button>
      ) : null}
    </>
  );
}
