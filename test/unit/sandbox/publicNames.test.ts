import * as assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server';
import type { ClusterRecord } from '../../../src/sandbox/state';
import { rawRequest } from './sandboxClients';

/**
 * The URLs the sandbox hands out follow the way a client came: through the proxy, Azure's own
 * names (a client there could not have learnt a loopback port); at the loopback origin, the
 * loopback URLs, as before. A cluster's issuer has one spelling per way in, and the two are one
 * issuer wherever issuers are compared; any other difference still fails.
 */
interface Reply {
  status: number;
  text: string;
  json: () => Record<string, unknown>;
}

/** One HTTPS request to `url` (an Azure host name) through the sandbox proxy: CONNECT, then TLS with the sandbox CA. */
function proxied(
  s: RunningSandbox,
  method: string,
  url: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const tunnel = httpRequest(s.proxy!.url, { method: 'CONNECT', path: `${u.hostname}:443` });
    tunnel.on('error', reject);
    tunnel.on('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(new Error(`CONNECT ${u.hostname}: ${res.statusCode}`));
        return;
      }
      const req = httpsRequest(
        url,
        {
          method,
          headers: options.headers,
          createConnection: () => tlsConnect({ socket, servername: u.hostname, ca: s.caPem }),
        },
        (r) => {
          let text = '';
          r.setEncoding('utf8');
          r.on('data', (c: string) => (text += c));
          r.on('end', () => {
            socket.destroy();
            resolve({ status: r.statusCode ?? 0, text, json: () => JSON.parse(text) as Record<string, unknown> });
          });
        },
      );
      req.on('error', reject);
      req.end(options.body);
    });
    tunnel.end();
  });
}

