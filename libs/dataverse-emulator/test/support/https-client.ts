import { Agent, request } from 'undici';

export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read loosely typed JSON bodies
  json: any;
}

/**
 * An HTTPS client on undici that trusts the emulator's CA (and nothing is switched off: the
 * certificate and host name are checked as for any server).
 */
export class HttpsClient {
  readonly agent: Agent;

  constructor(caCertPem: string, options: { connections?: number } = {}) {
    this.agent = new Agent({ connect: { ca: caCertPem }, connections: options.connections ?? 64 });
  }

  async send(
    method: string,
    url: string,
    options: { headers?: Record<string, string>; body?: string | object } = {},
  ): Promise<HttpResult> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (typeof options.body === 'string') body = options.body;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await request(url, {
      method: method as 'GET',
      headers,
      body,
      dispatcher: this.agent,
    });
    const text = await response.body.text();
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(response.headers))
      flat[k] = Array.isArray(v) ? v.join(', ') : String(v);
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, headers: flat, text, json };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** A Dataverse Web API client with the documented request headers and a bearer token. */
export class DataverseClient {
  constructor(
    readonly http: HttpsClient,
    readonly apiUrl: string,
    public token: string,
  ) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      accept: 'application/json',
      'odata-maxversion': '4.0',
      'odata-version': '4.0',
      'if-none-match': 'null',
      authorization: `Bearer ${this.token}`,
      ...extra,
    };
  }

  url(path: string): string {
    return path.startsWith('https://') ? path : `${this.apiUrl}/${path}`;
  }

  get(path: string, headers?: Record<string, string>): Promise<HttpResult> {
    return this.http.send('GET', this.url(path), { headers: this.headers(headers) });
  }

  post(
    path: string,
    body?: string | object,
    headers?: Record<string, string>,
  ): Promise<HttpResult> {
    return this.http.send('POST', this.url(path), { headers: this.headers(headers), body });
  }

  patch(path: string, body: object, headers?: Record<string, string>): Promise<HttpResult> {
    return this.http.send('PATCH', this.url(path), { headers: this.headers(headers), body });
  }

  delete(path: string, headers?: Record<string, string>): Promise<HttpResult> {
    return this.http.send('DELETE', this.url(path), { headers: this.headers(headers) });
  }
}
