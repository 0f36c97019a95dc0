import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import { AddressPolicy, AddressRefused, hostOf } from './address-policy';

/** How long one webhook delivery may take (connect, answer), before it counts as failed. */
const TIMEOUT_MS = 10_000;
/** How much of a refusing answer's body the delivery log keeps. */
const BODY_EXCERPT = 300;

export const SIGNATURE_HEADER = 'x-audience-sync-signature';
export const EVENT_ID_HEADER = 'x-audience-sync-event-id';
export const EVENT_TYPE_HEADER = 'x-audience-sync-event';
export const TIMESTAMP_HEADER = 'x-audience-sync-timestamp';

/** What one attempt came to. `permanent`: retrying cannot help (a refused address). */
export interface SendOutcome {
  ok: boolean;
  responseCode: number | null;
  error: string | null;
  permanent?: boolean;
}

/** `sha256=<hex>`: HMAC-SHA256 of the raw body with the channel's secret. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * Posts a notification to a webhook with undici: the JSON body signed in
 * `X-Audience-Sync-Signature`, with the event id and the time of sending, within a timeout.
 * Redirects are not followed (a redirect could lead to an address the policy refuses), and
 * every connection goes through the address policy's lookup.
 */
export class WebhookSender {
  private readonly agent: Agent;

  constructor(private readonly policy: AddressPolicy) {
    this.agent = new Agent({ connect: { lookup: policy.lookup, timeout: TIMEOUT_MS } });
  }

  async send(
    url: string,
    secret: string,
    event: { id: string; type: string },
    body: string,
  ): Promise<SendOutcome> {
    const target = new URL(url);
    // IP literals never reach the lookup hook: check them here; names are checked at connect.
    if (isIP(hostOf(target)) !== 0) {
      const problem = await this.policy.problem(target);
      if (problem) return { ok: false, responseCode: null, error: problem, permanent: true };
    }
    try {
      const res = await request(target, {
        method: 'POST',
        dispatcher: this.agent,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Audience-Sync-Webhook',
          [SIGNATURE_HEADER]: signature(secret, body),
          [EVENT_ID_HEADER]: event.id,
          [EVENT_TYPE_HEADER]: event.type,
          [TIMESTAMP_HEADER]: new Date().toISOString(),
        },
        body,
      });
      const text = await res.body.text();
      if (res.statusCode >= 200 && res.statusCode < 300) {
        return { ok: true, responseCode: res.statusCode, error: null };
      }
      const excerpt = text.trim().slice(0, BODY_EXCERPT);
      return {
        ok: false,
        responseCode: res.statusCode,
        error: `the webhook answered ${res.statusCode}${excerpt ? `: ${excerpt}` : ''}`,
      };
    } catch (error) {
      const cause = causeOf(error);
      if (cause instanceof AddressRefused) {
        return { ok: false, responseCode: null, error: cause.message, permanent: true };
      }
      return { ok: false, responseCode: null, error: describe(error) };
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

function causeOf(error: unknown): unknown {
  let e = error;
  for (let i = 0; i < 5 && e instanceof Error; i++) {
    if (e instanceof AddressRefused) return e;
    e = e.cause;
  }
  return e;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError' || error.name === 'AbortError') {
    return `no answer within ${TIMEOUT_MS / 1000} s`;
  }
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
