import { generateKeyPairSync, randomBytes } from 'node:crypto';
import * as forge from 'node-forge';

/** A CA and a server certificate signed by it, all PEM. */
export interface TlsMaterial {
  caPem: string;
  caKeyPem: string;
  certPem: string;
  keyPem: string;
}

/**
 * RSA keys come from node:crypto (native, fast); node-forge only builds and signs the X.509
 * structures, which Node cannot do itself. Both are RSA-2048/SHA-256 so every TLS stack accepts them.
 */
function rsaKeyPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function serial(): string {
  // Positive, 16 bytes: a leading 0x00..0x7f byte keeps the DER INTEGER non-negative.
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

function validity(cert: forge.pki.Certificate, days: number): void {
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60 * 1000); // tolerate small clock skew
  cert.validity.notAfter = new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
}

/** A self-signed CA for the sandbox ("kwi sandbox CA"). Kept next to the state so trust survives restarts. */
export function createCa(): { caPem: string; caKeyPem: string } {
  const keys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicPem);
  cert.serialNumber = serial();
  validity(cert, 3650);
  const subject = [
    { name: 'commonName', value: 'kwi sandbox CA' },
    { name: 'organizationName', value: 'kwi sandbox (local only)' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  const key = forge.pki.privateKeyFromPem(keys.privatePem);
  cert.sign(key, forge.md.sha256.create());
  return { caPem: forge.pki.certificateToPem(cert), caKeyPem: keys.privatePem };
}

/** A server certificate for 127.0.0.1 and localhost only (the sandbox never binds anything else). */
export function createServerCertificate(caPem: string, caKeyPem: string): { certPem: string; keyPem: string } {
  const ca = forge.pki.certificateFromPem(caPem);
  const keys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicPem);
  cert.serialNumber = serial();
  validity(cert, 825); // the longest validity macOS/Chromium accept for a server certificate
  cert.setSubject([{ name: 'commonName', value: '127.0.0.1' }]);
  cert.setIssuer(ca.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
      ],
    },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(caKeyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privatePem };
}

export function createTlsMaterial(existing?: { caPem: string; caKeyPem: string }): TlsMaterial {
  const ca = existing ?? createCa();
  return { ...ca, ...createServerCertificate(ca.caPem, ca.caKeyPem) };
}

/**
 * A server certificate for one public host name (the HTTPS proxy's TLS termination), signed by
 * the sandbox CA. Clients trust it only where they were told to trust that CA.
 */
export function createHostCertificate(
  caPem: string,
  caKeyPem: string,
  host: string,
): { certPem: string; keyPem: string } {
  const ca = forge.pki.certificateFromPem(caPem);
  const keys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicPem);
  cert.serialNumber = serial();
  validity(cert, 825);
  cert.setSubject([{ name: 'commonName', value: host }]);
  cert.setIssuer(ca.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: host }] },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(caKeyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privatePem };
}

/**
 * A self-signed client certificate (RSA-2048, SHA-256) for an application's certificate
 * credential: the private key and the certificate in one PEM, the file the Azure CLI takes as
 * `az login --service-principal -p FILE` and MSAL signs its client assertions with
 * (learn.microsoft.com/entra/identity-platform/certificate-credentials).
 */
export function createClientCertificate(commonName: string): string {
  const keys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicPem);
  cert.serialNumber = serial();
  validity(cert, 730);
  const subject = [{ name: 'commonName', value: commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keys.privatePem), forge.md.sha256.create());
  return `${keys.privatePem}${forge.pki.certificateToPem(cert)}`;
}
