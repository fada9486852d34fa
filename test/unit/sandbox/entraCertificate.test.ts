import assert from 'node:assert/strict';
import { createHash, createPrivateKey, sign, X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ClientCertificateCredential } from '@azure/identity';
import { createClientCertificate } from '../../../src/sandbox/tls';
import { rawRequest, startHarness, type Harness } from './sandboxClients';

/**
 * The developer principal's certificate credential: MSAL Node (through @azure/identity) signs in
 * with the PEM the sandbox writes, and Entra's checks on a client assertion refuse what the real
 * service refuses (learn.microsoft.com/entra/identity-platform/certificate-credentials).
 */
describe('sandbox Entra ID: the developer certificate credential', () => {
  let h: Harness;
  let pem: string;
  before(async () => {
    h = await startHarness();
    pem = readFileSync(h.sandbox.developerCertificateFile(), 'utf8');
  });
  after(async () => {
    await h.sandbox.close();
  });

  /** A client assertion as MSAL for Python builds it: RS256, padded base64url `x5t`, aud = the token endpoint. */
  const assertion = (
    keyPem: string,
    certPem: string,
    claims: Partial<Record<'iss' | 'sub' | 'aud' | 'exp' | 'nbf', unknown>> = {},
  ): string => {
    const der = new X509Certificate(certPem).raw;
    const x5t = createHash('sha1').update(der).digest('base64url') + '=';
    const now = Math.floor(Date.now() / 1000);
    const body = {
      iss: h.sandbox.developer.clientId,
      sub: h.sandbox.developer.clientId,
      aud: `${h.sandbox.origin}/${h.sandbox.tenantId}/oauth2/v2.0/token`,
      exp: now + 600,
      nbf: now,
      jti: String(now),
      ...claims,
    };
    const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    const input = `${enc({ alg: 'RS256', typ: 'JWT', x5t })}.${enc(body)}`;
    return `${input}.${sign('sha256', Buffer.from(input), createPrivateKey(keyPem)).toString('base64url')}`;
  };
  const exchange = (clientAssertion: string): ReturnType<typeof rawRequest> =>
    rawRequest(h.sandbox, 'POST', `/${h.sandbox.tenantId}/oauth2/v2.0/token`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: h.sandbox.developer.clientId,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: clientAssertion,
        scope: 'https://management.azure.com/.default',
      }).toString(),
    });
  const codes = (r: Awaited<ReturnType<typeof rawRequest>>): number[] =>
    (r.json() as { error_codes: number[] }).error_codes;

  it('writes one PEM with the private key and the certificate, mode 0600', () => {
    assert.match(pem, /-----BEGIN RSA PRIVATE KEY-----[\s\S]+-----BEGIN CERTIFICATE-----/);
    assert.equal(statSync(h.sandbox.developerCertificateFile()).mode & 0o777, 0o600);
  });

  it('ClientCertificateCredential (MSAL Node) signs in with that file and gets an ARM token for the developer', async () => {
    const credential = new ClientCertificateCredential(
      h.sandbox.tenantId,
      h.sandbox.developer.clientId,
      { certificatePath: h.sandbox.developerCertificateFile() },
      {
        authorityHost: h.sandbox.authorityHost,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: h.sandbox.caPem },
      } as ConstructorParameters<typeof ClientCertificateCredential>[3],
    );
    const token = await credential.getToken('https://management.azure.com/.default');
    const claims = JSON.parse(Buffer.from(token.token.split('.')[1]!, 'base64url').toString('utf8')) as {
      oid: string;
    };
    assert.equal(claims.oid, h.sandbox.developer.objectId);
  });

  it('accepts an RS256 assertion with a padded x5t (MSAL for Python), and refuses what Entra refuses', async () => {
    const key = pem.slice(0, pem.indexOf('-----BEGIN CERTIFICATE-----'));
    const cert = pem.slice(pem.indexOf('-----BEGIN CERTIFICATE-----'));
    const ok = await exchange(assertion(key, cert));
    assert.equal(ok.status, 200, ok.text);

    // Another certificate: not registered on the application.
    const other = createClientCertificate('someone else');
    const otherKey = other.slice(0, other.indexOf('-----BEGIN CERTIFICATE-----'));
    const otherCert = other.slice(other.indexOf('-----BEGIN CERTIFICATE-----'));
    const stranger = await exchange(assertion(otherKey, otherCert));
    assert.equal(stranger.status, 401);
    assert.deepEqual(codes(stranger), [700027]);
    assert.match(stranger.text, /not registered on application/);
    // The registered thumbprint, signed by another key: an invalid signature.
    const forged = await exchange(assertion(otherKey, cert));
    assert.deepEqual(codes(forged), [700027]);
    assert.match(forged.text, /invalid signature/);
    // Expired beyond the five minutes of skew.
    const now = Math.floor(Date.now() / 1000);
    const expired = await exchange(assertion(key, cert, { exp: now - 400, nbf: now - 1000 }));
    assert.deepEqual(codes(expired), [700024]);
    // Meant for another token endpoint, or claiming another client.
    const elsewhere = await exchange(assertion(key, cert, { aud: 'https://login.example.com/token' }));
    assert.deepEqual(codes(elsewhere), [50027]);
    const impostor = await exchange(assertion(key, cert, { sub: '11111111-1111-1111-1111-111111111111' }));
    assert.deepEqual(codes(impostor), [50027]);
    // No thumbprint in the header at all.
    const [, payload, signature] = assertion(key, cert).split('.');
    const bare = `${Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url')}.${payload}.${signature}`;
    const noThumbprint = await exchange(bare);
    assert.deepEqual(codes(noThumbprint), [50027]);
    assert.match(noThumbprint.text, /No certificate thumbprint/);
  });
});
