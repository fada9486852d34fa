import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClientSecretCredential } from '@azure/identity';
import { decodeJwt } from '../../../src/sandbox/oidc/jwt';
import { developerCredential, rawRequest, startHarness, type Harness } from './sandboxClients';

describe('sandbox Entra ID: discovery and client credentials', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.sandbox.close();
  });

  it('serves the OpenID configuration MSAL reads, on the authority host', async () => {
    const res = await rawRequest(h.sandbox, 'GET', `/${h.sandbox.tenantId}/v2.0/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    const doc = res.json() as Record<string, string>;
    assert.equal(doc.issuer, `${h.sandbox.origin}/${h.sandbox.tenantId}/v2.0`);
    assert.equal(doc.token_endpoint, `${h.sandbox.origin}/${h.sandbox.tenantId}/oauth2/v2.0/token`);
    assert.ok(doc.authorization_endpoint && doc.jwks_uri);
    const unknown = await rawRequest(
      h.sandbox,
      'GET',
      '/00000000-0000-0000-0000-000000000000/v2.0/.well-known/openid-configuration',
    );
    assert.equal(unknown.status, 400);
    assert.deepEqual((unknown.json() as { error_codes: number[] }).error_codes, [90002]);
  });

  it('issues RS256 tokens to the developer through ClientSecretCredential', async () => {
    const token = await developerCredential(h.sandbox).getToken('https://management.azure.com/.default');
    assert.ok(token);
    const { header, claims } = decodeJwt(token.token)!;
    assert.equal(header.alg, 'RS256');
    assert.equal(claims.aud, 'https://management.azure.com');
    assert.equal(claims.tid, h.sandbox.tenantId);
    assert.equal(claims.appid, h.sandbox.developer.clientId);
    assert.equal(claims.oid, h.sandbox.developer.objectId);
    const vault = await developerCredential(h.sandbox).getToken('https://vault.azure.net/.default');
    assert.equal(decodeJwt(vault!.token)!.claims.aud, 'https://vault.azure.net');
  });

  it('refuses a wrong secret with AADSTS7000215', async () => {
    const bad = new ClientSecretCredential(h.sandbox.tenantId, h.sandbox.developer.clientId, 'wrong', {
      authorityHost: h.sandbox.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: h.sandbox.caPem },
    } as ConstructorParameters<typeof ClientSecretCredential>[3]);
    await assert.rejects(bad.getToken('https://management.azure.com/.default'), /AADSTS7000215/);
  });

  it('refuses scopes real Entra refuses', async () => {
    const form = (scope: string) =>
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: h.sandbox.developer.clientId,
        client_secret: h.sandbox.developer.clientSecret,
        scope,
      }).toString();
    const post = (scope: string) =>
      rawRequest(h.sandbox, 'POST', `/${h.sandbox.tenantId}/oauth2/v2.0/token`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form(scope),
      });
    const unknown = await post('https://example.com/.default');
    assert.equal(unknown.status, 400);
    assert.deepEqual((unknown.json() as { error_codes: number[] }).error_codes, [500011]);
    const noDefault = await post('https://management.azure.com/user_impersonation');
    assert.deepEqual((noDefault.json() as { error_codes: number[] }).error_codes, [1002012]);
    const ok = await post('https://management.core.windows.net//.default');
    assert.equal(ok.status, 200);
    const body = ok.json() as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'ext_expires_in', 'token_type']);
    assert.equal(body.expires_in, 3599);
  });

  it('makes ARM refuse missing, foreign-audience and forged tokens', async () => {
    const path = `/subscriptions/${h.sandbox.subscriptionId}?api-version=2022-12-01`;
    const none = await rawRequest(h.sandbox, 'GET', path);
    assert.equal(none.status, 401);
    assert.equal((none.json() as { error: { code: string } }).error.code, 'AuthenticationFailed');
    const vaultToken = await developerCredential(h.sandbox).getToken('https://vault.azure.net/.default');
    const wrongAud = await rawRequest(h.sandbox, 'GET', path, {
      headers: { authorization: `Bearer ${vaultToken!.token}` },
    });
    assert.equal((wrongAud.json() as { error: { code: string } }).error.code, 'InvalidAuthenticationTokenAudience');
    const armToken = (await developerCredential(h.sandbox).getToken('https://management.azure.com/.default'))!.token;
    const forged = `${armToken.slice(0, armToken.lastIndexOf('.'))}.${Buffer.from('nope').toString('base64url')}`;
    const bad = await rawRequest(h.sandbox, 'GET', path, { headers: { authorization: `Bearer ${forged}` } });
    assert.equal((bad.json() as { error: { code: string } }).error.code, 'InvalidAuthenticationToken');
    const good = await rawRequest(
      h.sandbox,
      'GET',
      `//subscriptions/${h.sandbox.subscriptionId}?api-version=2022-12-01`,
      { headers: { authorization: `Bearer ${armToken}` } },
    );
    assert.equal(good.status, 200, 'leading // is collapsed');
  });

  it("accepts the v1 endpoint's resource parameter, and refuses unknown clients with AADSTS700016", async () => {
    const post = (path: string, fields: Record<string, string>) =>
      rawRequest(h.sandbox, 'POST', `/${h.sandbox.tenantId}/${path}`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    const v1 = await post('oauth2/token', {
      grant_type: 'client_credentials',
      client_id: h.sandbox.developer.clientId,
      client_secret: h.sandbox.developer.clientSecret,
      resource: 'https://management.azure.com/',
    });
    assert.equal(v1.status, 200);
    const unknown = await post('oauth2/v2.0/token', {
      grant_type: 'client_credentials',
      client_id: '00000000-0000-0000-0000-000000000001',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: 'a.b.c',
      scope: 'https://vault.azure.net/.default',
    });
    assert.equal(unknown.status, 400);
    const body = unknown.json() as {
      error: string;
      error_codes: number[];
      error_description: string;
      trace_id: string;
      correlation_id: string;
      timestamp: string;
    };
    assert.equal(body.error, 'unauthorized_client');
    assert.deepEqual(body.error_codes, [700016]);
    assert.match(
      body.error_description,
      /^AADSTS700016: .* Trace ID: [0-9a-f-]{36} Correlation ID: [0-9a-f-]{36} Timestamp: /,
    );
    assert.ok(body.trace_id && body.correlation_id && body.timestamp);
  });
});
