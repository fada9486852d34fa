import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { parse } from 'yaml';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { rawRequest, startHarness, type Harness } from './sandboxClients';

/** Unauthenticated requests on every surface of the sandbox get their service's refusal. */
describe('sandbox authentication on every surface', () => {
  let h: Harness;
  let armToken: string;
  let kvToken: string;
  const cluster = () => Object.values(h.sandbox.state().clusters).find((c) => c.name === SCENARIO.clusterWithIssuer)!;
  const kubeBase = () => `/k8s/${cluster().guid}`;
  const clusterAuth = () => ({ authorization: `Bearer ${cluster().clientToken!}` });
  const vaultUrl = () =>
    `https://127.0.0.1:${Object.values(h.sandbox.state().vaults).find((v) => v.name === SCENARIO.vault)!.port!}`;

  before(async () => {
    h = await startHarness();
    armToken = (await h.credential.getToken('https://management.azure.com/.default'))!.token;
    kvToken = (await h.credential.getToken('https://vault.azure.net/.default'))!.token;
  });
  after(async () => {
    await h.sandbox.close();
  });

  it('ARM: no token, a forged token, a Key Vault token → 401 in the ARM envelope', async () => {
    const path = `/subscriptions/${h.sandbox.subscriptionId}/resourcegroups?api-version=2021-04-01`;
    for (const [headers, code] of [
      [{}, 'AuthenticationFailed'],
      [{ authorization: 'Bearer forged.token.value' }, 'InvalidAuthenticationToken'],
      [{ authorization: `Bearer ${kvToken}` }, 'InvalidAuthenticationTokenAudience'],
    ] as const) {
      const res = await rawRequest(h.sandbox, 'GET', path, { headers });
      assert.equal(res.status, 401);
      assert.equal((res.json() as { error: { code: string } }).error.code, code);
    }
    assert.equal(
      (await rawRequest(h.sandbox, 'GET', path, { headers: { authorization: `Bearer ${armToken}` } })).status,
      200,
    );
  });

  it('Entra: a wrong client secret → 401 invalid_client; no credential at all → 401', async () => {
    const tokenPath = `/${h.sandbox.tenantId}/oauth2/v2.0/token`;
    const form = (extra: string) =>
      `grant_type=client_credentials&client_id=${h.sandbox.developer.clientId}&scope=${encodeURIComponent('https://management.azure.com/.default')}${extra}`;
    const wrong = await rawRequest(h.sandbox, 'POST', tokenPath, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form('&client_secret=not-the-secret'),
    });
    assert.equal(wrong.status, 401);
    assert.equal((wrong.json() as { error: string }).error, 'invalid_client');
    const none = await rawRequest(h.sandbox, 'POST', tokenPath, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form(''),
    });
    assert.equal(none.status, 401);
  });

  it('Entra: a client assertion not valid yet (nbf in the future) → 401 AADSTS700024', async () => {
    const { serviceAccountToken } = await import('./sandboxClients');
    // A ServiceAccount token minted now, presented to an Entra clock one hour in the past.
    const assertion = await serviceAccountToken(
      h.sandbox,
      SCENARIO.clusterWithIssuer,
      SCENARIO.namespace,
      SCENARIO.serviceAccount,
    );
    const identity = Object.values(h.sandbox.state().identities).find((i) => i.name === SCENARIO.workingIdentity)!;
    const realNow = Date.now;
    const body = `grant_type=client_credentials&client_id=${identity.clientId}&scope=${encodeURIComponent('https://vault.azure.net/.default')}&client_assertion_type=${encodeURIComponent('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')}&client_assertion=${assertion}`;
    Date.now = () => realNow() - 3600_000;
    try {
      const res = await rawRequest(h.sandbox, 'POST', `/${h.sandbox.tenantId}/oauth2/v2.0/token`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      assert.equal(res.status, 401);
      assert.match((res.json() as { error_description: string }).error_description, /AADSTS700024/);
    } finally {
      Date.now = realNow;
    }
  });

  it('Key Vault: no token → 401 with the bearer challenge; an ARM token → 401', async () => {
    const url = `${vaultUrl()}/secrets/${SCENARIO.secret}?api-version=7.5`;
    const none = await rawRequest(h.sandbox, 'GET', url);
    assert.equal(none.status, 401);
    assert.match(String(none.headers['www-authenticate']), /^Bearer authorization=/);
    assert.equal(
      (await rawRequest(h.sandbox, 'GET', url, { headers: { authorization: `Bearer ${armToken}` } })).status,
      401,
    );
    assert.equal(
      (await rawRequest(h.sandbox, 'GET', url, { headers: { authorization: `Bearer ${kvToken}` } })).status,
      200,
    );
  });

  it('Kubernetes: no token, any made-up token, an ARM token → 401 Status; the cluster token → 200', async () => {
    const path = `${kubeBase()}/api/v1/namespaces/default/serviceaccounts`;
    for (const headers of [
      {},
      { authorization: 'Bearer sandbox' },
      { authorization: 'Bearer kwi-sandbox-token' },
      { authorization: `Bearer ${armToken}` },
      { authorization: 'Basic YTpi' },
    ] as Record<string, string>[]) {
      const res = await rawRequest(h.sandbox, 'GET', path, { headers });
      assert.equal(res.status, 401, JSON.stringify(headers));
      const status = res.json() as { kind: string; reason: string; code: number };
      assert.equal(status.kind, 'Status');
      assert.equal(status.reason, 'Unauthorized');
    }
    // Another cluster's token is not this cluster's.
    const other = Object.values(h.sandbox.state().clusters).find((c) => c.name === SCENARIO.clusterWithout)!;
    assert.equal(
      (await rawRequest(h.sandbox, 'GET', path, { headers: { authorization: `Bearer ${other.clientToken!}` } })).status,
      401,
    );
    assert.equal((await rawRequest(h.sandbox, 'GET', path, { headers: clusterAuth() })).status, 200);
  });

  it('Kubernetes: a ServiceAccount token authenticates only with an API server audience, and reads only discovery', async () => {
    const { serviceAccountToken } = await import('./sandboxClients');
    const exchange = await serviceAccountToken(h.sandbox, SCENARIO.clusterWithIssuer, 'default', 'probe-sa');
    const list = `${kubeBase()}/api/v1/namespaces/default/serviceaccounts`;
    assert.equal(
      (await rawRequest(h.sandbox, 'GET', list, { headers: { authorization: `Bearer ${exchange}` } })).status,
      401,
      'an api://AzureADTokenExchange token is not for the API server',
    );
    const apiToken = await serviceAccountToken(
      h.sandbox,
      SCENARIO.clusterWithIssuer,
      'default',
      'probe-sa',
      cluster().issuerUrl!,
    );
    const headers = { authorization: `Bearer ${apiToken}` };
    assert.equal((await rawRequest(h.sandbox, 'GET', `${kubeBase()}/api`, { headers })).status, 200);
    const denied = await rawRequest(h.sandbox, 'GET', list, { headers });
    assert.equal(denied.status, 403);
    assert.match((denied.json() as { message: string }).message, /system:serviceaccount:default:probe-sa/);
    // Deleting the ServiceAccount revokes its tokens.
    assert.equal((await rawRequest(h.sandbox, 'DELETE', `${list}/probe-sa`, { headers: clusterAuth() })).status, 200);
    assert.equal((await rawRequest(h.sandbox, 'GET', `${kubeBase()}/api`, { headers })).status, 401);
  });

  it('listClusterUserCredential returns a kubeconfig whose token the API server accepts', async () => {
    const client = new ContainerServiceClient(h.credential, h.sandbox.subscriptionId, h.armOptions);
    const creds = await client.managedClusters.listClusterUserCredentials(
      SCENARIO.resourceGroup,
      SCENARIO.clusterWithIssuer,
    );
    const config = parse(Buffer.from(creds.kubeconfigs![0]!.value!).toString('utf8')) as {
      users: { user: { token: string } }[];
      clusters: { cluster: { server: string } }[];
    };
    const token = config.users[0]!.user.token;
    assert.equal(token, cluster().clientToken);
    const res = await rawRequest(h.sandbox, 'GET', `${config.clusters[0]!.cluster.server}/api/v1/namespaces`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 200);
    assert.match(
      h.sandbox.kubeconfig(),
      new RegExp(`token: ${token}`),
      'the written kubeconfig carries the same token',
    );
  });

  it('control API: no token or a wrong one → 401, and nothing is reset; the control token works', async () => {
    await rawRequest(h.sandbox, 'PUT', '/_sandbox/knobs', { body: { lroSeconds: 1.5 } });
    for (const headers of [
      { authorization: '' },
      { authorization: 'Bearer wrong' },
      { authorization: `Bearer ${armToken}` },
    ]) {
      for (const [method, path] of [
        ['GET', '/_sandbox/stats'],
        ['GET', '/_sandbox/knobs'],
        ['POST', '/_sandbox/reset'],
        ['PUT', '/_sandbox/knobs'],
        ['GET', '/_sandbox/info'],
      ] as const) {
        const res = await rawRequest(h.sandbox, method, path, {
          headers,
          body: method === 'GET' ? undefined : { empty: true, lroSeconds: 9 },
        });
        assert.equal(res.status, 401, `${method} ${path}`);
        assert.equal((res.json() as { error: { code: string } }).error.code, 'Unauthorized');
      }
    }
    assert.ok(Object.keys(h.sandbox.state().clusters).length > 0, 'the world was not wiped');
    assert.equal(h.sandbox.knobs().lroSeconds, 1.5);
    assert.equal((await rawRequest(h.sandbox, 'GET', '/_sandbox/stats')).status, 200);
  });

  it('an unauthenticated large body is refused before it is read', async () => {
    const declared = 50 * 1024 * 1024;
    const url = new URL(
      `${h.sandbox.origin}/subscriptions/${h.sandbox.subscriptionId}/resourcegroups/rg-big?api-version=2021-04-01`,
    );
    const result = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      const req = request(
        url,
        {
          method: 'PUT',
          ca: h.sandbox.caPem,
          headers: { 'content-type': 'application/json', 'content-length': declared },
        },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, sent });
          req.destroy();
        },
      );
      req.on('error', (e) => {
        if (sent === 0) reject(e);
      });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (sent < declared && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    assert.equal(result.status, 401);
    assert.ok(result.sent < declared / 4, `answered after ${result.sent} of ${declared} bytes`);
  });
});
