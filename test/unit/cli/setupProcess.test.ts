// `kwi setup` as a real process against a sandbox that owns a state file: killed (SIGKILL) during
// the cluster's long-running operation and again between steps, re-run to completion, then run
// once more with no write at all; and the exit-code contract of --plan.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server';
import type { SandboxStats } from '../../../src/sandbox/requestStats';
import { all, developerCredential, rawRequest } from '../sandbox/sandboxClients';

const MAIN = resolve(__dirname, '../../../src/cli/main.js');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** Runs `kwi setup`; `killWhen` sees stderr as it grows and returns true to SIGKILL the process. */
function setup(args: string[], killWhen?: (err: string) => boolean): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [MAIN, 'setup', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LANG: 'en_US.UTF-8' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (killWhen && !child.killed && killWhen(err)) child.kill('SIGKILL');
    });
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, out, err }));
  });
}

describe('kwi setup as a process: interrupted, resumed, re-run', () => {
  let dir: string;
  let stateFile: string;
  let sandbox: RunningSandbox;
  const vault = () =>
    `/subscriptions/${sandbox.subscriptionId}/resourceGroups/${SCENARIO.resourceGroup}/providers/Microsoft.KeyVault/vaults/${SCENARIO.vault}`;
  const args = () => [
    '--sandbox',
    stateFile,
    '--subscription',
    sandbox.subscriptionId,
    '--resource-group',
    SCENARIO.resourceGroup,
    '--cluster',
    SCENARIO.clusterWithout,
    '--namespace',
    'default',
    '--service-account',
    'app-sa',
    '--identity',
    'id-app',
    '--scope',
    vault(),
    '--role',
    'Key Vault Secrets User',
  ];
  const stats = async () => (await rawRequest(sandbox, 'GET', '/_sandbox/stats')).json() as SandboxStats;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kwi-setup-'));
    stateFile = join(dir, 'state.json');
    // Owning the state file, as `kwi sandbox` would: the CLI attaches to it.
    sandbox = await startSandbox({ port: 0, stateFile, knobs: { lroSeconds: 3 } });
  });
  after(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--plan on a chain with work to do: exit 1 (not every step done), nothing written; bad usage: exit 2 with one line', async () => {
    const w = sandbox.stats().writes;
    const r = await setup([...args(), '--plan', '--format', 'json']);
    assert.equal(r.code, 1, r.err);
    const json = JSON.parse(r.out) as { steps: Array<{ id: string; state: string }>; writes: number };
    assert.equal(json.writes, 0);
    assert.ok(json.steps.some((s) => s.state === 'todo'));
    assert.equal(sandbox.stats().writes, w);
    const bad = await setup([...args(), '--plan', '--yes']);
    assert.equal(bad.code, 2);
    assert.equal(bad.err.trim().split('\n').length, 1, bad.err);
  });

  it('killed during the cluster operation and between steps, a re-run completes with one identity, one credential, one role assignment', async () => {
    const during = await setup([...args(), '--yes'], (err) => /cluster\.oidc-issuer waiting/.test(err));
    assert.equal(during.signal, 'SIGKILL', `not killed during the operation: ${during.err}`);
    const cluster = Object.values(sandbox.state().clusters).find((c) => c.name === SCENARIO.clusterWithout)!;
    assert.ok(cluster, 'cluster exists');

    const between = await setup([...args(), '--yes'], (err) =>
      /\b(identity|serviceaccount|federated-credential) applied/.test(err),
    );
    assert.equal(between.signal, 'SIGKILL', `not killed between steps: ${between.err}`);

    // The operation the first process started goes on at the service: the re-run, started at once,
    // waits for it (and says so) instead of reporting the step blocked.
    const clusterState = () =>
      Object.values(sandbox.state().clusters).find((c) => c.name === SCENARIO.clusterWithout)!.provisioningState;
    if (clusterState() !== 'Updating') {
      // The killed run's operation already ended: start one the way another tool would (a PUT of
      // the cluster as it is), so the re-run meets a running operation every time.
      const aks = new ContainerServiceClient(developerCredential(sandbox), sandbox.subscriptionId, {
        endpoint: sandbox.armEndpoint,
        tlsOptions: { ca: sandbox.caPem },
      });
      const current = await aks.managedClusters.get(SCENARIO.resourceGroup, SCENARIO.clusterWithout);
      await aks.managedClusters.beginCreateOrUpdate(SCENARIO.resourceGroup, SCENARIO.clusterWithout, current);
    }
    assert.equal(clusterState(), 'Updating', 'an operation runs on the cluster when the re-run starts');
    const resumed = await setup([...args(), '--yes', '--format', 'json']);
    assert.equal(resumed.code, 0, resumed.out + resumed.err);
    assert.match(resumed.err, /is Updating \(an operation is running\); waiting for it to finish/);
    const json = JSON.parse(resumed.out) as { steps: Array<{ id: string; state: string }>; writes: number };
    for (const s of json.steps) assert.ok(s.state === 'done' || s.state === 'applied', `${s.id}: ${s.state}`);

    const credential = developerCredential(sandbox);
    const opts = {
      endpoint: sandbox.armEndpoint,
      tlsOptions: { ca: sandbox.caPem },
      credentialScopes: ['https://management.azure.com/.default'],
    };
    const msi = new ManagedServiceIdentityClient(credential, sandbox.subscriptionId, opts);
    const ids = (await all(msi.userAssignedIdentities.listByResourceGroup(SCENARIO.resourceGroup))).filter(
      (x) => x.name === 'id-app',
    );
    assert.equal(ids.length, 1, 'exactly one identity');
    const fics = await all(msi.federatedIdentityCredentials.list(SCENARIO.resourceGroup, 'id-app'));
    assert.equal(fics.length, 1, `exactly one credential: ${fics.map((f) => f.name).join(', ')}`);
    assert.equal(fics[0]!.subject, 'system:serviceaccount:default:app-sa');
    const auth = new AuthorizationManagementClient(credential, sandbox.subscriptionId, opts);
    const assignments = (await all(auth.roleAssignments.listForScope(vault()))).filter(
      (a) => a.principalId === ids[0]!.principalId,
    );
    assert.equal(assignments.length, 1, 'exactly one role assignment');
  });

  it('a re-run of the completed chain sends 0 writes: in its JSON and in /_sandbox/stats by method; --plan then exits 0', async () => {
    const before = await stats();
    const r = await setup([...args(), '--yes', '--format', 'json']);
    const afterStats = await stats();
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as { steps: Array<{ state: string }>; writes: number };
    assert.equal(json.writes, 0);
    assert.ok(json.steps.every((s) => s.state === 'done'));
    assert.equal(afterStats.writes - before.writes, 0);
    for (const m of ['PUT', 'PATCH', 'DELETE']) {
      assert.equal((afterStats.byMethod[m] ?? 0) - (before.byMethod[m] ?? 0), 0, `${m} requests`);
    }
    assert.ok(!r.out.includes(sandbox.developer.clientSecret) && !r.err.includes(sandbox.developer.clientSecret));
    assert.doesNotMatch(r.out + r.err, /eyJ[A-Za-z0-9_-]{5,}\./, 'no token in the output');
    const plan = await setup([...args(), '--plan']);
    assert.equal(plan.code, 0, plan.out + plan.err);
  });
});
