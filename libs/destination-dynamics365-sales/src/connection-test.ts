import {
  DataverseErrorKind,
  isDataverseError,
  type DataverseClient,
} from '@audience-sync/dataverse-client';
import type { ConnectionTestResult } from '@audience-sync/exporter-contract';

/**
 * Signs in, calls WhoAmI, then reads marketing lists and contacts (one `$batch`) — the read
 * privileges every export needs. Changes nothing. Each failure says what is wrong in words.
 */
export async function testConnection(
  client: DataverseClient,
  signal: AbortSignal,
): Promise<ConnectionTestResult> {
  const started = Date.now();
  let who;
  try {
    who = await client.whoAmI(signal);
  } catch (error) {
    return failure(error, 'Could not connect');
  }
  const details: Record<string, string | number | boolean> = {
    organizationId: who.OrganizationId,
    userId: who.UserId,
    businessUnitId: who.BusinessUnitId,
  };
  if (client.dopHint !== null) details.parallelismHint = client.dopHint;
  try {
    const answers = await client.batch(
      [
        { method: 'GET', url: 'lists?$select=listid&$top=1' },
        { method: 'GET', url: 'contacts?$select=contactid&$top=1' },
      ],
      { signal, continueOnError: true },
    );
    const refused = answers.filter((answer) => answer.error !== undefined);
    if (refused.length > 0) {
      const what = ['marketing lists', 'contacts'].filter(
        (_, i) => answers[i]?.error !== undefined,
      );
      const reason = refused[0]?.error?.message ?? 'refused';
      return {
        ok: false,
        message: `Signed in, but cannot read ${what.join(' and ')}: ${reason} The user needs a security role that can read, create and write marketing lists and read and append contacts (e.g. Salesperson or Marketing Manager).`,
        details,
      };
    }
  } catch (error) {
    return failure(error, 'Signed in, but could not read marketing lists', details);
  }
  details.latencyMs = Date.now() - started;
  return {
    ok: true,
    message: `Connected to ${client.serverAddress}; marketing lists and contacts can be read. Write privileges are checked by the first export.`,
    details,
  };
}

function failure(
  error: unknown,
  prefix: string,
  details?: Record<string, string | number | boolean>,
): ConnectionTestResult {
  const message = error instanceof Error ? error.message : String(error);
  const kind = isDataverseError(error) ? error.kind : undefined;
  const hint =
    kind === DataverseErrorKind.TEMPORARY ? ' This may be temporary; try again in a moment.' : '';
  return { ok: false, message: `${prefix}: ${message}${hint}`, ...(details ? { details } : {}) };
}
