import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server';
import { kubectlPresent } from './kubectlRunner';

/**
 * Real clients with nothing but HTTPS_PROXY and the sandbox CA: the Azure SDK for JS with its
 * default endpoints (no endpoint, no authorityHost, no disableInstanceDiscovery) in a child
 * process (NODE_EXTRA_CA_CERTS is read at start-up), and kubectl with a kubeconfig naming the
 * cluster's real API server FQDN. A host the sandbox does not serve is refused.
 */
const ROOT = resolve(__dirname, '../../../..');

type Ran = { code: number; stdout: string; stderr: string };

/** A real client process: `interpreter -e|-c script` with only PATH, HOME and the given environment. */
function run(interpreter: string, flag: '-e' | '-c', script: string, env: Record<string, string>): Promise<Ran> {
  return new Promise((done) => {
    execFile(
      interpreter,
      [flag, script],
      { cwd: ROOT, timeout: 60_000, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } },
      (err, stdout, stderr) => {
        done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

const node = (script: string, env: Record<string, string>): Promise<Ran> => run(process.execPath, '-e', script, env);
const python = (interpreter: string, script: string, env: Record<string, string>): Promise<Ran> =>
  run(interpreter, '-c', script, env);

describe('sandbox HTTPS proxy: the Azure host names, for any client', async () => {
  const kubectl = await kubectlPresent();
  const imports = async (interpreter: string, modules: string): Promise<boolean> =>
    (await python(interpreter, `import ${modules}`, {})).code === 0;
  const pythonRequests = await imports('python3', 'requests');
  // MSAL for Python from Debian's python3-msal: the system interpreter, whatever python3 PATH names first.
  const pythonMsal = await (async () => {
    for (const interpreter of ['python3', '/usr/bin/python3']) {
      if (await imports(interpreter, 'msal, requests')) return interpreter;
    }
    return undefined;
  })();
  let s: RunningSandbox;
  let dir: string;
  let env: Record<string, string>;
  before(async () => {
    s = await startSandbox({ proxy: true, tutorialWorkload: true });
    dir = mkdtempSync(join(tmpdir(), 'kwi-proxy-'));
    env = {
      HTTPS_PROXY: s.proxy!.url,
      NODE_EXTRA_CA_CERTS: s.caFile,
      AZURE_TENANT_ID: s.tenantId,
      AZURE_CLIENT_ID: s.developer.clientId,
      SUB: s.subscriptionId,
    };
  });
  /** A Python client's whole configuration: the proxy, the CA bundle, and the developer's sign-in. */
  const pythonEnv = (): Record<string, string> => ({
    HTTPS_PROXY: env.HTTPS_PROXY!,
    REQUESTS_CA_BUNDLE: s.caFile,
    AZURE_TENANT_ID: s.tenantId,
    AZURE_CLIENT_ID: s.developer.clientId,
    SECRET: s.developer.clientSecret,
  });
  after(async () => {
    await s?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the Azure SDK with default endpoints signs in at login.microsoftonline.com, lists identities on management.azure.com and reads a vault by name', async () => {
    const script = `
      const { ClientSecretCredential } = require('@azure/identity');
      const { ManagedServiceIdentityClient } = require('@azure/arm-msi');
      const { SecretClient } = require('@azure/keyvault-secrets');
      (async () => {
        const cred = new ClientSecretCredential(process.env.AZURE_TENANT_ID, process.env.AZURE_CLIENT_ID, process.env.SECRET);
        const names = [];
        for await (const i of new ManagedServiceIdentityClient(cred, process.env.SUB).userAssignedIdentities.listBySubscription()) names.push(i.name);
        const secret = await new SecretClient('https://${SCENARIO.vault}.vault.azure.net', cred).getSecret('${SCENARIO.secret}');
        process.stdout.write(JSON.stringify({ names, value: secret.value }));
      })().catch((e) => { process.stderr.write(String(e && e.message || e)); process.exit(1); });`;
    const r = await node(script, { ...env, SECRET: s.developer.clientSecret });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { names: string[]; value: string };
    assert.ok(out.names.includes(SCENARIO.workingIdentity), out.names.join(','));
    assert.equal(out.value, SCENARIO.secretValue);
    const hosts = new Set(s.stats().recent.map((x) => x.service));
    assert.ok(hosts.has('arm') && hosts.has('keyvault'), [...hosts].join(','));
  });

  it('refuses every other host (CONNECT 403) and plain-HTTP proxying, so nothing leaves the machine', async () => {
    const connectTo = (authority: string) =>
      new Promise<number>((done, fail) => {
        const req = request(s.proxy!.url, { method: 'CONNECT', path: authority });
        req.on('connect', (res, socket) => {
          socket.destroy();
          done(res.statusCode ?? 0);
        });
        req.on('error', fail);
        req.end();
      });
    assert.equal(await connectTo('example.com:443'), 403);
    assert.equal(await connectTo('management.azure.com:80'), 403);
    assert.equal(await connectTo('nosuchvault.vault.azure.net:443'), 403);
    assert.equal(await connectTo('management.azure.com:443'), 200);
    const plain = await new Promise<number>((done, fail) => {
      request(s.proxy!.url, { path: 'http://example.com/', headers: { host: 'example.com' } }, (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      })
        .on('error', fail)
        .end();
    });
    assert.equal(plain, 403);
  });

  it('a sandbox started without the proxy starts it on demand, once', async () => {
    const t = await startSandbox({});
    try {
      assert.equal(t.proxy, undefined);
      const [a, b] = await Promise.all([t.ensureProxy(), t.ensureProxy()]);
      assert.equal(a.url, b.url);
      assert.equal((t as { proxy?: { url: string } }).proxy?.url, a.url, 'the getter reflects the started proxy');
      assert.match(a.kubeconfig(), /server: https:\/\/[a-z0-9-]+\.hcp\.[a-z0-9]+\.azmk8s\.io:443/);
    } finally {
      await t.close();
    }
  });

  it(
    'Python requests, with only HTTPS_PROXY and REQUESTS_CA_BUNDLE, gets a token at login.microsoftonline.com and lists subscriptions',
    { skip: pythonRequests ? false : 'python3 with requests is not installed' },
    async () => {
      const script = [
        'import os, requests',
        "t = requests.post(f\"https://login.microsoftonline.com/{os.environ['AZURE_TENANT_ID']}/oauth2/v2.0/token\", data={'grant_type': 'client_credentials', 'client_id': os.environ['AZURE_CLIENT_ID'], 'client_secret': os.environ['SECRET'], 'scope': 'https://management.azure.com/.default'})",
        't.raise_for_status()',
        "r = requests.get('https://management.azure.com/subscriptions?api-version=2022-12-01', headers={'Authorization': 'Bearer ' + t.json()['access_token']})",
        "print(r.status_code, ','.join(s['subscriptionId'] for s in r.json()['value']))",
      ].join('\n');
      const r = await python('python3', script, pythonEnv());
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stdout.startsWith('200 ') && r.stdout.includes(s.subscriptionId), r.stdout);
    },
  );

  it(
    'MSAL for Python with its default authority discovers the token endpoint, gets Graph and ARM tokens; Graph and ARM answer under their own names',
    { skip: pythonMsal ? false : 'python3 with msal (Debian python3-msal) is not installed' },
    async () => {
      const script = [
        'import os, msal, requests',
        "app = msal.ConfidentialClientApplication(os.environ['AZURE_CLIENT_ID'], client_credential=os.environ['SECRET'], authority='https://login.microsoftonline.com/' + os.environ['AZURE_TENANT_ID'])",
        // The double slash the Azure CLI sends for Graph, which Entra accepts.
        "g = app.acquire_token_for_client(scopes=['https://graph.microsoft.com//.default'])",
        "sp = requests.get('https://graph.microsoft.com/v1.0/servicePrincipals', params={'$filter': \"appId eq '%s'\" % os.environ['AZURE_CLIENT_ID']}, headers={'Authorization': 'Bearer ' + g['access_token']})",
        "a = app.acquire_token_for_client(scopes=['https://management.azure.com/.default'])",
        "subs = requests.get('https://management.azure.com/subscriptions?api-version=2022-12-01', headers={'Authorization': 'Bearer ' + a['access_token']})",
        "print(sp.status_code, sp.json()['value'][0]['appId'], subs.status_code, subs.json()['value'][0]['subscriptionId'])",
      ].join('\n');
      const r = await python(pythonMsal!, script, pythonEnv());
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), `200 ${s.developer.clientId} 200 ${s.subscriptionId}`);
      // MSAL knows login.microsoftonline.com, so it skips instance discovery and reads the tenant's
      // discovery document there for the token endpoint: a loopback URL in it would have failed.
      const entra = s.stats().recent.filter((x) => x.service === 'entra');
      assert.ok(
        entra.some((x) => x.path === `/${s.tenantId}/v2.0/.well-known/openid-configuration`),
        entra.map((x) => x.path).join(','),
      );
      assert.ok(
        entra.every((x) => x.proxied),
        'every Entra request addressed login.microsoftonline.com (none a loopback port)',
      );
    },
  );

  it(
    'kubectl reaches the cluster at its real FQDN through the proxy',
    { skip: kubectl ? false : 'kubectl is not on PATH' },
    async () => {
      const kc = join(dir, 'kubeconfig');
      writeFileSync(kc, s.proxy!.kubeconfig());
      const cluster = Object.values(s.state().clusters).find((c) => c.name === SCENARIO.clusterWithIssuer)!;
      const r = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
        execFile(
          'kubectl',
          [
            '--kubeconfig',
            kc,
            '--context',
            cluster.name,
            'get',
            'serviceaccounts',
            '-n',
            'default',
            '-o',
            'name',
            '-v=6',
          ],
          { timeout: 60_000, env: { ...process.env, HTTPS_PROXY: s.proxy!.url } },
          (err, stdout, stderr) => {
            done({ code: err ? 1 : 0, stdout, stderr });
          },
        );
      });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`serviceaccount/${SCENARIO.serviceAccount}`));
      assert.match(
        r.stderr,
        /https:\/\/[a-z0-9-]+\.hcp\.[a-z0-9]+\.azmk8s\.io:443\/api\/v1\/namespaces\/default\/serviceaccounts/,
      );
    },
  );
});
