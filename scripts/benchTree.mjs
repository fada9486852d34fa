// Explorer benchmark: time to a fully expanded tree through the explorer's own loaders,
// against the sandbox with 1,000 identities × 5 federated credentials, 50 clusters and 30 ms of
// injected latency per request. Printed as ratios measured in the same run:
//   floorRatio        = tree time ÷ (requests actually made ÷ concurrency × latency)   target ≤ 1.3
//   sequentialSpeedup = time of a script listing the same things one request at a time ÷ tree time   target ≥ 6
// Merges { tree: { floorRatio, sequentialSpeedup, requests, … } } into bench/results.json.
// Needs the compiled output (`npx tsc -p tsconfig.test.json`; `npm run bench` does it).
// Options: --sequential-sample N  time the sequential script over N identities and scale up (default: all).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const out = (p) => join(root, 'out', 'src', p);
const { startSandbox } = require(out('sandbox/server.js'));
const { createArmConnection, createArmClients, ARM_SCOPE } = require(out('azure/clients.js'));
const { AzureExplorerData } = require(out('azure/explorerData.js'));
const { listFederatedCredentials, listIdentities, listRoleAssignmentsForPrincipal, listRoleNames } = require(
  out('azure/loaders.js'),
);
const { sandboxCredential } = require(out('azure/sandboxCredential.js'));

const LATENCY_MS = 30;
const CONCURRENCY = 8;
const SCALE = { identities: 1000, ficsPerIdentity: 5, clusters: 50 };
const argSample = process.argv.indexOf('--sequential-sample');
const sample = argSample > 0 ? Number(process.argv[argSample + 1]) : undefined;

const must = (r, what) => {
  if (!r.ok) throw new Error(`${what}: ${r.error.kind} ${r.error.message}`);
  return r.value;
};

/** Every listing a fully expanded tree shows, through the explorer's cache, all at once. */
async function expandTree(data) {
  const subs = must(await data.subscriptions(), 'subscriptions');
  let credentials = 0;
  let assignments = 0;
  await Promise.all(
    subs.map(async (s) => {
      const id = s.subscriptionId;
      const [clusters, identities] = await Promise.all([data.clusters(id), data.identities(id), data.roleNames(id)]);
      await Promise.all([
        ...must(clusters, 'clusters')
          .filter((c) => c.kubelet?.objectId)
          .map(async (c) => {
            assignments += must(await data.roleAssignments(id, c.kubelet.objectId), 'kubelet roles').length;
          }),
        ...must(identities, 'identities').flatMap((i) => [
          data.credentials(id, i).then((r) => {
            credentials += must(r, 'credentials').length;
          }),
          data.roleAssignments(id, i.principalId).then((r) => {
            assignments += must(r, 'roles').length;
          }),
        ]),
      ]);
    }),
  );
  return { subscriptions: subs.length, credentials, assignments };
}

/** What a script does: list identities, then for each one its credentials and roles, one call at a time. */
async function sequentialScript(clients, limit) {
  const roleNames = must(await listRoleNames(clients), 'role names');
  const identities = must(await listIdentities(clients), 'identities').slice(0, limit);
  for (const i of identities) {
    must(await listFederatedCredentials(clients, i), 'credentials');
    must(await listRoleAssignmentsForPrincipal(clients, i.principalId, roleNames), 'roles');
  }
  return identities.length;
}

// The sandbox runs in a child process: Azure is another machine, so its CPU (TLS, JSON, handlers)
// must not be charged to the explorer's event loop.
if (process.argv.includes('--serve')) {
  const s = await startSandbox({ port: 0, scale: SCALE, knobs: { latencyMs: 0 } });
  process.on('message', async (m) => {
    if (m.setKnobs) {
      s.setKnobs(m.setKnobs);
      process.send({ ok: true });
    }
    if (m.close) {
      await s.close();
      process.exit(0);
    }
  });
  const { origin, armEndpoint, authorityHost, caPem, tenantId, subscriptionId, developer } = s;
  process.send({ origin, armEndpoint, authorityHost, caPem, tenantId, subscriptionId, developer });
} else {
  await main();
}

