import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { put } from '../../api/client';
import type { Source } from '../../api/types';
import { ErrorSummary } from '../../components/ErrorSummary';
import { SelectField, TextField } from '../../components/form';
import { errorsUnder, NO_ERRORS, toFormErrors, type FormErrors } from '../../forms/errors';
import { checkRows, MappingTable, toMapping, withValue, type MappingRow } from './MappingTable';
import { Can } from '../../auth/role';

/**
 * Changes a source: its name, primary key, last-modified column and mapping. The stored records
 * keep the values they were read with until the next upload.
 */
export function EditSourceForm({
  source,
  columns,
  onDone,
}: {
  source: Source;
  /** Column names known from the mapping and the stored records (the dropdowns' choices). */
  columns: string[];
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(source.name);
  const [primaryKey, setPrimaryKey] = useState(source.primaryKey);
  const [lastModified, setLastModified] = useState(source.lastModifiedColumn ?? '');
  const [rows, setRows] = useState<MappingRow[]>(
    Object.entries(source.mapping).map(([field, m]) => ({ field, column: m.column, type: m.type })),
  );
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const remote = source.type === 'dataverse' ? dataverseOptions(source.options) : null;
  const [serverAddress, setServerAddress] = useState(remote?.serverAddress ?? '');
  const [tenantId, setTenantId] = useState(remote?.tenantId ?? '');
  const [clientId, setClientId] = useState(remote?.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [authorityHost, setAuthorityHost] = useState(remote?.authorityHost ?? '');
  const save = useMutation({
    mutationFn: (body: object) =>
      put<Source>(`/api/sources/${encodeURIComponent(source.id)}`, body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['sources'] });
      await queryClient.invalidateQueries({ queryKey: ['customer-fields'] });
      onDone();
    },
    onError: (error) => {
      setErrors(toFormErrors(error));
    },
  });

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const found = checkRows(rows);
    if (!name.trim()) found.name = 'Enter a name.';
    if (!primaryKey.trim()) found.primaryKey = 'Choose the primary key column.';
    if (Object.keys(found).length > 0) {
      setErrors({ fields: found, general: [] });
      return;
    }
    save.mutate({
      name: name.trim(),
      primaryKey: primaryKey.trim(),
      lastModifiedColumn: lastModified.trim() || null,
      mapping: toMapping(rows),
      ...(remote
        ? {
            options: {
              ...source.options,
              serverAddress: serverAddress.trim(),
              auth: {
                kind: 'clientCredentials',
                // Empty ids: the app registration in Settings signs in.
                ...(tenantId.trim() ? { tenantId: tenantId.trim() } : {}),
                ...(clientId.trim() ? { clientId: clientId.trim() } : {}),
                // Left empty, the stored secret is kept.
                ...(clientSecret ? { clientSecret } : {}),
                ...(authorityHost.trim() ? { authorityHost: authorityHost.trim() } : {}),
              },
            },
          }
        : {}),
    });
  };

  return (
    <form className="panel" onSubmit={submit} noValidate aria-label="Edit source">
      <h2>Edit source</h2>
      <p className="muted small">
        A changed mapping, primary key or option takes effect at the next{' '}
        {remote ? 'read' : 'upload'}; the stored records keep the values they were read with until
        then.
      </p>
      <ErrorSummary errors={errors} />
      <div className="row">
        <TextField
          path="name"
          label="Name"
          required
          value={name}
          error={errorsUnder(errors, 'name')}
          onChange={setName}
        />
        <SelectField
          path="primaryKey"
          label="Primary key column"
          required
          value={primaryKey}
          placeholder="Choose a column…"
          options={withValue(columns, primaryKey).map((c) => ({ value: c, label: c }))}
          error={errorsUnder(errors, 'primaryKey')}
          onChange={setPrimaryKey}
        />
        <SelectField
          path="lastModifiedColumn"
          label="Last-modified column (optional)"
          value={lastModified}
          placeholder="None"
          options={withValue(columns, lastModified).map((c) => ({ value: c, label: c }))}
          error={errorsUnder(errors, 'lastModifiedColumn')}
          onChange={setLastModified}
        />
      </div>
      {remote ? (
        <fieldset>
          <legend>Connection</legend>
          <TextField
            path="options.serverAddress"
            label="Server address"
            type="url"
            required
            value={serverAddress}
            error={errorsUnder(errors, 'options.serverAddress')}
            onChange={setServerAddress}
          />
          <div className="row">
            <TextField
              path="options.auth.tenantId"
              label="Tenant id"
              hint="Leave empty to use the app registration in Settings."
              value={tenantId}
              error={errorsUnder(errors, 'options.auth.tenantId')}
              onChange={setTenantId}
            />
            <TextField
              path="options.auth.clientId"
              label="Application (client) id"
              hint="Leave empty to use the app registration in Settings."
              value={clientId}
              error={errorsUnder(errors, 'options.auth.clientId')}
              onChange={setClientId}
            />
          </div>
          <TextField
            path="options.auth.clientSecret"
            label="Client secret"
            type="password"
            autoComplete="new-password"
            hint={
              source.secrets?.['auth.clientSecret'] === 'set'
                ? 'A value is stored (it is never shown). Leave empty to keep it, or type a new one to replace it.'
                : 'Stored encrypted; never shown again once saved.'
            }
            value={clientSecret}
            error={errorsUnder(errors, 'options.auth.clientSecret')}
            onChange={setClientSecret}
          />
          <TextField
            path="options.auth.authorityHost"
            label="Sign-in host (optional)"
            type="url"
            value={authorityHost}
            error={errorsUnder(errors, 'options.auth.authorityHost')}
            onChange={setAuthorityHost}
          />
        </fieldset>
      ) : null}
      <MappingTable rows={rows} onChange={setRows} errors={errors} columns={columns} />
      <div className="form-actions">
        <Can least="editor">
          <button type="submit" className="primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save source'}
          </button>
        </Can>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The connection settings of a `dataverse` source's options (its secret is never returned). */
function dataverseOptions(options: Record<string, unknown>) {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const auth = (options.auth ?? {}) as Record<string, unknown>;
  return {
    serverAddress: text(options.serverAddress),
    tenantId: text(auth.tenantId),
    clientId: text(auth.clientId),
    authorityHost: text(auth.authorityHost),
  };
}
