/** A step of the demo failed: what was asked, and what the API answered. */
export class DemoError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DemoError';
  }
}

/**
 * The Audience Sync REST API as the demo uses it: JSON in and out, the admin token, and errors
 * that say which call failed and why (the API's own message and details).
 */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PUT', path, body);
  }

  /** Sends a CSV file as the raw body of an upload. */
  upload<T>(path: string, csv: string): Promise<T> {
    return this.call<T>('POST', path, csv, 'text/csv');
  }

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'Content-Type': contentType }),
        },
        body:
          body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
    } catch (error) {
      throw new DemoError(`${method} ${path}: no answer from Audience Sync (${String(error)})`, {
        cause: error,
      });
    }
    const text = await response.text();
    const parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
    if (!response.ok) {
      const problem = parsed as
        { message?: string; details?: { path?: string; message: string }[] } | undefined;
      const details = (problem?.details ?? [])
        .map((d) => `\n      ${d.path ? `${d.path}: ` : ''}${d.message}`)
        .join('');
      throw new DemoError(
        `${method} ${path} answered ${response.status}: ${problem?.message ?? text}${details}`,
      );
    }
    return parsed as T;
  }
}
