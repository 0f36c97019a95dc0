import 'reflect-metadata'; // @peculiar/x509 uses tsyringe, which needs the Reflect polyfill
import * as x509 from '@peculiar/x509';
import { randomBytes, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export interface TlsMaterial {
  caCertPem: string;
  certPem: string;
  keyPem: string;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const FILES = { ca: 'ca.pem', caKey: 'ca-key.pem', cert: 'server.pem', key: 'server-key.pem' };
const DAY_MS = 86_400_000;

/**
 * Loads the CA and server certificate from `dir` when all four files are there, otherwise
 * generates them (ECDSA P-256: a CA valid 10 years, a server certificate for localhost,
 * 127.0.0.1 and ::1 valid 1 year) and, with `dir`, saves them (keys with mode 0600).
 */
export async function loadOrCreateTls(dir?: string): Promise<TlsMaterial> {
  if (dir) {
    const paths = Object.values(FILES).map((f) => join(dir, f));
    if (paths.every((p) => existsSync(p))) {
      const [ca, , cert, key] = paths.map((p) => readFileSync(p, 'utf8'));
      return { caCertPem: ca, certPem: cert, keyPem: key };
    }
  }
  const { material, caKeyPem } = await generateTls();
  if (dir) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, FILES.ca), material.caCertPem);
    writeFileSync(join(dir, FILES.caKey), caKeyPem, { mode: 0o600 });
    writeFileSync(join(dir, FILES.cert), material.certPem);
    writeFileSync(join(dir, FILES.key), material.keyPem, { mode: 0o600 });
  }
  return material;
}

export function caCertFile(dir: string): string {
  return join(dir, FILES.ca);
}

async function generateTls(): Promise<{ material: TlsMaterial; caKeyPem: string }> {
  const subtle = webcrypto.subtle;
  const now = Date.now();
  const caKeys = await subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=Audience Sync Dataverse Emulator CA, O=Audience Sync',
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 3650 * DAY_MS),
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const serverKeys = await subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=localhost',
    issuer: ca.subject,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 365 * DAY_MS),
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca, false),
    ],
  });
  return {
    material: {
      caCertPem: ca.toString('pem'),
      certPem: cert.toString('pem'),
      keyPem: await privateKeyPem(serverKeys.privateKey),
    },
    caKeyPem: await privateKeyPem(caKeys.privateKey),
  };
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f; // positive
  return bytes.toString('hex');
}
