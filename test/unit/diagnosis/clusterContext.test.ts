import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { diagnosisJson, diagnosisText } from '../../../src/core/diagnosis/report';
import { BackendError, sandboxDiagnosisBackend } from '../../../src/diagnosis/backends';
import { clusterKubeContext } from '../../../src/diagnosis/clusterContext';
import { diagnoseServiceAccount } from '../../../src/diagnosis/session';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { startDoctorHarness, statuses, type DoctorHarness } from './doctorHarness';

const cluster = { name: SCENARIO.clusterWithIssuer, resourceGroup: SCENARIO.resourceGroup };

/** A user's kubeconfig that knows another cluster only (as before `az aks get-credentials`). */
const OTHER_ONLY = {
  text: [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: other',
    '  cluster: { server: "https://127.0.0.1:1" }',
    'users:',
    '- name: other',
    '  user: { token: not-this-one }',
    'contexts:',
    '- name: other',
    '  context: { cluster: other, user: other }',
    'current-context: other',
    '',
  ].join('\n'),
};

/** The bearer token of the clusterUser kubeconfig ARM hands out, to prove it never reaches an output. */
function clusterUserToken(h: DoctorHarness): string {
  const c = Object.values(h.sandbox.state().clusters).find((x) => x.name === SCENARIO.clusterWithIssuer)!;
  return c.clientToken ?? '';
}

describe('diagnosis without a kubeconfig context for the cluster', () => {
  let h: DoctorHarness;
  before(async () => {
    h = await startDoctorHarness();
  });
  after(async () => {
    await h.sandbox.close();
  });

  it('runs the Kubernetes checks on the kubeconfig from listClusterUserCredential, printing no credential', async () => {
    const working = await h.msi.userAssignedIdentities.get(SCENARIO.resourceGroup, SCENARIO.workingIdentity);
    await h.serviceAccount(SCENARIO.serviceAccount, working.clientId!);
    await h.pod('working-app', SCENARIO.serviceAccount);

    const backend = await sandboxDiagnosisBackend(h.sandbox, cluster, undefined, OTHER_ONLY);
    // Not the user's file: the context comes from ARM's clusterUser kubeconfig.
    assert.ok(!backend.kube.config.contexts.some((c) => c.name === 'other'));
    const server = backend.kube.config.contexts.find((c) => c.name === backend.kube.context)?.server ?? '';
    assert.match(server, new RegExp(`/k8s/${h.clusterGuid}$`));

    const d = await diagnoseServiceAccount(
      backend,
      { resourceGroup: cluster.resourceGroup, cluster: cluster.name },
      'default',
      SCENARIO.serviceAccount,
    );
    const s = statuses(d);
    assert.equal(s.serviceaccount, 'pass', JSON.stringify(d.checks, null, 2));
    assert.equal(s.pods, 'pass');
    assert.equal(s['token-request'], 'pass');
    assert.equal(s['token-exchange'], 'pass');

    const token = clusterUserToken(h);
    assert.ok(token.length >= 16, 'the sandbox cluster has a client token');
    const printed = JSON.stringify(diagnosisJson(d)) + diagnosisText(d, 'en', { evidence: true });
    assert.ok(!printed.includes(token), 'the clusterUser token is not in the report');
  });

  it('the shared lookup prefers a context named after the cluster over listClusterUserCredential', async () => {
    const own = parse(h.sandbox.kubeconfig()) as { contexts: { name: string }[] };
    assert.ok(own.contexts.some((c) => c.name === cluster.name));
    const found = await clusterKubeContext({
      arm: h.backend.arm,
      subscriptionId: h.sandbox.subscriptionId,
      resourceGroup: cluster.resourceGroup,
      clusterName: cluster.name,
      kubeconfig: { text: h.sandbox.kubeconfig() },
    });
    assert.equal(found.context, cluster.name);
    assert.equal(found.fromClusterUserCredential, false);
  });

  it('without the fallback, or for a cluster ARM does not know, says so and names no credential', async () => {
    await assert.rejects(
      clusterKubeContext({
        arm: h.backend.arm,
        subscriptionId: h.sandbox.subscriptionId,
        resourceGroup: cluster.resourceGroup,
        clusterName: cluster.name,
        kubeconfig: OTHER_ONLY,
        useClusterUserCredential: false,
      }),
      new RegExp(`no kubeconfig context named '${cluster.name}'`),
    );
    await assert.rejects(
      sandboxDiagnosisBackend(h.sandbox, { ...cluster, name: 'no-such-cluster' }, undefined, OTHER_ONLY),
      (e: unknown) =>
        e instanceof BackendError &&
        /no kubeconfig context named 'no-such-cluster', and listClusterUserCredential failed/.test(e.message) &&
        !e.message.includes(clusterUserToken(h)),
    );
    await assert.rejects(
      sandboxDiagnosisBackend(h.sandbox, cluster, 'missing-context', OTHER_ONLY),
      /no kubeconfig context 'missing-context'/,
    );
  });
});
