import type { MergePolicy } from '../../api/types';
import { fieldId } from '../../forms/errors';

const KINDS = [
  { value: 'mostRecent', label: 'Most recent record' },
  { value: 'leastRecent', label: 'Least recent record' },
  { value: 'sourcePriority', label: 'Source priority' },
];

/** Edits one merge policy: most / least recent, or an ordered list of sources. */
export function PolicyEditor({
  path,
  label,
  value,
  onChange,
  sources,
  error,
}: {
  path: string;
  label: string;
  value: MergePolicy;
  onChange: (value: MergePolicy) => void;
  sources: string[];
  error?: string;
}) {
  const kind = typeof value === 'string' ? value : 'sourcePriority';
  const order =
    typeof value === 'string'
      ? sources
      : [...value.sourcePriority, ...sources.filter((s) => !value.sourcePriority.includes(s))];
  const id = fieldId(path);
  const move = (index: number, delta: number) => {
    const next = [...order];
    const [item] = next.splice(index, 1);
    next.splice(index + delta, 0, item);
    onChange({ sourcePriority: next });
  };
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {error ? (
        <div className="field-error" role="alert" id={`${id}-error`}>
          {error}
        </div>
      ) : null}
      <select
        id={id}
        className="narrow"
        value={kind}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => {
          const k = event.target.value;
          onChange(k === 'sourcePriority' ? { sourcePriority: sources } : (k as MergePolicy));
        }}
      >
        {KINDS.map((k) => (
          <option key={k.value} value={k.value}>
            {k.label}
          </option>
        ))}
      </select>
      {kind === 'sourcePriority' ? (
        <ol className="priority" aria-label={`${label}: sources, most trusted first`}>
          {order.map((source, index) => (
            <li key={source}>
              {source}{' '}
              <button
                type="button"
                className="small"
                disabled={index === 0}
                aria-label={`Move ${source} up`}
                onClick={() => {
                  move(index, -1);
                }}
              >
                ↑
              </button>{' '}
              <button
                type="button"
                className="small"
                disabled={index === order.length - 1}
                aria-label={`Move ${source} down`}
                onClick={() => {
                  move(index, 1);
                }}
              >
                ↓
              </button>
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
