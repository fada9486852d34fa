import { AuthorizationManagementClient } from '@azure/arm-authorization';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SCENARIO, SCENARIO_IDS } from '../../../src/sandbox/scenario';
import { startHarness, type Harness } from './sandboxClients';
import { kubectl, kubectlPresent, type Run } from './kubectlRunner';

/**
 * The tutorial's msal-go sample pod, acted out by the sandbox through its own Entra and Key Vault
 * endpoints, read with the real kubectl: success, the real 403 when the role assignment goes
 * (the container exits and restarts), and success again once it is back.
 */
const SUCCESS = new RegExp(
  `^I\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{6} {7}1 main\\.go:\\d+\\] "successfully got secret" secret="${SCENARIO.secretValue}"$`,
);

describe('the tutorial sample pod logs what msal-go would', async () => {
  const present = await kubectlPresent();
  const skip = present ? false : 'kubectl is not on PATH';
  let h: Harness;
  let dir: string;
  let kc: string;
  const interval = 1;
  const run = (...args: string[]): Promise<Run> => kubectl(kc, args);
  const logs = async (...extra: string[]): Promise<string[]> => {
    const r = await run('logs', SCENARIO.samplePod, ...extra);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.split('\n').filter(Boolean);
  };
  const wait = (s: number) => new Promise((r) => setTimeout(r, s * 1000 + 100));

  before(async () => {
    h = await startHarness({ tutorialWorkload: true, knobs: { sampleIntervalSeconds: interval } });
    dir = mkdtempSync(join(tmpdir(), 'kwi-sample-'));
    kc = join(dir, 'kubeconfig');
    const cluster = Object.values(h.sandbox.state().clusters).find((c) => c.name === SCENARIO.clusterWithIssuer)!;
    writeFileSync(kc, h.sandbox.kubeconfig());
    await run('config', 'use-context', cluster.name);
  });
  after(async () => {
    await h?.sandbox.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'success, then ForbiddenByRbac after the role assignment is deleted, then success after it is restored',
    { skip },
    async () => {
      const first = await logs();
      assert.equal(first.length, 1);
      assert.match(first[0]!, SUCCESS);
      assert.deepEqual(await logs(), first, 'no new attempt before the interval');
      await wait(interval);
      const second = await logs();
      assert.equal(second.length, 2);
      assert.match(second[1]!, SUCCESS);

      const auth = new AuthorizationManagementClient(h.credential, h.sandbox.subscriptionId, h.armOptions);
      const assignment = Object.values(h.sandbox.state().roleAssignments).find(
        (a) => a.principalId === SCENARIO_IDS.workingPrincipalId && /vaults/i.test(a.scope),
      )!;
      assert.ok(assignment, 'the scenario grants the working identity a role on the vault');
      await auth.roleAssignments.delete(assignment.scope, assignment.name);
      await wait(interval);
      const failed = await logs();
      assert.ok(failed.length > 3, 'the error is one multi-line klog entry after two successes');

      assert.match(failed[2]!, /^E\d{4} [\d:.]+ {7}1 main\.go:\d+\] "failed to get secret from keyvault" err=<$/);
      const all = (await run('logs', SCENARIO.samplePod)).stdout;
      assert.match(all, /RESPONSE 403: 403 Forbidden\n\tERROR CODE: Forbidden/);
      assert.match(all, /"code": "ForbiddenByRbac"/);
      assert.match(all, / > keyvault="https:\/\/[^"]+\/" secretName="my-secret"\n$/);
      assert.ok(!all.includes('eyJ'), 'no token in the log');
      const pod = JSON.parse((await run('get', 'pod', SCENARIO.samplePod, '-o', 'json')).stdout) as {
        status: {
          containerStatuses: Array<{
            restartCount: number;
            state: { waiting?: { reason: string } };
            lastState: { terminated?: { exitCode: number } };
          }>;
        };
      };
      assert.equal(pod.status.containerStatuses[0]!.restartCount, 1);
      assert.equal(pod.status.containerStatuses[0]!.state.waiting?.reason, 'CrashLoopBackOff');
      assert.equal(pod.status.containerStatuses[0]!.lastState.terminated?.exitCode, 1);
      assert.match(
        (await run('get', 'pod', SCENARIO.samplePod, '--no-headers')).stdout,
        /^\S+\s+0\/1\s+CrashLoopBackOff\s+1\s/,
      );

      await auth.roleAssignments.create(assignment.scope, assignment.name, {
        roleDefinitionId: `/subscriptions/${h.sandbox.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${assignment.roleDefinitionGuid}`,
        principalId: assignment.principalId,
        principalType: 'ServicePrincipal',
      });
      await wait(interval);
      const restarted = await logs();
      assert.equal(restarted.length, 1, 'the restarted container has a fresh log');
      assert.match(restarted[0]!, SUCCESS);
      assert.match((await logs('--previous')).join('\n'), /ForbiddenByRbac/);
      const after_ = JSON.parse((await run('get', 'pod', SCENARIO.samplePod, '-o', 'json')).stdout) as {
        status: { containerStatuses: Array<{ restartCount: number; ready: boolean }> };
      };
      assert.equal(after_.status.containerStatuses[0]!.restartCount, 1);
      assert.equal(after_.status.containerStatuses[0]!.ready, true);
    },
  );

  it('kubectl logs -f streams the next line as it is printed', { skip }, async () => {
    const child = spawn('kubectl', ['--kubeconfig', kc, 'logs', '-f', SCENARIO.samplePod]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    try {
      const start = Date.now();
      const lines = () => out.split('\n').filter((l) => SUCCESS.test(l)).length;
      while (lines() < 1 && Date.now() - start < 10_000) await wait(0.1);
      const first = lines();
      assert.ok(first >= 1, out);
      while (lines() <= first && Date.now() - start < 15_000) await wait(0.2);
      assert.ok(lines() > first, `a new line arrived on the open stream: ${out}`);
    } finally {
      child.kill();
    }
  });

  it('a container missing KEYVAULT_URL exits with klog.Fatal; other images log nothing', { skip }, async () => {
    const pod = (name: string, image: string) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default', labels: { 'azure.workload.identity/use': 'true' } },
        spec: {
          serviceAccountName: SCENARIO.serviceAccount,
          containers: [{ name: 'c', image, env: [{ name: 'SECRET_NAME', value: 'x' }] }],
        },
      });
    assert.equal(
      (
        await kubectl(
          kc,
          ['apply', '-f', '-'],
          pod('fatal', `${'ghcr.io/azure/azure-workload-identity/msal-go'}:v1.5.1`),
        )
      ).code,
      0,
    );
    assert.equal((await kubectl(kc, ['apply', '-f', '-'], pod('quiet', 'nginx'))).code, 0);
    assert.match(
      (await run('logs', 'fatal')).stdout,
      /^F\d{4} [\d:.]+ {7}1 main\.go:\d+\] KEYVAULT_URL environment variable is not set\n$/,
    );
    assert.equal((await run('logs', 'quiet')).stdout, '');
  });
});
