import { Injectable } from '@nestjs/common';
import { normalizeIp, ThrottlerStorageService } from '@nestjs/throttler';
import { AppConfig } from '@platform/config/app-config';

const WINDOW_MS = 60_000;
const THROTTLER = 'auth-failures';

/**
 * Failed authentications per client, counted over a sliding minute in @nestjs/throttler's
 * storage: past `AUTH_FAILURE_LIMIT` the client is blocked for a minute. The client is its IP
 * address (an IPv6 address by its /64 network, which one host usually holds whole), as
 * Express sees it: the proxy's unless TRUST_PROXY names it. Successful authentications are not
 * counted at all.
 */
@Injectable()
export class AuthFailureLimit {
  constructor(
    private readonly config: AppConfig,
    private readonly storage: ThrottlerStorageService,
  ) {}

  /** Seconds until the client may authenticate again; 0 when it may now. */
  blockedFor(client: string): number {
    const record = this.storage.storage.get(key(client));
    const ms = record?.isBlocked ? record.blockExpiresAt - Date.now() : 0;
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  /** Counts a failure: the seconds the client is now blocked for (0 while under the limit). */
  async failed(client: string): Promise<number> {
    const { isBlocked, timeToBlockExpire } = await this.storage.increment(
      key(client),
      WINDOW_MS,
      this.config.AUTH_FAILURE_LIMIT,
      WINDOW_MS,
      THROTTLER,
    );
    return isBlocked ? Math.max(1, timeToBlockExpire) : 0;
  }
}

function key(client: string): string {
  return `${THROTTLER}:${normalizeIp(client)}`;
}
