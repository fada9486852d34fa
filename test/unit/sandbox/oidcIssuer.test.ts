import * as assert from 'node:assert/strict';
import { createHash, createPublicKey } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createSigningKey } from '../../../src/sandbox/oidc/keys';
import { rawRequest, startHarness, type Harness } from './kubeHarness';

describe('per-cluster OIDC issuer', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness([
      { name: 'aks-wi', oidc: true, workloadIdentity: true },
      { name: 'aks-legacy', oidc: false, workloadIdentity: false },
    ]);
  });
  after(() => h.close());

  it('serves the discovery document exactly as AKS/kube-apiserver does', async () => {
    const issuer = h.clusters['aks-wi']?.ctx.issuerUrl ?? '';
    assert.match(issuer, /^https:\/\/127\.0\.0\.1:\d+\/oidc\/eastus\/[0-9a-f-]{36}\/[0-9a-f-]{36}\/$/);
    const res = await rawRequest(h, `${issuer}.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.deepEqual(res.json(), {
      issuer,
      jwks_uri: `${issuer}openid/v1/jwks`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
  });

  it('serves the JWKS with use/kty/kid/alg/n/e', async () => {
    const issuer = h.clusters['aks-wi']?.ctx.issuerUrl ?? '';
    const jwks = (await rawRequest(h, `${issuer}openid/v1/jwks`)).json<{ keys: Record<string, string>[] }>();
    assert.equal(jwks.keys.length, 1);
    const key = jwks.keys[0] as Record<string, string>;
    assert.deepEqual(Object.keys(key), ['use', 'kty', 'kid', 'alg', 'n', 'e']);
    assert.equal(key.use, 'sig');
    assert.equal(key.kty, 'RSA');
    assert.equal(key.alg, 'RS256');
    assert.equal(key.e, 'AQAB');
    assert.equal(key.kid, h.clusters['aks-wi']?.ctx.signingKey.kid);
  });

  it('is not served while the issuer is disabled', async () => {
    const legacy = h.clusters['aks-legacy']?.ctx;
    assert.equal(legacy?.issuerUrl, undefined);
    const url = `${h.origin}/oidc/eastus/${h.tenantId}/${legacy?.guid}/.well-known/openid-configuration`;
    assert.equal((await rawRequest(h, url)).status, 404);
    assert.equal(
      (await rawRequest(h, `${h.origin}/oidc/eastus/${h.tenantId}/${legacy?.guid}/openid/v1/jwks`)).status,
      404,
    );
  });

  it('appears once the issuer is enabled (same key)', async () => {
    const legacy = h.clusters['aks-legacy']?.ctx;
    assert.ok(legacy);
    legacy.issuerUrl = `${h.origin}/oidc/eastus/${h.tenantId}/${legacy.guid}/`;
    const res = await rawRequest(h, `${legacy.issuerUrl}.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    assert.equal(res.json<{ issuer: string }>().issuer, legacy.issuerUrl);
    legacy.issuerUrl = undefined;
  });

  it('derives the key ID from the public key as kube-apiserver does (base64url SHA-256 of the DER SPKI)', () => {
    const key = createSigningKey();
    const der = createPublicKey(key.privateKeyPem).export({ type: 'spki', format: 'der' });
    assert.equal(key.kid, createHash('sha256').update(der).digest('base64url'));
    assert.equal(key.kid.length, 43);
    assert.deepEqual(JSON.parse(JSON.stringify(key)), key, 'JSON-serializable');
    const pub = createPublicKey({ key: key.publicJwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
    assert.equal(pub.asymmetricKeyDetails?.modulusLength, 2048);
  });
});
