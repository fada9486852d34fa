// Diagnosis benchmark: `kwi doctor`'s engine against the sandbox with 30 ms injected latency.
//   floorRatio          = one ServiceAccount checked end to end (exchange and data plane included)
//                         ÷ the latency floor of its longest chain of dependent requests, measured in
//                         the same run by sending exactly that chain one request after another:
//                         TokenRequest → Entra discovery → federated token grant (Entra itself fetches
//                         the issuer's discovery document and JWKS) → Key Vault challenge → secret list.
//                         Target ≤ 1.3: everything else runs beside that chain.
//   clusterSAsPerSecond = `--all` over 200 annotated ServiceAccounts sharing 50 identities (exchange
//                         included); records the requests made and how many identities' credentials
//                         were listed (must be 50: once per identity, not once per ServiceAccount).
// Merges { doctor: {…} } into bench/results.json. Needs the compiled output (`npm run bench` does it).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const out = (p) => join(root, 'out', 'src', p);
const { startSandbox } = require(out('sandbox/server.js'));
const { SCENARIO } = require(out('sandbox/scenario.js'));
const { sandboxDiagnosisBackend } = require(out('diagnosis/backends.js'));
const { diagnoseServiceAccount, diagnoseCluster } = require(out('diagnosis/session.js'));
const { ObservationCache } = require(out('diagnosis/observeChain.js'));
const { sandboxCredential } = require(out('azure/sandboxCredential.js'));
const { ManagedServiceIdentityClient } = require('@azure/arm-msi');
const { AuthorizationManagementClient } = require('@azure/arm-authorization');
const { KeyVaultManagementClient } = require('@azure/arm-keyvault');

const LATENCY_MS = 30;
const SAS = 200;
const IDENTITIES = 50;
const RUNS = 5;
const SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';

