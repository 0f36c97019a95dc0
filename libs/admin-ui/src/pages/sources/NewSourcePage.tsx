import { useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import { post } from '../../api/client';
import type { FieldType, Source } from '../../api/types';
import { ErrorBox, Notice, PageHeader } from '../../components/common';
import { ErrorSummary } from '../../components/ErrorSummary';
import { SelectField, TextField } from '../../components/form';
import { errorsUnder, fieldId, NO_ERRORS, toFormErrors, type FormErrors } from '../../forms/errors';
import { useCustomerFields } from '../../hooks/useCustomerFields';
import {
  DELIMITERS,
  FIELD_NAME,
  guessType,
  isKnownField,
  readCsvPreview,
  suggestFieldName,
  type CsvPreview,
} from './csv-preview';
import { UploadPanel } from './UploadPanel';
import { TableWrap } from '../../components/TableWrap';

interface MappingRow {
  column: string;
  field: string;
  type: FieldType;
  sample: string;
}

const TYPES: { value: FieldType; label: string }[] = [
  { value: 'string', label: 'Text' },
  { value: 'number', label: 'Number' },
  { value: 'date', label: 'Date' },
  { value: 'boolean', label: 'Yes / no' },
];

/** Common encodings the server reads (it lists every supported one when a name is wrong). */
const ENCODINGS = [
  'utf-8',
  'utf-16le',
  'utf-16be',
  'windows-1252',
  'iso-8859-15',
  'windows-1250',
  'shift_jis',
  'gbk',
  'big5',
];

/**
 * The column most likely to identify a row: among the columns filled and unique in every row read
 * here, one named like an id first; without any such column (or rows), by name alone.
 */
export function guessPrimaryKey(columns: string[], rows: string[][]): string {
  const byName = (names: string[]) =>
    names.find((c) => /^(id|key|.*[_ ]?id)$/i.test(c.trim())) ?? names.find((c) => /id$/i.test(c));
  if (rows.length > 0) {
    const keys = columns.filter((_, i) => {
      const values = rows.map((r) => (r[i] ?? '').trim());
      return values.every((v) => v !== '') && new Set(values).size === values.length;
    });
    const found = byName(keys) ?? keys.at(0);
    if (found !== undefined) return found;
  }
  return byName(columns) ?? columns.at(0) ?? '';
}

function sourceNameFor(file: File): string {
  return file.name.replace(/\.[^.]+$/, '').slice(0, 200);
}

/**
 * Creates a CSV source: the columns come from the chosen file's header, read in the browser;
 * each column maps to a customer field (or stays a raw attribute); then the file is uploaded.
 */
export function NewSourcePage() {
  const queryClient = useQueryClient();
  const fields = useCustomerFields();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [primaryKey, setPrimaryKey] = useState('');
  const [lastModified, setLastModified] = useState('');
  const [delimiter, setDelimiter] = useState('');
  const [quote, setQuote] = useState('"');
  const [encoding, setEncoding] = useState('utf-8');
  const [rows, setRows] = useState<MappingRow[]>([]);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Source | null>(null);

  const load = async (chosen: File, options: { delimiter?: string; encoding?: string }) => {
    setPreviewError(null);
    try {
      const result = await readCsvPreview(chosen, { ...options, quote });
      setPreview(result);
      setDelimiter(result.delimiter);
      const key = result.columns.includes(primaryKey)
        ? primaryKey
        : guessPrimaryKey(result.columns, result.rows);
      setRows(
        result.columns.map((column, i) => ({
          column,
          // The primary key stays a raw attribute unless it is a known field (contactid).
          field: column === key && !isKnownField(column) ? '' : suggestFieldName(column),
          type: guessType(result.rows.map((r) => r[i] ?? '')),
          sample: result.rows.find((r) => r[i])?.[i] ?? '',
        })),
      );
      setPrimaryKey(key);
      setLastModified((current) => (result.columns.includes(current) ? current : ''));
    } catch (error) {
      setPreview(null);
      setRows([]);
      setPreviewError(error instanceof Error ? error.message : String(error));
    }
  };

  const existing = new Map((fields.data ?? []).map((f) => [f.name, f]));

  /** As on reading the file: the key stays a raw attribute unless it is a known field. */
  const choosePrimaryKey = (key: string) => {
    setRows((current) =>
      current.map((row) => {
        if (row.column === key && !isKnownField(key)) return { ...row, field: '' };
        if (row.column === primaryKey && row.column !== key && !row.field)
          return { ...row, field: suggestFieldName(row.column) };
        return row;
      }),
    );
    setPrimaryKey(key);
  };

  const check = (): FormErrors => {
    const found: Record<string, string> = {};
    if (!file) found.file = 'Choose the CSV file whose columns you want to map.';
    if (!name.trim()) found.name = 'Enter a name for the source.';
    if (preview && !primaryKey) found.primaryKey = 'Choose the column that identifies a row.';
    const seen = new Map<string, string>();
    for (const row of rows) {
      if (!row.field) continue;
      const path = `mapping.${row.field}`;
      if (!FIELD_NAME.test(row.field)) {
        found[`columns.${row.column}`] =
          `"${row.field}" is not a field name: use letters, digits and _, starting with a letter.`;
      } else if (row.field === 'customerId') {
        found[`columns.${row.column}`] = 'customerId is given by unification; choose another name.';
      } else if (seen.has(row.field)) {
        found[path] =
          `Columns "${seen.get(row.field) ?? ''}" and "${row.column}" both map to ${row.field}.`;
      }
      seen.set(row.field, row.column);
    }
    return { fields: found, general: [] };
  };

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const local = check();
    setErrors(local);
    if (Object.keys(local.fields).length > 0) return;
    const mapping: Record<string, { column: string; type: FieldType }> = {};
    for (const row of rows)
      if (row.field) mapping[row.field] = { column: row.column, type: row.type };
    setBusy(true);
    try {
      const source = await post<Source>('/api/sources', {
        name: name.trim(),
        type: 'csv',
        primaryKey,
        mapping,
        ...(lastModified ? { lastModifiedColumn: lastModified } : {}),
        options: {
          delimiter,
          ...(quote && quote !== '"' ? { quote } : {}),
          ...(encoding && encoding !== 'utf-8' ? { encoding } : {}),
        },
      });
      await queryClient.invalidateQueries({ queryKey: ['sources'] });
      await queryClient.invalidateQueries({ queryKey: ['customer-fields'] });
      setCreated(source);
    } catch (error) {
      setErrors(toFormErrors(error));
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <>
        <PageHeader title={`Source ${created.name}`} />
        <Notice>
          Source <strong>{created.name}</strong> created. Its file is being uploaded below: see how
          many rows were stored.
        </Notice>
        <UploadPanel sourceId={created.id} file={file ?? undefined} />
        <p>
          <Link to={`/sources/${created.id}`}>Open the source</Link> ·{' '}
          <Link to="/sources">All sources</Link> ·{' '}
          <Link to="/unification">Next: unification rules</Link>
        </p>
      </>
    );
  }

  const columnOptions = (preview?.columns ?? []).map((c) => ({ value: c, label: c }));
  return (
    <>
      <PageHeader title="New CSV source">
        Choose a file: its header gives the columns. Map each column to a customer field (leave the
        field empty to keep the column only as a raw attribute), then create the source and upload.
      </PageHeader>
      <ErrorSummary errors={errors} />
      <form onSubmit={(event) => void submit(event)} noValidate>
        <section className="panel">
          <h2>File</h2>
          <div className={errors.fields.file ? 'field field-invalid' : 'field'}>
            <label htmlFor={fieldId('file')}>CSV file</label>
            <div className="hint" id={`${fieldId('file')}-hint`}>
              Only the start of the file is read here; the whole file is sent when you create the
              source.
            </div>
            {errors.fields.file ? (
              <div className="field-error" role="alert">
                {errors.fields.file}
              </div>
            ) : null}
            <input
              id={fieldId('file')}
              type="file"
              accept=".csv,text/csv,text/plain"
              aria-describedby={`${fieldId('file')}-hint`}
              onChange={(event) => {
                const chosen = event.target.files?.[0] ?? null;
                setFile(chosen);
                if (chosen) {
                  if (!name) setName(sourceNameFor(chosen));
                  void load(chosen, { encoding });
                }
              }}
            />
          </div>
          {previewError ? <ErrorBox title="This file cannot be used" error={previewError} /> : null}
          {preview ? (
            <div className="row">
              <SelectField
                path="options.delimiter"
                label="Delimiter"
                hint="Detected from the header; change it if the columns look wrong."
                value={delimiter}
                options={DELIMITERS}
                error={errorsUnder(errors, 'options.delimiter')}
                onChange={(value) => {
                  setDelimiter(value);
                  if (file) void load(file, { delimiter: value, encoding });
                }}
              />
              <TextField
                path="options.quote"
                label="Quote character"
                value={quote}
                className="narrow"
                error={errorsUnder(errors, 'options.quote')}
                onChange={setQuote}
              />
              <SelectField
                path="options.encoding"
                label="Encoding"
                value={encoding}
                options={ENCODINGS.map((e) => ({ value: e, label: e }))}
                error={errorsUnder(errors, 'options.encoding')}
                onChange={(value) => {
                  setEncoding(value);
                  if (file) void load(file, { delimiter, encoding: value });
                }}
              />
            </div>
          ) : null}
        </section>

        <section className="panel">
          <h2>Source</h2>
          <TextField
            path="name"
            label="Name"
            hint="Unique; shown in identities and merge rules."
            value={name}
            required
            error={errorsUnder(errors, 'name')}
            onChange={setName}
          />
          {preview ? (
            <div className="row">
              <SelectField
                path="primaryKey"
                label="Primary key column"
                hint="Identifies a row within this source (must be unique and not empty)."
                value={primaryKey}
                options={columnOptions}
                required
                error={errorsUnder(errors, 'primaryKey')}
                onChange={choosePrimaryKey}
              />
              <SelectField
                path="lastModifiedColumn"
                label="Last-modified column (optional)"
                hint="Used by the most-recent and least-recent merge policies."
                value={lastModified}
                options={columnOptions}
                placeholder="None"
                error={errorsUnder(errors, 'lastModifiedColumn')}
                onChange={setLastModified}
              />
            </div>
          ) : null}
        </section>

        {preview ? (
          <section className="panel">
            <h2>Columns → customer fields</h2>
            <p className="muted">
              {preview.columns.length} columns. Field names are identifiers (email, firstName,
              contactId…); the same field in two sources must have the same type.
            </p>
            <TableWrap label="Columns">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Column</th>
                    <th scope="col">Example</th>
                    <th scope="col">Customer field</th>
                    <th scope="col">Type</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row, index) => {
                    const error =
                      errorsUnder(errors, `columns.${row.column}`) ??
                      (row.field ? errorsUnder(errors, `mapping.${row.field}`) : undefined);
                    const other = row.field ? existing.get(row.field) : undefined;
                    const mismatch = other && other.type !== row.type;
                    const update = (patch: Partial<MappingRow>) => {
                      setRows(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)));
                    };
                    const id = fieldId(`columns.${row.column}`);
                    return (
                      <tr key={row.column} className={error ? 'field-invalid' : undefined}>
                        <th scope="row">
                          <code>{row.column}</code>
                        </th>
                        <td className="muted small">{row.sample.slice(0, 40)}</td>
                        <td>
                          <input
                            id={id}
                            aria-label={`Customer field for column ${row.column}`}
                            list="known-fields"
                            value={row.field}
                            placeholder="(raw attribute only)"
                            aria-invalid={error ? true : undefined}
                            aria-describedby={error ? `${id}-error` : undefined}
                            onChange={(event) => {
                              update({ field: event.target.value.trim() });
                            }}
                          />
                          {row.field ? (
                            <span id={fieldId(`mapping.${row.field}`)} data-control={id} />
                          ) : null}
                          {error ? (
                            <div className="field-error" id={`${id}-error`} role="alert">
                              {error}
                            </div>
                          ) : null}
                          {mismatch ? (
                            <div className="hint">
                              {row.field} is a {other.type} field in {other.sources.join(', ')}.
                            </div>
                          ) : null}
                        </td>
                        <td>
                          <select
                            aria-label={`Type of column ${row.column}`}
                            value={row.type}
                            onChange={(event) => {
                              update({ type: event.target.value as FieldType });
                            }}
                          >
                            {TYPES.map((t) => (
                              <option key={t.value} value={t.value}>
                                {t.label}
                              </option>
                            ))}
                          </select>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableWrap>
            <datalist id="known-fields">
              {(fields.data ?? [])
                .filter((f) => f.name !== 'customerId')
                .map((f) => (
                  <option key={f.name} value={f.name} />
                ))}
            </datalist>
          </section>
        ) : null}

        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create source and upload'}
          </button>
          <Link to="/sources">Cancel</Link>
        </div>
      </form>
    </>
  );
}