async function main() {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const info = await new Promise((r, j) => {
    child.once('message', r);
    child.once('exit', (code) => j(new Error(`sandbox exited ${code}`)));
  });
  const ask = (m) =>
    new Promise((r) => {
      child.once('message', r);
      child.send(m);
    });
  const sandbox = {
    ...info,
    setKnobs: (k) => ask({ setKnobs: k }),
    close: () =>
      new Promise((r) => {
        child.once('exit', r);
        child.send({ close: true });
      }),
  };
  try {
    const credential = sandboxCredential(sandbox);
    await credential.getToken(ARM_SCOPE); // sign-in is not part of the tree's time
    // Warm-up (JIT, TLS session, the sandbox's lazy state) without latency, on a throw-away connection.
    await expandTree(
      new AzureExplorerData(
        createArmConnection({
          credential,
          endpoint: sandbox.armEndpoint,
          tlsCa: sandbox.caPem,
          concurrency: CONCURRENCY,
        }),
      ),
    );
    await sandbox.setKnobs({ latencyMs: LATENCY_MS });

    const connection = createArmConnection({
      credential,
      endpoint: sandbox.armEndpoint,
      tlsCa: sandbox.caPem,
      concurrency: CONCURRENCY,
    });
    const t0 = performance.now();
    const shown = await expandTree(new AzureExplorerData(connection));
    const treeMs = performance.now() - t0;
    const requests = connection.stats.requests;
    const floorMs = (requests / CONCURRENCY) * LATENCY_MS;

    const seqConnection = createArmConnection({
      credential,
      endpoint: sandbox.armEndpoint,
      tlsCa: sandbox.caPem,
      concurrency: 1,
    });
    const subscriptionId = sandbox.subscriptionId;
    const seqClients = createArmClients({ credential, subscriptionId, connection: seqConnection });
    const t1 = performance.now();
    const listed = await sequentialScript(seqClients, sample);
    let seqMs = performance.now() - t1;
    const total = SCALE.identities + 2; // + the teaching scenario's two
    if (sample && listed < total) seqMs = (seqMs * total) / listed;

    const result = {
      floorRatio: Number((treeMs / floorMs).toFixed(3)),
      sequentialSpeedup: Number((seqMs / treeMs).toFixed(2)),
      requests,
      treeMs: Math.round(treeMs),
      floorMs: Math.round(floorMs),
      sequentialMs: Math.round(seqMs),
      sequentialRequests: seqConnection.stats.requests,
      sequentialSampled: sample ? listed : undefined,
      concurrency: CONCURRENCY,
      latencyMs: LATENCY_MS,
      peakConcurrency: connection.limiter.peak,
      throttled: connection.stats.throttled,
      shown,
    };
    console.log(
      `tree: ${requests} requests in ${result.treeMs} ms; floor ${result.floorMs} ms (${requests} ÷ ${CONCURRENCY} × ${LATENCY_MS} ms)`,
    );
    console.log(
      `tree: floorRatio ${result.floorRatio} (target ≤ 1.3), sequentialSpeedup ${result.sequentialSpeedup}× (target ≥ 6; sequential ${result.sequentialMs} ms${sample ? `, scaled from ${listed} identities` : ''})`,
    );
    console.log(
      `tree: ${shown.credentials} credentials, ${shown.assignments} role assignments, peak ${result.peakConcurrency} in flight`,
    );

    const file = join(root, 'bench', 'results.json');
    mkdirSync(dirname(file), { recursive: true });
    const merged = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
    merged.tree = result;
    writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
    if (result.floorRatio > 1.3 || result.sequentialSpeedup < 6) process.exitCode = 1;
  } finally {
    await sandbox.close();
  }
}