const sandbox = await startSandbox({ port: 0 });
const agent = new Agent({ keepAlive: true, ca: sandbox.caPem });
function raw(method, url, { headers = {}, body } = {}) {
  const full = url.startsWith('https://') ? url : `${sandbox.origin}${url}`;
  return new Promise((res, rej) => {
    const req = request(
      full,
      {
        method,
        agent,
        headers: {
          ...(body
            ? { 'content-type': typeof body === 'string' ? 'application/x-www-form-urlencoded' : 'application/json' }
            : {}),
          ...headers,
        },
      },
      (r) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (c) => {
          text += c;
        });
        r.on('end', () => res({ status: r.statusCode, text, json: () => JSON.parse(text) }));
      },
    );
    req.on('error', rej);
    req.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
  });
}
const must = async (p, what, ok = [200, 201]) => {
  const r = await p;
  if (!ok.includes(r.status)) throw new Error(`${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r;
};

const credential = sandboxCredential(sandbox);
const armOptions = {
  endpoint: sandbox.armEndpoint,
  tlsOptions: { ca: sandbox.caPem },
  credentialScopes: ['https://management.azure.com/.default'],
};
const msi = new ManagedServiceIdentityClient(credential, sandbox.subscriptionId, armOptions);
const auth = new AuthorizationManagementClient(credential, sandbox.subscriptionId, armOptions);
const kv = new KeyVaultManagementClient(credential, sandbox.subscriptionId, {
  ...armOptions,
  credentials: { scopes: armOptions.credentialScopes },
});
const vault = await kv.vaults.get(SCENARIO.resourceGroup, SCENARIO.vault);
const vaultUri = vault.properties.vaultUri;
const cluster = Object.values(sandbox.state().clusters).find((c) => c.name === SCENARIO.clusterWithIssuer);
const issuer = cluster.issuerUrl;
// The cluster's own credential, as its kubeconfig carries it (AKS's clusterUser): read, never printed.
const { loadKubeconfig } = require(out('kube/kubeAccess.js'));
const loaded = await loadKubeconfig({ text: sandbox.kubeconfig() });
const clusterToken = loaded.ok
  ? loaded.value.kc.users.find((u) => u.name === `clusterUser_${cluster.name}`)?.token
  : undefined;
if (!clusterToken) throw new Error('no token for the cluster in the sandbox kubeconfig');
const kube = (method, path, body) =>
  must(
    raw(method, `/k8s/${cluster.guid}${path}`, { headers: { authorization: `Bearer ${clusterToken}` }, body }),
    `${method} ${path}`,
  );
const pod = (ns, name, sa) =>
  kube('POST', `/api/v1/namespaces/${ns}/pods`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { 'azure.workload.identity/use': 'true' } },
    spec: {
      serviceAccountName: sa,
      containers: [
        {
          name: 'app',
          image: 'ghcr.io/azure/azure-workload-identity/msal-go',
          env: [{ name: 'KEYVAULT_URL', value: vaultUri }],
        },
      ],
    },
  });
const sa = (ns, name, clientId) =>
  kube('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace: ns, annotations: { 'azure.workload.identity/client-id': clientId } },
  });

// --- setup, without latency ---------------------------------------------------------------
const working = await msi.userAssignedIdentities.get(SCENARIO.resourceGroup, SCENARIO.workingIdentity);
await sa('default', SCENARIO.serviceAccount, working.clientId);
await pod('default', 'working-app', SCENARIO.serviceAccount);
await kube('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
const ids = await Promise.all(
  Array.from({ length: IDENTITIES }, async (_, i) => {
    const name = `id-bench-${String(i).padStart(3, '0')}`;
    const id = await msi.userAssignedIdentities.createOrUpdate(SCENARIO.resourceGroup, name, {
      location: SCENARIO.location,
    });
    await auth.roleAssignments.create(vault.id, randomUUID(), {
      roleDefinitionId: `/subscriptions/${sandbox.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${SECRETS_USER}`,
      principalId: id.principalId,
      principalType: 'ServicePrincipal',
    });
    return { name, clientId: id.clientId };
  }),
);
const perIdentity = SAS / IDENTITIES;
await Promise.all(
  ids.map(async (id, i) => {
    for (let k = 0; k < perIdentity; k++) {
      // one credential write at a time per identity (409 otherwise)
      const n = `sa-${String(i * perIdentity + k).padStart(3, '0')}`;
      await msi.federatedIdentityCredentials.createOrUpdate(SCENARIO.resourceGroup, id.name, `fic-${n}`, {
        issuer,
        subject: `system:serviceaccount:bench:${n}`,
        audiences: ['api://AzureADTokenExchange'],
      });
    }
  }),
);
for (let i = 0; i < SAS; i += 20) {
  await Promise.all(
    Array.from({ length: 20 }, async (_, j) => {
      const n = `sa-${String(i + j).padStart(3, '0')}`;
      await sa('bench', n, ids[Math.floor((i + j) / perIdentity)].clientId);
      await pod('bench', `${n}-app`, n);
    }),
  );
}

const backend = await sandboxDiagnosisBackend(sandbox, {
  resourceGroup: SCENARIO.resourceGroup,
  name: SCENARIO.clusterWithIssuer,
});
const opts = { resourceGroup: SCENARIO.resourceGroup, cluster: SCENARIO.clusterWithIssuer };
await diagnoseServiceAccount(backend, opts, 'default', SCENARIO.serviceAccount); // warm: sign-in, TLS, client-node
sandbox.setKnobs({ latencyMs: LATENCY_MS });

// --- the floor: the longest dependent chain, one raw request after another ---------------------
async function chain() {
  const token = (
    await kube('POST', `/api/v1/namespaces/default/serviceaccounts/${SCENARIO.serviceAccount}/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { audiences: ['api://AzureADTokenExchange'], expirationSeconds: 600 },
    })
  ).json().status.token;
  const meta = (
    await must(raw('GET', `/${sandbox.tenantId}/v2.0/.well-known/openid-configuration`), 'entra discovery')
  ).json();
  const form = new URLSearchParams({
    client_id: working.clientId,
    scope: 'https://vault.azure.net/.default',
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: token,
  }).toString();
  const access = (await must(raw('POST', meta.token_endpoint, { body: form }), 'token')).json().access_token;
  await must(raw('GET', `${vaultUri}secrets?api-version=7.5`), 'kv challenge', [401]);
  await must(
    raw('GET', `${vaultUri}secrets?api-version=7.5`, { headers: { authorization: `Bearer ${access}` } }),
    'kv list',
  );
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function time(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const floors = [];
const singles = [];
let verdict;
for (let r = 0; r < RUNS; r++) {
  floors.push(await time(chain));
  singles.push(
    await time(async () => {
      verdict = (await diagnoseServiceAccount(backend, opts, 'default', SCENARIO.serviceAccount)).verdict;
    }),
  );
}
if (verdict !== 'pass') throw new Error(`the working chain did not pass: ${verdict}`);
const floorMs = median(floors);
const singleMs = median(singles);

// --- --all over 200 ServiceAccounts ----------------------------------------------------------
const before = sandbox.stats().requests;
const cache = new ObservationCache(backend);
let all;
const allMs = await time(async () => {
  all = await diagnoseCluster(backend, opts, cache);
});
const requests = sandbox.stats().requests - before;
const benchResults = all.diagnoses.filter((d) => d.serviceAccount.startsWith('bench/'));
if (benchResults.length !== SAS) {
  throw new Error(`--all checked ${benchResults.length} bench ServiceAccounts, expected ${SAS}`);
}
const failing = benchResults
  .filter((d) => d.verdict === 'fail')
  .map(
    (d) =>
      `${d.serviceAccount}: ${d.checks
        .filter((c) => c.status === 'fail')
        .map((c) => c.id)
        .join(',')}`,
  );
if (failing.length) throw new Error(`--all: ${failing.length} failed, e.g. ${failing.slice(0, 3).join('; ')}`);

const result = {
  latencyMs: LATENCY_MS,
  floorRatio: Number((singleMs / floorMs).toFixed(3)),
  singleMs: Math.round(singleMs),
  floorMs: Math.round(floorMs),
  floorChain:
    'TokenRequest → Entra discovery → federated grant (+ issuer discovery, JWKS) → Key Vault challenge → list',
  clusterSAsPerSecond: Number((all.diagnoses.length / (allMs / 1000)).toFixed(1)),
  clusterServiceAccounts: all.diagnoses.length,
  clusterIdentities: IDENTITIES,
  clusterMs: Math.round(allMs),
  clusterRequests: requests,
  credentialListings: cache.count('credentials|'),
  roleAssignmentListings: cache.count('roles|'),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
const file = join(root, 'bench', 'results.json');
if (!existsSync(dirname(file))) mkdirSync(dirname(file), { recursive: true });
const merged = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
merged.doctor = result;
writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
agent.destroy();
await sandbox.close();
