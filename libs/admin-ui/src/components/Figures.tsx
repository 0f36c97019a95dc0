import { humanize } from '../schema-form/schema';

/**
 * Words for the figures runs and checks report. Figures for engineers (timings, transactions,
 * worker counts, ids, hints) are shown only under "Details".
 */
const WORDS: Record<string, string> = {
  sources: 'Sources',
  sourceRecords: 'Source records',
  customers: 'Customers',
  recordsMerged: 'Records merged into a customer',
  customersSplit: 'Customers split',
  recordsRead: 'Records read',
  rowsRead: 'Rows read',
  rowsStored: 'Records stored',
  rowsRejected: 'Rows rejected',
  segments: 'Segments',
  members: 'Members',
  added: 'Added',
  removed: 'Removed',
  skipped: 'Skipped',
  failed: 'Failed',
  exports: 'Exports',
  destinations: 'Destinations',
  organizationId: 'Organization',
  userId: 'Signed-in user',
};

/** Keys that only matter to an engineer: timings, transaction counts, ids, hints, workers. */
const TECHNICAL =
  /(Ms|Id|Hint|[Ww]orker|^transactions|^requests|^throttled|^records(Keyed|Recomputed)|^pages)$/;

/** `merges[same email]` → `Merged by rule “same email”`; otherwise the word list or the key humanized. */
export function figureLabel(key: string): string {
  const rule = /^merges\[(.*)\]$/.exec(key);
  if (rule) return `Merged by rule “${rule[1]}”`;
  return WORDS[key] ?? humanize(key.replace(/\./g, ' '));
}

export function isTechnical(key: string): boolean {
  return !(key in WORDS) && TECHNICAL.test(key.split('.').at(-1) ?? key);
}

function text(value: unknown): string {
  if (typeof value === 'number') return value.toLocaleString();
  return typeof value === 'string' || typeof value === 'boolean' ? String(value) : '';
}

/** A list of figures in words, the technical ones behind a "Details" disclosure. */
export function Figures({
  figures,
  className = 'figures',
}: {
  figures: Record<string, unknown>;
  className?: string;
}) {
  const entries = Object.entries(figures);
  const plain = entries.filter(([key]) => !isTechnical(key));
  const technical = entries.filter(([key]) => isTechnical(key));
  return (
    <>
      {plain.length > 0 ? (
        <dl className={className}>
          {plain.map(([key, value]) => (
            <div className="fact" key={key}>
              <dt>{figureLabel(key)}</dt>
              <dd>{text(value)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {technical.length > 0 ? (
        <details className="details">
          <summary>Details</summary>
          <dl className={className}>
            {technical.map(([key, value]) => (
              <div className="fact" key={key}>
                <dt>
                  <code>{key}</code>
                </dt>
                <dd className="value">{text(value)}</dd>
              </div>
            ))}
          </dl>
        </details>
      ) : null}
    </>
  );
}
