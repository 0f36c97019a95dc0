import { useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import { post } from '../../api/client';
import type { IngestSummary, Source } from '../../api/types';
import { ErrorBox, Notice, PageHeader } from '../../components/common';
import { ErrorSummary } from '../../components/ErrorSummary';
import { TextAreaField, TextField } from '../../components/form';
import { errorsUnder, NO_ERRORS, toFormErrors, type FormErrors } from '../../forms/errors';
import { checkString } from '../../schema-form/schema';
import { IngestResult } from './IngestResult';
import { checkRows, MappingTable, toMapping, type MappingRow } from './MappingTable';
import { useAppRegistration } from '../../hooks/useAppRegistration';

/** The usual mapping of Sales contacts: the contact id first, the export's key. */
const CONTACT_MAPPING: MappingRow[] = [
  { field: 'contactId', column: 'contactid', type: 'string' },
  { field: 'email', column: 'emailaddress1', type: 'string' },
  { field: 'firstName', column: 'firstname', type: 'string' },
  { field: 'lastName', column: 'lastname', type: 'string' },
  { field: 'phone', column: 'telephone1', type: 'string' },
  { field: 'city', column: 'address1_city', type: 'string' },
];

type Phase =
  | { kind: 'form' }
  | { kind: 'reading'; source: Source }
  | { kind: 'done'; source: Source; summary: IngestSummary }
  | { kind: 'read-failed'; source: Source; error: unknown };

/**
 * Creates a source that reads Dynamics 365 Sales contacts (with an application user), then reads
 * it once: its contact ids are what a Dynamics destination's contact-id field needs.
 */
export function NewDataverseSourcePage() {
  const queryClient = useQueryClient();
  const [name, setName] = useState('Sales contacts');
  const [serverAddress, setServerAddress] = useState('');
  const [tenantId, setTenantId] = useState('');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [authorityHost, setAuthorityHost] = useState('');
  const [table, setTable] = useState('contacts');
  const [primaryKey, setPrimaryKey] = useState('contactid');
  const [lastModified, setLastModified] = useState('modifiedon');
  const [columns, setColumns] = useState('');
  const [rows, setRows] = useState<MappingRow[]>(CONTACT_MAPPING);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'form' });
  const registration = useAppRegistration();
  const [ownIds, setOwnIds] = useState(false);
  // With the installation's app registration set, the source needs no ids of its own.
  const shared = registration.data?.configured === true && !ownIds;

  // Checked as typed.
  const addressProblem = checkString({ type: 'string', format: 'uri' }, serverAddress.trim());
  const hostProblem = checkString({ type: 'string', format: 'uri' }, authorityHost.trim());
  const shown = (path: string, local?: string) => errorsUnder(errors, path) ?? local;

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const found: Record<string, string> = checkRows(rows);
    if (!name.trim()) found.name = 'Enter a name.';
    if (!serverAddress.trim()) found['options.serverAddress'] = 'Enter the organization URL.';
    else if (addressProblem) found['options.serverAddress'] = addressProblem;
    if (!shared) {
      if (!tenantId.trim()) found['options.auth.tenantId'] = 'Enter the tenant id.';
      if (!clientId.trim()) found['options.auth.clientId'] = 'Enter the application (client) id.';
      if (!clientSecret) found['options.auth.clientSecret'] = 'Enter the client secret.';
    }
    if (Object.keys(found).length > 0) {
      setErrors({ fields: found, general: [] });
      return;
    }
    setBusy(true);
    let source: Source;
    try {
      source = await post<Source>('/api/sources', {
        name: name.trim(),
        type: 'dataverse',
        primaryKey: primaryKey.trim(),
        mapping: toMapping(rows),
        ...(lastModified.trim() ? { lastModifiedColumn: lastModified.trim() } : {}),
        options: {
          serverAddress: serverAddress.trim(),
          auth: shared
            ? { kind: 'clientCredentials' }
            : {
                kind: 'clientCredentials',
                tenantId: tenantId.trim(),
                clientId: clientId.trim(),
                clientSecret,
                ...(authorityHost.trim() ? { authorityHost: authorityHost.trim() } : {}),
              },
          table: table.trim() || 'contacts',
          columns: columns
            .split(/[\s,]+/)
            .map((c) => c.trim())
            .filter(Boolean),
        },
      });
    } catch (error) {
      setErrors(toFormErrors(error));
      setBusy(false);
      return;
    }
    setErrors(NO_ERRORS);
    setClientSecret('');
    setPhase({ kind: 'reading', source });
    try {
      const summary = await post<IngestSummary>(
        `/api/sources/${encodeURIComponent(source.id)}/ingest`,
      );
      setPhase({ kind: 'done', source, summary });
    } catch (error) {
      setPhase({ kind: 'read-failed', source, error });
    } finally {
      setBusy(false);
      await queryClient.invalidateQueries({ queryKey: ['sources'] });
      await queryClient.invalidateQueries({ queryKey: ['customer-fields'] });
    }
  };

  if (phase.kind !== 'form') {
    return (
      <>
        <PageHeader title={`Source ${phase.source.name}`} />
        <Notice kind="ok">
          Source <strong>{phase.source.name}</strong> created.
        </Notice>
        {phase.kind === 'reading' ? (
          <p role="status">Reading the contacts from Dynamics 365…</p>
        ) : null}
        {phase.kind === 'read-failed' ? (
          <ErrorBox
            title="The first read failed (the source is kept; fix it and read again)"
            error={phase.error}
          />
        ) : null}
        {phase.kind === 'done' ? <IngestResult result={phase.summary} title="First read" /> : null}
        <p>
          <Link to={`/sources/${phase.source.id}`}>Open the source</Link> ·{' '}
          <Link to="/sources">All sources</Link> ·{' '}
          <Link to="/unification">Next: unification rules</Link>
        </p>
      </>
    );
  }

  return (
    <>
      <PageHeader title="New Dynamics 365 contacts source">
        Reads the contacts of a Dynamics 365 Sales organization with an application user (an app
        registration with a client secret). Later reads fetch only what changed. The contact id it
        brings is what a Dynamics 365 Sales destination needs.
      </PageHeader>
      <ErrorSummary errors={errors} />
      <form onSubmit={(event) => void submit(event)} noValidate>
        <section className="panel">
          <h2>Connection</h2>
          <TextField
            path="name"
            label="Name"
            required
            value={name}
            error={shown('name')}
            onChange={setName}
          />
          <TextField
            path="options.serverAddress"
            label="Server address"
            hint="The organization URL, e.g. https://contoso.crm.dynamics.com."
            type="url"
            required
            placeholder="https://contoso.crm.dynamics.com"
            value={serverAddress}
            error={shown('options.serverAddress', serverAddress ? addressProblem : undefined)}
            onChange={setServerAddress}
          />
          {registration.data?.configured ? (
            <div className="field">
              <button
                type="button"
                className="link-button"
                aria-expanded={ownIds}
                onClick={() => {
                  setOwnIds(!ownIds);
                }}
              >
                {ownIds
                  ? 'Use the app registration in Settings'
                  : 'Use a different app registration'}
              </button>
              <div className="hint">
                {ownIds
                  ? 'This source signs in with the ids below.'
                  : 'Reads with the app registration in Settings: no ids needed.'}
              </div>
            </div>
          ) : null}
          {shared ? null : (
            <>
              <div className="row">
                <TextField
                  path="options.auth.tenantId"
                  label="Tenant id"
                  required
                  value={tenantId}
                  error={shown('options.auth.tenantId')}
                  onChange={setTenantId}
                />
                <TextField
                  path="options.auth.clientId"
                  label="Application (client) id"
                  required
                  value={clientId}
                  error={shown('options.auth.clientId')}
                  onChange={setClientId}
                />
              </div>
              <TextField
                path="options.auth.clientSecret"
                label="Client secret"
                hint="Stored encrypted; never shown again once saved."
                type="password"
                autoComplete="new-password"
                required
                value={clientSecret}
                error={shown('options.auth.clientSecret')}
                onChange={setClientSecret}
              />
              <TextField
                path="options.auth.authorityHost"
                label="Sign-in host (optional)"
                hint="Leave empty for the Microsoft cloud of the server address."
                type="url"
                value={authorityHost}
                error={shown('options.auth.authorityHost', authorityHost ? hostProblem : undefined)}
                onChange={setAuthorityHost}
              />
            </>
          )}
        </section>
        <section className="panel">
          <h2>What to read</h2>
          <div className="row">
            <TextField
              path="options.table"
              label="Table (entity set)"
              value={table}
              error={shown('options.table')}
              onChange={setTable}
            />
            <TextField
              path="primaryKey"
              label="Primary key column"
              value={primaryKey}
              error={shown('primaryKey')}
              onChange={setPrimaryKey}
            />
            <TextField
              path="lastModifiedColumn"
              label="Last-modified column"
              value={lastModified}
              error={shown('lastModifiedColumn')}
              onChange={setLastModified}
            />
          </div>
          <h3>Columns → customer fields</h3>
          <MappingTable rows={rows} onChange={setRows} errors={errors} />
          <TextAreaField
            path="options.columns"
            label="Other columns to keep (optional)"
            hint="Logical names, separated by commas or spaces; kept as raw attributes."
            rows={2}
            value={columns}
            error={shown('options.columns')}
            onChange={setColumns}
          />
        </section>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create source and read the contacts'}
          </button>
          <Link to="/sources">Cancel</Link>
        </div>
      </form>
    </>
  );
}
