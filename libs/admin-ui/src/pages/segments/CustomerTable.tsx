import { Link } from 'react-router';
import type { CustomerRow } from '../../api/types';
import { TableWrap } from '../../components/TableWrap';

const PREFERRED = ['email', 'firstName', 'lastName', 'fullName', 'city', 'contactId'];

/** Customers with a few of their fields (the common ones first). */
export function CustomerTable({
  rows,
  caption,
  maxColumns = 6,
}: {
  rows: CustomerRow[];
  caption?: string;
  /** Fields shown beside the customer ID. */
  maxColumns?: number;
}) {
  const names = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row.fields ?? {})) names.add(key);
  const columns = [
    ...PREFERRED.filter((n) => names.has(n)),
    ...[...names].filter((n) => !PREFERRED.includes(n)).sort(),
  ].slice(0, maxColumns);
  return (
    <TableWrap label={caption}>
      <table>
        {caption ? <caption className="muted small">{caption}</caption> : null}
        <thead>
          <tr>
            <th scope="col">Customer ID</th>
            {columns.map((c) => (
              <th scope="col" key={c}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.customerId}>
              <td>
                <Link to={`/customers/${encodeURIComponent(row.customerId)}`}>
                  <code>{row.customerId}</code>
                </Link>
              </td>
              {columns.map((c) => (
                <td key={c}>
                  {row.fields ? fieldText(row.fields[c]) : <span className="muted">gone</span>}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** A customer field's value as text (fields hold strings, numbers and booleans). */
function fieldText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
}
