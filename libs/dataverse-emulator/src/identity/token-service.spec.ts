import { SignJWT } from 'jose';
import { AuthFailure } from './caller';
import { loadDirectory } from './directory';
import { TokenService } from './token-service';

describe('TokenService.verify', () => {
  async function service() {
    const directory = await loadDirectory({ seed: 3 });
    const tokens = new TokenService(directory, {
      seed: 3,
      tokenLifetimeSeconds: 60,
      deviceCodeIntervalSeconds: 5,
      deviceCodeLifetimeSeconds: 900,
    });
    tokens.setOrigin('https://127.0.0.1:1234');
    return { directory, tokens };
  }

  async function sign(
    directory: Awaited<ReturnType<typeof loadDirectory>>,
    claims: Record<string, unknown>,
    issuer: string,
    audience: string,
  ) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      idtyp: 'app',
      oid: directory.servicePrincipalId,
      appid: directory.clientId,
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: directory.signingKey.kid })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(directory.signingKey.privateKey);
  }

  it('accepts its own tokens for the org, with or without a trailing slash', async () => {
    const { directory, tokens } = await service();
    for (const aud of [tokens.orgUrl, `${tokens.orgUrl}/`]) {
      const caller = await tokens.verify(`Bearer ${await sign(directory, {}, tokens.issuer, aud)}`);
      expect(caller).toMatchObject({
        kind: 'application',
        systemUserId: directory.applicationUserId,
      });
    }
  });

  it('refuses a correctly signed token for another audience or issuer', async () => {
    const { directory, tokens } = await service();
    const otherAudience = await sign(directory, {}, tokens.issuer, 'https://graph.microsoft.com');
    await expect(tokens.verify(`Bearer ${otherAudience}`)).rejects.toMatchObject({
      reason: 'audience',
    });
    const otherIssuer = await sign(
      directory,
      {},
      'https://login.microsoftonline.com/x/v2.0',
      tokens.orgUrl,
    );
    await expect(tokens.verify(`Bearer ${otherIssuer}`)).rejects.toBeInstanceOf(AuthFailure);
    await expect(tokens.verify(undefined)).rejects.toMatchObject({ reason: 'missing' });
    await expect(tokens.verify('Basic abc')).rejects.toMatchObject({ reason: 'missing' });
  });
});
