import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { Agent, request } from 'undici';

/**
 * MSAL's `system.networkClient` on an undici Agent that trusts an extra CA: MSAL's default
 * client uses Node's global fetch, which cannot be given a CA at run time.
 */
export class CaTrustingNetworkClient implements INetworkModule {
  private readonly agent: Agent;

  constructor(caCertPem: string) {
    this.agent = new Agent({ connect: { ca: caCertPem } });
  }

  sendGetRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options);
  }

  sendPostRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private async send<T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> {
    const response = await request(url, {
      method,
      headers: options?.headers,
      body: options?.body,
      dispatcher: this.agent,
    });
    const text = await response.body.text();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(response.headers))
      headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
    return { headers, body: (text ? JSON.parse(text) : {}) as T, status: response.statusCode };
  }
}
