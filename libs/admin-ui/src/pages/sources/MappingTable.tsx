import type { FieldType } from '../../api/types';
import { errorsUnder, fieldId, type FormErrors } from '../../forms/errors';
import { FIELD_NAME } from './csv-preview';
import { TableWrap } from '../../components/TableWrap';

/** One mapped column: the customer field, the source column that holds it, its type. */
export interface MappingRow {
  field: string;
  column: string;
  type: FieldType;
}

export const FIELD_TYPES: { value: FieldType; label: string }[] = [
  { value: 'string', label: 'Text' },
  { value: 'number', label: 'Number' },
  { value: 'date', label: 'Date' },
  { value: 'boolean', label: 'Yes / no' },
];

/** Problems found in the browser, by row (`rows[1].field`). */
export function checkRows(rows: MappingRow[]): Record<string, string> {
  const found: Record<string, string> = {};
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (!FIELD_NAME.test(row.field)) {
      found[`rows[${i}].field`] =
        'Use letters, digits and _, starting with a letter (e.g. email, firstName).';
    } else if (row.field === 'customerId') {
      found[`rows[${i}].field`] = 'customerId is given by unification; choose another name.';
    } else if (seen.has(row.field)) {
      found[`rows[${i}].field`] = `${row.field} is mapped twice.`;
    }
    if (!row.column.trim()) found[`rows[${i}].column`] = 'Choose the column that holds it.';
    seen.add(row.field);
  });
  return found;
}

export function toMapping(rows: MappingRow[]): Record<string, { column: string; type: FieldType }> {
  return Object.fromEntries(rows.map((r) => [r.field, { column: r.column.trim(), type: r.type }]));
}

/** The options with the current value among them (a column not seen in the records shown). */
export function withValue(options: string[], value: string): string[] {
  return value && !options.includes(value) ? [value, ...options] : options;
}

/**
 * Edits a mapping as rows. Messages are found by row (`rows[1].field`, from the browser) or by
 * field (`mapping.email.type`, from the server).
 */
export function MappingTable({
  rows,
  onChange,
  errors,
  columnsList,
  columns,
}: {
  rows: MappingRow[];
  onChange: (rows: MappingRow[]) => void;
  errors: FormErrors;
  /** id of a <datalist> of known column names. */
  columnsList?: string;
  /** The source's columns: given, each row chooses its column from them (as on creation). */
  columns?: string[];
}) {
  const update = (index: number, patch: Partial<MappingRow>) => {
    onChange(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  };
  return (
    <>
      <TableWrap label="Columns">
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
              const fieldError =
                errors.fields[`rows[${index}].field`] ??
                (row.field ? errorsUnder(errors, `mapping.${row.field}`) : undefined);
              const columnError = errors.fields[`rows[${index}].column`];
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
                    {columns ? (
                      <select
                        id={cid}
                        aria-label={`Column of mapping ${index + 1}`}
                        value={row.column}
                        aria-invalid={columnError ? true : undefined}
                        aria-describedby={columnError ? `${cid}-error` : undefined}
                        onChange={(event) => {
                          update(index, { column: event.target.value });
                        }}
                      >
                        <option value="">Choose a column…</option>
                        {withValue(columns, row.column).map((c) => (
                          <option key={c} value={c}>
                            {c}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <input
                        id={cid}
                        aria-label={`Column of mapping ${index + 1}`}
                        list={columnsList}
                        value={row.column}
                        aria-invalid={columnError ? true : undefined}
                        aria-describedby={columnError ? `${cid}-error` : undefined}
                        onChange={(event) => {
                          update(index, { column: event.target.value });
                        }}
                      />
                    )}
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
                      {FIELD_TYPES.map((t) => (
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
                        onChange(rows.filter((_, i) => i !== index));
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
      </TableWrap>
      <button
        type="button"
        onClick={() => {
          onChange([...rows, { field: '', column: '', type: 'string' }]);
        }}
      >
        Add a mapped column
      </button>
    </>
  );
}
