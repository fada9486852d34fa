// The teaching scenario and the sample workspace tell one story: the sandbox that the extension
// and `kwi sandbox` start runs the tutorial's manifests of test/fixtures/workspace/tutorial, with
// the fixed client ID of id-wi-demo, so the explorer shows one green chain and one deliberate break.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AzureExplorerData } from '../../../src/azure/explorerData';
import { matchCredential, matchServiceAccount, type KnownIssuer } from '../../../src/azure/federationMatch';
import { Analyzer } from '../../../src/core/analyzer';
import { KubeExplorerData } from '../../../src/kube/kubeData';
import { SCENARIO, SCENARIO_IDS } from '../../../src/sandbox/scenario';
import { sandboxWithConnection } from '../azure/sandboxHarness';

const must = <T>(r: { ok: true; value: T } | { ok: false; error: { kind: string; message: string } }): T => {
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  return r.value;
};
const TUTORIAL = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'workspace', 'tutorial');
const clientIdIn = (file: string) =>
  /azure\.workload\.identity\/client-id: "([0-9a-f-]{36})"/.exec(readFileSync(join(TUTORIAL, file), 'utf8'))?.[1];

describe('teaching scenario with the tutorial workload (what a newcomer sees)', () => {
  let env: Awaited<ReturnType<typeof sandboxWithConnection>>;
  let azure: AzureExplorerData;
  let kube: KubeExplorerData;
  before(async () => {
    env = await sandboxWithConnection({ tutorialWorkload: true });
    azure = new AzureExplorerData(env.connect());
    const text = env.sandbox.kubeconfig();
    kube = new KubeExplorerData(() => ({ text }));
  });
  after(() => env.sandbox.close());

  it('the sample workspace carries the client IDs the scenario fixes', async () => {
    assert.equal(clientIdIn('serviceaccount.yaml'), SCENARIO_IDS.workingClientId);
    assert.equal(clientIdIn('noslash-serviceaccount.yaml'), SCENARIO_IDS.brokenClientId);
    const ids = must(await azure.identities(env.sandbox.subscriptionId));
    assert.equal(ids.find((i) => i.name === SCENARIO.workingIdentity)?.clientId, SCENARIO_IDS.workingClientId);
    assert.equal(ids.find((i) => i.name === SCENARIO.workingIdentity)?.principalId, SCENARIO_IDS.workingPrincipalId);
    assert.equal(ids.find((i) => i.name === SCENARIO.brokenIdentity)?.clientId, SCENARIO_IDS.brokenClientId);
  });

  it('the analyzer finds nothing wrong in the tutorial manifests, and calls the pod ready', () => {
    const analyzer = new Analyzer();
    for (const file of ['serviceaccount.yaml', 'noslash-serviceaccount.yaml']) {
      analyzer.indexFile(`file:///w/tutorial/${file}`, readFileSync(join(TUTORIAL, file), 'utf8'));
    }
    const pod = analyzer.analyze('file:///w/tutorial/pod.yaml', readFileSync(join(TUTORIAL, 'pod.yaml'), 'utf8'));
    assert.deepEqual(
      pod.findings.map((f) => f.rule),
      [],
    );
    assert.deepEqual(
      pod.lenses.map((l) => l.title),
      ['Workload identity: ready (client 9a3e…5c6d)'],
    );
  });

  it('aks-wi-demo runs the ServiceAccounts and the sample pod, mutated by the webhook', async () => {
    const listing = must(await kube.serviceAccounts(SCENARIO.clusterWithIssuer));
    assert.deepEqual(listing.annotated.map((s) => [s.namespace, s.name, s.clientId]).sort(), [
      ['default', SCENARIO.brokenServiceAccount, SCENARIO_IDS.brokenClientId],
      ['default', SCENARIO.serviceAccount, SCENARIO_IDS.workingClientId],
    ]);
    const cluster = Object.values(env.sandbox.state().clusters).find((c) => c.name === SCENARIO.clusterWithIssuer)!;
    const pod = cluster.kube.pods.default?.[SCENARIO.samplePod] as
      | {
          spec: { containers: Array<{ image: string; env: Array<{ name: string; value?: string }> }> };
          status: { phase: string };
        }
      | undefined;
    assert.ok(pod, 'the sample pod exists');
    const env_ = Object.fromEntries(pod.spec.containers[0]!.env.map((e) => [e.name, e.value]));
    assert.equal(pod.spec.containers[0]!.image, SCENARIO.samplePodImage);
    assert.equal(env_.AZURE_CLIENT_ID, SCENARIO_IDS.workingClientId);
    assert.equal(env_.SECRET_NAME, SCENARIO.secret);
    assert.match(env_.AZURE_FEDERATED_TOKEN_FILE ?? '', /^\/var\/run\/secrets\/azure\/.*\/azure-identity-token$/);
    assert.equal(pod.status.phase, 'Running');
  });

  it('fic-wi-demo has no warning and the ServiceAccount matches; fic-wi-noslash is flagged for its slash only', async () => {
    const sub = env.sandbox.subscriptionId;
    const clusters = must(await azure.clusters(sub));
    const demo = clusters.find((c) => c.name === SCENARIO.clusterWithIssuer)!;
    const listing = must(await kube.serviceAccounts(SCENARIO.clusterWithIssuer));
    const known: KnownIssuer[] = [{ issuer: demo.issuerUrl!, source: demo.name, serviceAccounts: listing.all }];
    const ids = must(await azure.identities(sub));
    const working = ids.find((i) => i.name === SCENARIO.workingIdentity)!;
    const broken = ids.find((i) => i.name === SCENARIO.brokenIdentity)!;
    const [fic] = must(await azure.credentials(sub, working));
    const [noslash] = must(await azure.credentials(sub, broken));
    assert.deepEqual(matchCredential(fic!, known).warnings, []);
    assert.deepEqual(
      matchCredential(noslash!, known).warnings.map((w) => w.kind),
      ['issuerTrailingSlash'],
    );
    const sa = listing.annotated.find((s) => s.name === SCENARIO.serviceAccount)!;
    const match = matchServiceAccount(sa, demo.issuerUrl, [{ ...working, credentials: [fic!] }]);
    assert.equal(match.status, 'matched');
    assert.equal(match.credential?.name, SCENARIO.workingCredential);
  });

  it('without the option the cluster starts as AKS creates it (the Kubernetes API tests rely on that)', async () => {
    const bare = await sandboxWithConnection();
    try {
      const cluster = Object.values(bare.sandbox.state().clusters).find((c) => c.name === SCENARIO.clusterWithIssuer)!;
      assert.deepEqual(Object.keys(cluster.kube.serviceaccounts.default ?? {}), ['default']);
      assert.deepEqual(Object.keys(cluster.kube.pods.default ?? {}), []);
    } finally {
      await bare.sandbox.close();
    }
  });
});
