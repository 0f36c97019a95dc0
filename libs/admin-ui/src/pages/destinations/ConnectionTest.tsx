import type { ConnectionTestResult } from '../../api/types';

/** The answer of "Test connection": what was checked, or what is wrong, in words. */
export function ConnectionTestOutcome({ result }: { result: ConnectionTestResult }) {
  const details = Object.entries(result.details ?? {});
  return (
    <div
      className={result.ok ? 'notice notice-ok' : 'error-box'}
      role={result.ok ? 'status' : 'alert'}
      data-testid="connection-test"
    >
      <strong>{result.ok ? 'Connection works.' : 'Connection failed.'}</strong> {result.message}
      {details.length > 0 ? (
        <dl className="facts small">
          {details.map(([key, value]) => (
            <div key={key} className="fact">
              <dt>{key}</dt>
              <dd>{String(value)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </div>
  );
}
