import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { DEFAULT_AUTHORITY_HOSTS } from './clouds';
import type { HttpTransport } from './http-transport';
import { checkServerLink } from './server-links';

/**
 * MSAL's `system.networkClient`: its discovery, device-code and token calls go through the same
 * allow-listed transport and HTTPS agent (extra CAs, keep-alive) as the Dataverse calls. Same
 * contract as msal-node's own HttpClient: JSON bodies parsed, lower-case header names, the status
 * as answered (MSAL reads error JSON from non-2xx answers itself).
 *
 * Every call must stay on the authority's origin: MSAL takes the token and device-code endpoints
 * from the OpenID configuration the sign-in host answers, and the client secret (or the refresh
 * token) goes to them. A Microsoft sign-in host may name another Microsoft sign-in host.
 *
 * The last transport failure is kept so that a caller can explain a failed sign-in ("certificate
 * not trusted") even when MSAL reports it as a generic network error.
 */
export class MsalNetworkClient implements INetworkModule {
  lastFailure: unknown = null;
  /**
   * The last OAuth error answer (`{error, error_description: "AADSTS…"}`) seen, e.g. on the
   * OpenID configuration of an unknown tenant, which MSAL reports only as "endpoints resolution".
   */
  lastServerError: { error?: string; error_description?: string; error_codes?: number[] } | null =
    null;

  private readonly microsoftAuthority: boolean;

  /** @param authority the MSAL authority (`https://host[:port]/<tenant>/`) this client serves. */
  constructor(
    private readonly transport: HttpTransport,
    private readonly authority: string,
  ) {
    this.microsoftAuthority = isMicrosoftSignIn(new URL(authority));
  }

  /** Forgets what earlier calls saw (before a new token request). */
  reset(): void {
    this.lastFailure = null;
    this.lastServerError = null;
  }

  sendGetRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private async send<T>(
    method: 'GET' | 'POST',
    url: string,
    options: NetworkRequestOptions | undefined,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    const signal = timeout ? AbortSignal.timeout(timeout) : undefined;
    try {
      checkServerLink(
        url,
        this.authority,
        { server: 'The sign-in service', what: 'an endpoint' },
        (target) => this.microsoftAuthority && isMicrosoftSignIn(target),
      );
      const response = await this.transport.send({
        method,
        url,
        headers: options?.headers,
        body: method === 'POST' ? (options?.body ?? '') : undefined,
        signal,
      });
      let body: T;
      try {
        body = (response.body === '' ? {} : JSON.parse(response.body)) as T;
      } catch {
        throw new Error(
          `The sign-in service at ${new URL(url).host} answered ${response.status} without JSON; is the authority address right?`,
        );
      }
      if (response.status >= 400 && typeof body === 'object' && body !== null && 'error' in body) {
        this.lastServerError = body as MsalNetworkClient['lastServerError'];
      }
      return { headers: response.headers, body, status: response.status };
    } catch (error) {
      this.lastFailure = error;
      throw error;
    }
  }
}

/** One of Microsoft's own Entra ID hosts, over https on the default port. */
function isMicrosoftSignIn(url: URL): boolean {
  return (
    url.protocol === 'https:' &&
    url.port === '' &&
    DEFAULT_AUTHORITY_HOSTS.includes(url.hostname.toLowerCase())
  );
}
