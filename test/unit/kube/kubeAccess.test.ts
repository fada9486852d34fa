// The kube layer against the sandbox's Kubernetes API, with @kubernetes/client-node.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KubeExplorerData } from '../../../src/kube/kubeData';
import { listServiceAccounts, loadKubeconfig, readIssuer } from '../../../src/kube/kubeAccess';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server';

const must = <T>(r: { ok: true; value: T } | { ok: false; error: { kind: string; message: string } }): T => {
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  return r.value;
};

describe('kube access against the sandbox', () => {
  let sandbox: RunningSandbox;
  let dir: string;
  before(async () => {
    sandbox = await startSandbox({ port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'kwi-kube-test-'));
  });
  after(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the contexts of a kubeconfig given as text', async () => {
    const kc = must(await loadKubeconfig({ text: sandbox.kubeconfig() }));
    assert.deepEqual(kc.contexts.map((c) => c.name).sort(), ['aks-legacy', 'aks-wi-demo']);
    assert.ok(kc.contexts.every((c) => c.server?.startsWith(`${sandbox.origin}/k8s/`)));
    assert.equal(kc.contexts.filter((c) => c.current).length, 1);
  });

  it('respects KUBECONFIG, a path list merged like kubectl', async () => {
    const a = join(dir, 'a.yaml');
    writeFileSync(a, sandbox.kubeconfig());
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = `${join(dir, 'missing.yaml')}:${a}`;
    try {
      const kc = must(await loadKubeconfig());
      assert.deepEqual(kc.contexts.map((c) => c.name).sort(), ['aks-legacy', 'aks-wi-demo']);
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
  });

  it('reports an unreadable kubeconfig as a value', async () => {
    const r = await loadKubeconfig({ text: 'clusters: [' });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.kind, 'invalidConfig');
  });

  it('lists annotated ServiceAccounts (workload identity and IRSA), paging to the end', async () => {
    const kc = must(await loadKubeconfig({ text: sandbox.kubeconfig() }));
    const server = kc.contexts.find((c) => c.name === 'aks-wi-demo')!.server!;
    // The cluster's admin token, as the written kubeconfig carries it.
    const token = /name: clusterUser_aks-wi-demo\n\s+user:\n\s+token: (\S+)/.exec(sandbox.kubeconfig())?.[1] ?? '';
    const post = async (ns: string, body: object) => {
      const { request } = await import('node:https');
      await new Promise<void>((resolve, reject) => {
        const req = request(
          `${server}/api/v1/namespaces/${ns}/serviceaccounts`,
          {
            method: 'POST',
            ca: sandbox.caPem,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          },
          (res) => {
            res.resume();
            res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify(body));
      });
    };
    await post('default', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: 'workload-identity-sa',
        annotations: { 'azure.workload.identity/client-id': '00000000-0000-0000-0000-000000000001' },
      },
    });
    await post('default', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: 's3-reader',
        annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/s3' },
      },
    });
    await post('default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'plain' } });
    const listing = must(await listServiceAccounts(kc, 'aks-wi-demo', 2));
    assert.deepEqual(
      listing.annotated.map((s) => [s.namespace, s.name, s.clientId ?? s.roleArn]),
      [
        ['default', 's3-reader', 'arn:aws:iam::123456789012:role/s3'],
        ['default', 'workload-identity-sa', '00000000-0000-0000-0000-000000000001'],
      ],
    );
    assert.ok(
      listing.all.some((s) => s.namespace === 'kube-system' && s.name === 'default'),
      'pages followed past the first 2 items',
    );
    assert.ok(listing.all.some((s) => s.name === 'plain'));
  });

  it("reads the issuer from the API server's own discovery document", async () => {
    const kc = must(await loadKubeconfig({ text: sandbox.kubeconfig() }));
    const issuer = must(await readIssuer(kc, 'aks-wi-demo'));
    const clusterGuid = kc.contexts
      .find((c) => c.name === 'aks-wi-demo')!
      .server!.split('/')
      .pop();
    assert.equal(issuer, `${sandbox.origin}/oidc/eastus/${sandbox.tenantId}/${clusterGuid}/`);
    // Without the AKS issuer the API server reports kube-apiserver's in-cluster default.
    assert.equal(must(await readIssuer(kc, 'aks-legacy')), 'https://kubernetes.default.svc.cluster.local');
  });

  it('reports an unreachable API server as a value', async () => {
    const text = sandbox.kubeconfig().replace(/server: https:\/\/127\.0\.0\.1:\d+/g, 'server: https://127.0.0.1:1');
    const kc = must(await loadKubeconfig({ text }));
    const r = await listServiceAccounts(kc, 'aks-wi-demo');
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.kind, 'unreachable');
  });

  it('caches per context until invalidated', async () => {
    const data = new KubeExplorerData(() => ({ text: sandbox.kubeconfig() }));
    const a = await data.serviceAccounts('aks-wi-demo');
    assert.equal(await data.serviceAccounts('aks-wi-demo'), a);
    data.invalidate('sa|aks-wi-demo');
    assert.notEqual(await data.serviceAccounts('aks-wi-demo'), a);
  });
});
