import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { put } from '../../api/client';
import type { FieldType, Source } from '../../api/types';
import { ErrorSummary } from '../../components/ErrorSummary';
import { TextField } from '../../components/form';
import { errorsUnder, fieldId, NO_ERRORS, toFormErrors, type FormErrors } from '../../forms/errors';
import { FIELD_NAME } from './csv-preview';

interface Row {
  field: string;
  column: string;
  type: FieldType;
}

const TYPES: { value: FieldType; label: string }[] = [
  { value: 'string', label: 'Text' },
  { value: 'number', label: 'Number' },
  { value: 'date', label: 'Date' },
  { value: 'boolean', label: 'Yes / no' },
];

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
  /** Column names known from the mapping and the stored records (suggestions). */
  columns: string[];
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(source.name);
  const [primaryKey, setPrimaryKey] = useState(source.primaryKey);
  const [lastModified, setLastModified] = useState(source.lastModifiedColumn ?? '');
  const [rows, setRows] = useState<Row[]>(
    Object.entries(source.mapping).map(([field, m]) => ({ field, column: m.column, type: m.type })),
  );
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
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
    const found: Record<string, string> = {};
    const seen = new Set<string>();
    rows.forEach((row, i) => {
      if (!FIELD_NAME.test(row.field)) {
        found[`rows[${i}].field`] =
          'Use letters, digits and _, starting with a letter (e.g. email, firstName).';
      } else if (seen.has(row.field)) {
        found[`rows[${i}].field`] = `${row.field} is mapped twice.`;
      }
      if (!row.column.trim()) found[`rows[${i}].column`] = 'Enter the column that holds it.';
      seen.add(row.field);
    });
    if (!name.trim()) found.name = 'Enter a name.';
    if (!primaryKey.trim()) found.primaryKey = 'Enter the primary key column.';
    if (Object.keys(found).length > 0) {
      setErrors({ fields: found, general: [] });
      return;
    }
    save.mutate({
      name: name.trim(),
      primaryKey: primaryKey.trim(),
      lastModifiedColumn: lastModified.trim() || null,
      mapping: Object.fromEntries(
        rows.map((r) => [r.field, { column: r.column.trim(), type: r.type }]),
      ),
    });
  };

  const update = (index: number, patch: Partial<Row>) => {
    setRows(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  };
  // Server paths name the field (`mapping.email.type`); local ones the row.
  const rowError = (row: Row, index: number, part: 'field' | 'column') =>
    errors.fields[`rows[${index}].${part}`] ??
    (part === 'field' ? errorsUnder(errors, `mapping.${row.field}`) : undefined);

  return (
    <form className="panel" onSubmit={submit} noValidate aria-label="Edit source">
      <h2>Edit source</h2>
      <p className="muted small">
        A changed mapping, primary key or option takes effect at the next upload; the stored records
        keep the values they were read with until then.
      </p>
      <ErrorSummary errors={errors} />
      <datalist id="source-columns">
        {columns.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <div className="row">
        <TextField
          path="name"
          label="Name"
          required
          value={name}
          error={errorsUnder(errors, 'name')}
          onChange={setName}
        />
        <TextField
          path="primaryKey"
          label="Primary key column"
          required
          list="source-columns"
          value={primaryKey}
          error={errorsUnder(errors, 'primaryKey')}
          onChange={setPrimaryKey}
        />
        <TextField
          path="lastModifiedColumn"
          label="Last-modified column (optional)"
          list="source-columns"
          value={lastModified}
          error={errorsUnder(errors, 'lastModifiedColumn')}
          onChange={setLastModified}
        />
      </div>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Customer field</th>
              <th scope="col">Column</th>
              <th scope="col">Type</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => {
              const fieldError = rowError(row, index, 'field');
              const columnError = rowError(row, index, 'column');
              const fid = fieldId(`rows[${index}].field`);
              const cid = fieldId(`rows[${index}].column`);
              return (
                <tr key={index}>
                  <td>
                    <input
                      id={fid}
                      aria-label={`Customer field of mapping ${index + 1}`}
                      value={row.field}
                      aria-invalid={fieldError ? true : undefined}
                      aria-describedby={fieldError ? `${fid}-error` : undefined}
                      onChange={(event) => {
                        update(index, { field: event.target.value.trim() });
                      }}
                    />
                    {row.field ? (
                      <span id={fieldId(`mapping.${row.field}`)} data-control={fid} />
                    ) : null}
                    {fieldError ? (
                      <div className="field-error" id={`${fid}-error`} role="alert">
                        {fieldError}
                      </div>
                    ) : null}
                  </td>
                  <td>
                    <input
                      id={cid}
                      aria-label={`Column of mapping ${index + 1}`}
                      list="source-columns"
                      value={row.column}
                      aria-invalid={columnError ? true : undefined}
                      aria-describedby={columnError ? `${cid}-error` : undefined}
                      onChange={(event) => {
                        update(index, { column: event.target.value });
                      }}
                    />
                    {columnError ? (
                      <div className="field-error" id={`${cid}-error`} role="alert">
                        {columnError}
                      </div>
                    ) : null}
                  </td>
                  <td>
                    <select
                      aria-label={`Type of mapping ${index + 1}`}
                      value={row.type}
                      onChange={(event) => {
                        update(index, { type: event.target.value as FieldType });
                      }}
                    >
                      {TYPES.map((t) => (
                        <option key={t.value} value={t.value}>
                          {t.label}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="small danger"
                      aria-label={`Remove mapping ${index + 1}`}
                      onClick={() => {
                        setRows(rows.filter((_, i) => i !== index));
                      }}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="form-actions">
        <button
          type="button"
          onClick={() => {
            setRows([...rows, { field: '', column: '', type: 'string' }]);
          }}
        >
          Add a mapped column
        </button>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save source'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
