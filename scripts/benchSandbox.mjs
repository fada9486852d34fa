// Sandbox read throughput (issue 3: ≥ 2,000 reads/s on loopback): many concurrent keep-alive
// GETs of user-assigned identities against a sandbox holding 1,000 identities × 5 credentials and
// 50 clusters, and the same load against a floor: a bare HTTPS server (same certificate) answering
// the same bytes. Merges `{ sandbox: { readsPerSecond, floorRatio, … } }` into bench/results.json.
// Run after `npx tsc -p tsconfig.test.json` (npm run bench does it).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:https';

const { startSandbox } = await import('../out/src/sandbox/server.js');
const { createTlsMaterial } = await import('../out/src/sandbox/tls.js');

const DURATION_MS = Number(process.env.BENCH_SANDBOX_MS ?? 2000);
const CONCURRENCY = 32;

function get(agent, url, headers) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`HTTP ${res.statusCode}: ${Buffer.concat(chunks)}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Runs CONCURRENCY loops of sequential GETs for DURATION_MS after a short warm-up; returns requests/s. */
async function load(agent, urlFor, headers) {
  const run = async (ms) => {
    let count = 0;
    const end = Date.now() + ms;
    await Promise.all(Array.from({ length: CONCURRENCY }, async (_, w) => {
      let i = w;
      while (Date.now() < end) { await get(agent, urlFor(i), headers); i += CONCURRENCY; count++; }
    }));
    return count;
  };
  await run(300);
  const start = process.hrtime.bigint();
  const count = await run(DURATION_MS);
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

const sandbox = await startSandbox({ scale: { identities: 1000, ficsPerIdentity: 5, clusters: 50 } });
let floorServer;
try {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca: sandbox.caPem });
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: sandbox.developer.clientId, client_secret: sandbox.developer.clientSecret, scope: 'https://management.azure.com/.default' });
  const token = await new Promise((resolve, reject) => {
    const req = request(`${sandbox.origin}/${sandbox.tenantId}/oauth2/v2.0/token`, { method: 'POST', ca: sandbox.caPem, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
      let t = ''; res.on('data', (c) => { t += c; }); res.on('end', () => resolve(JSON.parse(t).access_token));
    });
    req.on('error', reject);
    req.end(form.toString());
  });
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
  const url = (i) => `${sandbox.origin}/subscriptions/${sandbox.subscriptionId}/resourceGroups/rg-scale/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-scale-${String(i % 1000).padStart(4, '0')}?api-version=2024-11-30`;
  const sample = await get(agent, url(0), headers);

  // Floor: the same TLS, keep-alive and bytes, no emulation at all.
  const tls = createTlsMaterial();
  floorServer = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    req.resume();
    req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': sample.length }); res.end(sample); });
  });
  floorServer.keepAliveTimeout = 65_000;
  await new Promise((r) => floorServer.listen(0, '127.0.0.1', r));
  const floorAgent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca: tls.caPem });
  const floorUrl = `https://127.0.0.1:${floorServer.address().port}/x`;

  // Interleaved (floor, sandbox, floor, sandbox), best of each: on a shared machine one
  // background burst must not decide the ratio.
  let floor = 0;
  let readsPerSecond = 0;
  for (let round = 0; round < 2; round++) {
    floor = Math.max(floor, await load(floorAgent, () => floorUrl, headers));
    readsPerSecond = Math.max(readsPerSecond, await load(agent, url, headers));
  }
  const result = {
    readsPerSecond: Math.round(readsPerSecond),
    floorReadsPerSecond: Math.round(floor),
    floorRatio: Number((readsPerSecond / floor).toFixed(3)),
    concurrency: CONCURRENCY,
    durationMs: DURATION_MS,
    identities: 1000,
    target: 2000,
  };
  const verdict = result.readsPerSecond >= 2000 ? 'meets' : 'BELOW';
  process.stdout.write(`sandbox: ${result.readsPerSecond} reads/s (floor ${result.floorReadsPerSecond}/s, ratio ${result.floorRatio}; ${verdict} the 2,000/s target)\n`);
  mkdirSync('bench', { recursive: true });
  const file = 'bench/results.json';
  const current = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  current.sandbox = result;
  writeFileSync(file, `${JSON.stringify(current, null, 2)}\n`);
  agent.destroy();
  floorAgent.destroy();
  // Not a gate: the machine is shared, so a figure below target is reported, not failed on.
} finally {
  floorServer?.close();
  floorServer?.closeAllConnections();
  await sandbox.close();
}
