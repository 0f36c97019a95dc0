import type { ConnectionTestResult } from '../../api/types';
import { Figures } from '../../components/Figures';

/** The answer of "Test connection": what was checked, or what is wrong, in words. */
export function ConnectionTestOutcome({ result }: { result: ConnectionTestResult }) {
  return (
    <div
      className={result.ok ? 'notice notice-ok' : 'error-box'}
      role={result.ok ? 'status' : 'alert'}
      data-testid="connection-test"
    >
      <strong>{result.ok ? 'Connection works.' : 'Connection failed.'}</strong> {result.message}
      {result.details ? <Figures figures={result.details} className="facts small" /> : null}
    </div>
  );
}
