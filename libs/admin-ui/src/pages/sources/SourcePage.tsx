import { useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { del } from '../../api/client';
import { DateTime, ErrorBox, Loading, Num, PageHeader } from '../../components/common';
import { useSource } from '../../hooks/useSources';
import type { Source, SourceRecordPage } from '../../api/types';
import { EditSourceForm } from './EditSourceForm';
import { flattenValues } from '../../schema-form/schema';
import { IngestResult } from './IngestResult';
import { fieldId } from '../../forms/errors';
import { ReadNowPanel } from './ReadNowPanel';
import { RecordsPanel } from './RecordsPanel';
import { UploadPanel } from './UploadPanel';
import { Can } from '../../auth/role';
import { TableWrap } from '../../components/TableWrap';

export function SourcePage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const source = useSource(id);
  const [editing, setEditing] = useState(false);
  const remove = useMutation({
    mutationFn: () => del(`/api/sources/${encodeURIComponent(id)}`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['sources'] });
      await queryClient.invalidateQueries({ queryKey: ['customer-fields'] });
      void navigate('/sources');
    },
  });

  if (source.isPending) return <Loading what="the source" />;
  if (source.error) return <ErrorBox error={source.error} />;
  const s = source.data;
  const options = flattenValues(s.options).filter(([, v]) => v !== 'undefined' && v !== 'null');
  return (
    <>
      <PageHeader
        title={`Source ${s.name}`}
        actions={
          <>
            <Can least="editor">
              {s.type === 'csv' ? (
                <button
                  type="button"
                  onClick={() => {
                    // The upload panel is on this page: no need to open Edit to send a new file.
                    const input = document.getElementById(fieldId('upload.file'));
                    input?.scrollIntoView({ block: 'center' });
                    input?.focus();
                  }}
                >
                  Upload a new file
                </button>
              ) : null}
            </Can>
            <Can least="editor">
              <button
                type="button"
                aria-expanded={editing}
                onClick={() => {
                  setEditing(!editing);
                }}
              >
                Edit
              </button>
            </Can>
            <Can least="editor">
              <button
                type="button"
                className="danger"
                disabled={remove.isPending}
                onClick={() => {
                  if (
                    window.confirm(
                      `Delete the source "${s.name}" and its ${s.recordCount} records? Customers built from it change at the next unification.`,
                    )
                  )
                    remove.mutate();
                }}
              >
                Delete source
              </button>
            </Can>
          </>
        }
      >
        <Link to="/sources">All sources</Link>
      </PageHeader>
      {remove.error ? <ErrorBox title="Could not delete" error={remove.error} /> : null}
      {editing ? (
        <EditSourceForm
          source={s}
          columns={knownColumns(s, queryClient.getQueryData(['sources', s.id, 'records']))}
          onDone={() => {
            setEditing(false);
          }}
        />
      ) : null}
      <div className="grid-2">
        <section className="panel">
          <h2>Definition</h2>
          <dl className="facts">
            <dt>Type</dt>
            <dd>{s.type}</dd>
            <dt>Primary key</dt>
            <dd>
              <code>{s.primaryKey}</code>
            </dd>
            <dt>Last modified</dt>
            <dd>{s.lastModifiedColumn ? <code>{s.lastModifiedColumn}</code> : '—'}</dd>
            {options.map(([key, value]) => (
              <Fragment key={key}>
                <dt>{key}</dt>
                <dd>
                  <code>{value || '—'}</code>
                </dd>
              </Fragment>
            ))}
            {Object.entries(s.secrets ?? {}).map(([key, state]) => (
              <Fragment key={key}>
                <dt>{key}</dt>
                <dd>{state === 'set' ? 'stored (encrypted, never shown)' : 'not set'}</dd>
              </Fragment>
            ))}
            <dt>Records</dt>
            <dd data-testid="record-count">
              <Num value={s.recordCount} />
            </dd>
            <dt>Created</dt>
            <dd>
              <DateTime value={s.createdAt} />
            </dd>
          </dl>
        </section>
        <section className="panel">
          <h2>Mapping</h2>
          <TableWrap>
            <table>
              <thead>
                <tr>
                  <th scope="col">Customer field</th>
                  <th scope="col">Column</th>
                  <th scope="col">Type</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(s.mapping).map(([field, m]) => (
                  <tr key={field}>
                    <td>
                      <code>{field}</code>
                    </td>
                    <td>{m.column}</td>
                    <td>{m.type}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </section>
      </div>
      {s.type === 'csv' ? <UploadPanel sourceId={s.id} /> : <ReadNowPanel source={s} />}
      {s.ingesting ? <p role="status">An upload is being ingested now…</p> : null}
      {s.lastIngest ? <IngestResult result={s.lastIngest} title="Last ingest" /> : null}
      <RecordsPanel sourceId={s.id} fields={Object.keys(s.mapping)} />
    </>
  );
}

/** Columns the source is known to have: mapped ones and the raw ones of the records shown. */
function knownColumns(
  source: Source,
  records: InfiniteData<SourceRecordPage> | undefined,
): string[] {
  const names = new Set<string>([
    source.primaryKey,
    ...Object.values(source.mapping).map((m) => m.column),
    ...(source.lastModifiedColumn ? [source.lastModifiedColumn] : []),
  ]);
  for (const page of records?.pages ?? []) {
    for (const item of page.items) for (const key of Object.keys(item.raw)) names.add(key);
  }
  return [...names].sort();
}
