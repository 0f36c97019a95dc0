import type { HttpRequest, HttpResponse, HttpTransport } from './http-transport';
import { MsalNetworkClient } from './msal-network-client';
import { FOREIGN_LINK } from './server-links';

/** A transport that answers `{}` and remembers where it was sent. */
function recordingTransport(): { transport: HttpTransport; urls: string[] } {
  const urls: string[] = [];
  const transport = {
    send: (req: HttpRequest): Promise<HttpResponse> => {
      urls.push(req.url);
      return Promise.resolve({ status: 200, headers: {}, body: '{}' });
    },
  } as unknown as HttpTransport;
  return { transport, urls };
}

describe('MsalNetworkClient', () => {
  it('sends nothing (no client secret) to an endpoint the OpenID configuration puts on another host', async () => {
    const { transport, urls } = recordingTransport();
    const network = new MsalNetworkClient(transport, 'https://login.example.test:8443/tenant/');
    await network.sendGetRequestAsync(
      'https://login.example.test:8443/tenant/v2.0/.well-known/openid-configuration',
    );
    for (const endpoint of [
      'https://collector.example.test/tenant/oauth2/v2.0/token',
      'https://login.example.test/tenant/oauth2/v2.0/token', // another port
      'http://login.example.test:8443/tenant/oauth2/v2.0/token', // another scheme
      'https://login.microsoftonline.com/tenant/oauth2/v2.0/token',
    ]) {
      await expect(
        network.sendPostRequestAsync(endpoint, { body: 'client_secret=s3cret' }),
      ).rejects.toMatchObject({
        code: FOREIGN_LINK,
        message: expect.stringMatching(
          /^The sign-in service answered an endpoint that points to .*, not to https:\/\/login\.example\.test:8443; refused/,
        ),
      });
    }
    expect(urls).toEqual([
      'https://login.example.test:8443/tenant/v2.0/.well-known/openid-configuration',
    ]);
    expect(network.lastFailure).toMatchObject({ code: FOREIGN_LINK });
  });

  it("lets a Microsoft sign-in host name another of Microsoft's sign-in hosts", async () => {
    const { transport, urls } = recordingTransport();
    const network = new MsalNetworkClient(transport, 'https://login.windows.net/tenant/');
    await network.sendPostRequestAsync(
      'https://login.microsoftonline.com/tenant/oauth2/v2.0/token',
    );
    await expect(
      network.sendPostRequestAsync('https://login.example.test/tenant/oauth2/v2.0/token'),
    ).rejects.toMatchObject({ code: FOREIGN_LINK });
    expect(urls).toEqual(['https://login.microsoftonline.com/tenant/oauth2/v2.0/token']);
  });
});