describe('sandbox URLs: Azure host names through the proxy, loopback otherwise', () => {
  let s: RunningSandbox;
  let demo: ClusterRecord;
  let arm: string;
  let armToken: string;
  let rg: string;
  const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
  const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };

  before(async () => {
    s = await startSandbox({ proxy: true });
    demo = Object.values(s.state().clusters).find((c) => c.name === SCENARIO.clusterWithIssuer)!;
    const t = await proxied(s, 'POST', `https://login.microsoftonline.com/${s.tenantId}/oauth2/v2.0/token`, {
      headers: formHeaders,
      body: form({
        grant_type: 'client_credentials',
        client_id: s.developer.clientId,
        client_secret: s.developer.clientSecret,
        scope: 'https://management.azure.com/.default',
      }),
    });
    assert.equal(t.status, 200, t.text);
    armToken = String(t.json().access_token);
    rg = `/subscriptions/${s.subscriptionId}/resourceGroups/${SCENARIO.resourceGroup}`;
    arm = 'https://management.azure.com';
  });
  after(async () => {
    await s?.close();
  });

  const armGet = (path: string, apiVersion: string, via: 'proxy' | 'loopback'): Promise<Reply> => {
    const url = `${path}${path.includes('?') ? '&' : '?'}api-version=${apiVersion}`;
    const headers = { authorization: `Bearer ${armToken}` };
    return via === 'proxy'
      ? proxied(s, 'GET', `${arm}${url}`, { headers })
      : (rawRequest(s, 'GET', url, { headers }) as Promise<Reply>);
  };
  const publicIssuer = (): string => `https://eastus.oic.prod-aks.azure.com/${s.tenantId}/${demo.guid}/`;

  it('ARM bodies name the public issuer, the vault by DNS name and the API server FQDN through the proxy', async () => {
    const cluster = (
      await armGet(`${rg}/providers/Microsoft.ContainerService/managedClusters/${demo.name}`, '2024-02-01', 'proxy')
    ).json();
    const props = cluster.properties as { oidcIssuerProfile: { issuerURL: string }; fqdn: string };
    assert.equal(props.oidcIssuerProfile.issuerURL, publicIssuer());
    const vault = (
      await armGet(`${rg}/providers/Microsoft.KeyVault/vaults/${SCENARIO.vault}`, '2023-07-01', 'proxy')
    ).json();
    assert.equal((vault.properties as { vaultUri: string }).vaultUri, `https://${SCENARIO.vault}.vault.azure.net/`);
    const fics = (
      await armGet(
        `${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${SCENARIO.brokenIdentity}/federatedIdentityCredentials`,
        '2023-01-31',
        'proxy',
      )
    ).json().value as { properties: { issuer: string } }[];
    // The teaching scenario's broken credential stays broken: the public spelling, still without its slash.
    assert.deepEqual(
      fics.map((f) => f.properties.issuer),
      [publicIssuer().replace(/\/$/, '')],
    );
    const cred = await proxied(
      s,
      'POST',
      `${arm}${rg}/providers/Microsoft.ContainerService/managedClusters/${demo.name}/listClusterUserCredential?api-version=2024-02-01`,
      { headers: { authorization: `Bearer ${armToken}` } },
    );
    const kubeconfig = Buffer.from((cred.json().kubeconfigs as { value: string }[])[0]!.value, 'base64').toString(
      'utf8',
    );
    assert.match(kubeconfig, new RegExp(`server: https://${props.fqdn.replace(/\./g, '\\.')}:443`));
    const metadata = (await proxied(s, 'GET', `${arm}/metadata/endpoints?api-version=2022-09-01`)).json();
    assert.equal(metadata.resourceManager, 'https://management.azure.com/');
    assert.equal(
      (metadata.authentication as { loginEndpoint: string }).loginEndpoint,
      'https://login.microsoftonline.com',
    );
  });

  it('the same resources at the loopback origin keep loopback URLs', async () => {
    const cluster = (
      await armGet(`${rg}/providers/Microsoft.ContainerService/managedClusters/${demo.name}`, '2024-02-01', 'loopback')
    ).json();
    const issuer = (cluster.properties as { oidcIssuerProfile: { issuerURL: string } }).oidcIssuerProfile.issuerURL;
    assert.equal(issuer, demo.issuerUrl);
    assert.ok(issuer.startsWith(`${s.origin}/oidc/`), issuer);
    const vault = (
      await armGet(`${rg}/providers/Microsoft.KeyVault/vaults/${SCENARIO.vault}`, '2023-07-01', 'loopback')
    ).json();
    assert.match((vault.properties as { vaultUri: string }).vaultUri, /^https:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('Entra discovery and the issuer documents name the host the client addressed', async () => {
    const instance = (
      await proxied(
        s,
        'GET',
        `https://login.microsoftonline.com/common/discovery/instance?api-version=1.1&authorization_endpoint=https://login.microsoftonline.com/${s.tenantId}/oauth2/v2.0/authorize`,
      )
    ).json();
    assert.equal(
      instance.tenant_discovery_endpoint,
      `https://login.microsoftonline.com/${s.tenantId}/v2.0/.well-known/openid-configuration`,
    );
    const openid = (await proxied(s, 'GET', String(instance.tenant_discovery_endpoint))).json();
    assert.equal(openid.token_endpoint, `https://login.microsoftonline.com/${s.tenantId}/oauth2/v2.0/token`);
    const discovery = (await proxied(s, 'GET', `${publicIssuer()}.well-known/openid-configuration`)).json();
    assert.equal(discovery.issuer, publicIssuer());
    assert.equal(discovery.jwks_uri, `${publicIssuer()}openid/v1/jwks`);
    const jwks = await proxied(s, 'GET', String(discovery.jwks_uri));
    assert.equal(jwks.status, 200);
    assert.ok(Array.isArray(jwks.json().keys));
  });

  it('the API server at its FQDN: openapi paths from its root, tokens issued by the public issuer, exchanged against a loopback-spelled credential', async () => {
    const fqdn = `https://${
      (
        (
          await armGet(`${rg}/providers/Microsoft.ContainerService/managedClusters/${demo.name}`, '2024-02-01', 'proxy')
        ).json().properties as { fqdn: string }
      ).fqdn
    }`;
    const admin = { authorization: `Bearer ${demo.clientToken ?? ''}` };
    const index = (await proxied(s, 'GET', `${fqdn}/openapi/v3`, { headers: admin })).json().paths as Record<
      string,
      { serverRelativeURL: string }
    >;
    assert.match(index['api/v1']!.serverRelativeURL, /^\/openapi\/v3\/api\/v1\?hash=/);
    const sa = await proxied(s, 'POST', `${fqdn}/api/v1/namespaces/default/serviceaccounts`, {
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: SCENARIO.serviceAccount } }),
    });
    assert.ok(sa.status === 201 || sa.status === 409, sa.text);
    const tr = await proxied(
      s,
      'POST',
      `${fqdn}/api/v1/namespaces/default/serviceaccounts/${SCENARIO.serviceAccount}/token`,
      {
        headers: { ...admin, 'content-type': 'application/json' },
        body: JSON.stringify({
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: { audiences: ['api://AzureADTokenExchange'] },
        }),
      },
    );
    assert.equal(tr.status, 201, tr.text);
    const token = String((tr.json().status as { token: string }).token);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { iss: string };
    assert.equal(claims.iss, publicIssuer());
    // fic-wi-demo was written at the loopback origin; the public spelling names the same issuer.
    const identity = Object.values(s.state().identities).find((i) => i.name === SCENARIO.workingIdentity)!;
    const exchange = (via: 'proxy' | 'loopback', clientId: string): Promise<Reply> => {
      const body = form({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: token,
        scope: 'https://vault.azure.net/.default',
      });
      const path = `/${s.tenantId}/oauth2/v2.0/token`;
      return via === 'proxy'
        ? proxied(s, 'POST', `https://login.microsoftonline.com${path}`, { headers: formHeaders, body })
        : (rawRequest(s, 'POST', path, { headers: formHeaders, body }) as Promise<Reply>);
    };
    assert.equal((await exchange('proxy', identity.clientId)).status, 200);
    assert.equal((await exchange('loopback', identity.clientId)).status, 200);
    // The credential without the trailing slash fails in either spelling, as on Azure.
    const noSlash = Object.values(s.state().identities).find((i) => i.name === SCENARIO.brokenIdentity)!;
    const refused = await exchange('proxy', noSlash.clientId);
    assert.equal(refused.status, 400);
    assert.match(refused.text, /AADSTS70021/);
  });

  it('a credential written through the proxy with the public issuer is stored once, as the loopback spelling, and duplicates are refused in either spelling', async () => {
    const path = `${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${SCENARIO.workingIdentity}/federatedIdentityCredentials`;
    const put = (name: string, issuer: string, via: 'proxy' | 'loopback'): Promise<Reply> => {
      const url = `${path}/${name}?api-version=2023-01-31`;
      const headers = { authorization: `Bearer ${armToken}`, 'content-type': 'application/json' };
      const body = JSON.stringify({
        properties: { issuer, subject: 'system:serviceaccount:apps:web', audiences: ['api://AzureADTokenExchange'] },
      });
      return via === 'proxy'
        ? proxied(s, 'PUT', `${arm}${url}`, { headers, body })
        : (rawRequest(s, 'PUT', url, { headers, body }) as Promise<Reply>);
    };
    const created = await put('fic-public', publicIssuer(), 'proxy');
    assert.equal(created.status, 201, created.text);
    assert.equal((created.json().properties as { issuer: string }).issuer, publicIssuer());
    const identity = Object.values(s.state().identities).find((i) => i.name === SCENARIO.workingIdentity)!;
    assert.equal(identity.federatedCredentials['fic-public']!.issuer, demo.issuerUrl);
    const dup = await put('fic-again', demo.issuerUrl!, 'loopback');
    assert.equal(dup.status, 400);
    assert.match(dup.text, /Issuer and subject combination already exists/);
  });
});
