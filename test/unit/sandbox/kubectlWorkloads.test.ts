import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from './kubeHarness';
import { kubectl, kubectlPresent, type Run } from './kubectlRunner';

/**
 * The real kubectl against the sandbox's Kubernetes API: rollouts through stored ReplicaSets
 * (restart, history, undo, status), StatefulSets, DaemonSets and Jobs whose pods the workload
 * identity webhook mutates, `get -w` receiving later events, the webhook's
 * MutatingWebhookConfiguration present only where workload identity is on, and kube-system
 * left alone. Skipped only when kubectl is absent.
 */
const SA = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: wi-sa
  namespace: default
  annotations:
    azure.workload.identity/client-id: 6f1c2b7e-3d4a-4c5b-8e9f-0a1b2c3d9f01
`;

function template(app: string, restartPolicy?: string): string {
  return `  template:
    metadata:
      labels:
        app: ${app}
        azure.workload.identity/use: "true"
    spec:
      serviceAccountName: wi-sa
${restartPolicy ? `      restartPolicy: ${restartPolicy}\n` : ''}      containers:
      - name: main
        image: nginx:1.27`;
}

describe('kubectl and workloads on the sandbox', async () => {
  const present = await kubectlPresent();
  const skip = present ? false : 'kubectl is not on PATH';
  let h: Harness;
  let dir: string;
  let kc: string;
  let kcOff: string;
  const run = (...args: string[]): Promise<Run> => kubectl(kc, args);
  const ok = async (...args: string[]): Promise<string> => {
    const r = await run(...args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const envOf = async (selector: string, ns = 'default'): Promise<string> =>
    ok('-n', ns, 'get', 'pods', '-l', selector, '-o', 'jsonpath={.items[*].spec.containers[0].env[*].name}');

  before(async () => {
    if (!present) return;
    h = await startHarness([
      { name: 'wi', oidc: true, workloadIdentity: true },
      { name: 'legacy', oidc: true, workloadIdentity: false },
    ]);
    dir = mkdtempSync(join(tmpdir(), 'kwi-kubectl-workloads-'));
    kc = join(dir, 'kubeconfig');
    writeFileSync(kc, h.kubeconfig(['wi']));
    kcOff = join(dir, 'kubeconfig-off');
    writeFileSync(kcOff, h.kubeconfig(['legacy']));
    await ok('apply', '-f', file('sa.yaml', SA));
  });
  after(async () => {
    if (!present) return;
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("rollout restart, history, undo and status go through the Deployment's ReplicaSets", { skip }, async () => {
    await ok(
      'apply',
      '-f',
      file(
        'dep.yaml',
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n${template('web')}\n`,
      ),
    );
    const rs1 = (await ok('get', 'rs', '-l', 'app=web', '-o', 'name')).trim();
    assert.match(rs1, /^replicaset\.apps\/web-[a-z0-9]{10}$/);
    const pod = (
      await ok('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.ownerReferences[0].name}')
    ).trim();
    assert.equal(`replicaset.apps/${pod}`, rs1);
    assert.match(
      await ok('rollout', 'status', 'deployment/web', '--timeout=20s'),
      /deployment "web" successfully rolled out/,
    );

    assert.match(await ok('rollout', 'restart', 'deployment/web'), /deployment\.apps\/web restarted/);
    const names = (
      await ok(
        'get',
        'rs',
        '-l',
        'app=web',
        '-o',
        'jsonpath={range .items[*]}{.metadata.name}={.spec.replicas}={.metadata.annotations.deployment\\.kubernetes\\.io/revision}{"\\n"}{end}',
      )
    )
      .trim()
      .split('\n');
    assert.equal(names.length, 2);
    assert.ok(
      names.some((n) => n === `${rs1.split('/')[1]}=0=1`),
      names.join(' '),
    );
    assert.ok(
      names.some((n) => n.endsWith('=2=2')),
      names.join(' '),
    );
    const history = await ok('rollout', 'history', 'deployment/web');
    assert.match(history, /^REVISION\s+CHANGE-CAUSE$/m);
    assert.match(history, /^1\s+<none>$/m);
    assert.match(history, /^2\s+<none>$/m);
    assert.match(
      await ok('rollout', 'history', 'deployment/web', '--revision=2'),
      /kubectl\.kubernetes\.io\/restartedAt/,
    );

    assert.match(await ok('rollout', 'undo', 'deployment/web'), /deployment\.apps\/web rolled back/);
    const after = (
      await ok(
        'get',
        'rs',
        rs1.split('/')[1] as string,
        '-o',
        'jsonpath={.spec.replicas}={.metadata.annotations.deployment\\.kubernetes\\.io/revision}',
      )
    ).trim();
    assert.equal(after, '2=3', 'the first ReplicaSet is back, as revision 3');
    assert.equal(
      (
        await ok('get', 'deploy', 'web', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}')
      ).trim(),
      '3',
    );
    const owners = (
      await ok('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.ownerReferences[0].name}')
    )
      .trim()
      .split(' ');
    assert.deepEqual([...new Set(owners)], [rs1.split('/')[1]]);
    assert.match(await ok('rollout', 'status', 'deployment/web', '--timeout=20s'), /successfully rolled out/);
  });

  it('StatefulSet, DaemonSet and Job pods go through the webhook', { skip }, async () => {
    await ok(
      'apply',
      '-f',
      file(
        'sts.yaml',
        `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  replicas: 2\n  serviceName: db\n  selector:\n    matchLabels:\n      app: db\n${template('db')}\n`,
      ),
    );
    await ok(
      'apply',
      '-f',
      file(
        'ds.yaml',
        `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels:\n      app: agent\n${template('agent')}\n`,
      ),
    );
    await ok(
      'apply',
      '-f',
      file(
        'job.yaml',
        `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\nspec:\n${template('once', 'Never')}\n`,
      ),
    );
    assert.equal((await ok('get', 'pods', '-l', 'app=db', '-o', 'name')).trim(), 'pod/db-0\npod/db-1');
    assert.match(await ok('get', 'statefulsets'), /^db\s+2\/2\s+\d+s$/m);
    assert.match(await ok('get', 'daemonsets'), /^agent\s+1\s+1\s+1\s+1\s+1\s+<none>\s+\d+s$/m);
    assert.match(await ok('get', 'jobs'), /^once\s+Running\s+0\/1\s+/m);
    for (const app of ['db', 'agent', 'once']) {
      const env = await envOf(`app=${app}`);
      assert.match(env, /AZURE_CLIENT_ID AZURE_TENANT_ID AZURE_FEDERATED_TOKEN_FILE AZURE_AUTHORITY_HOST/, app);
    }
    assert.match(await ok('describe', 'pod', 'db-0'), /^Controlled By:\s+StatefulSet\/db$/m);
    assert.match(
      await ok('get', 'pods', '-l', 'job-name=once', '-o', 'jsonpath={.items[0].metadata.ownerReferences[0].kind}'),
      /^Job$/,
    );
    assert.match(await ok('rollout', 'status', 'statefulset/db', '--timeout=20s'), /roll(ing update|ed out)|complete/);
    await ok('delete', 'pod', 'db-1');
    assert.equal(
      (await ok('get', 'pods', '-l', 'app=db', '-o', 'name')).trim(),
      'pod/db-0\npod/db-1',
      'the controller recreates a deleted pod',
    );
  });

  it('get pods -w prints a pod created later, until the watch is closed', { skip }, async () => {
    const child = spawn('kubectl', ['--kubeconfig', kc, 'get', 'pods', '-w'], {
      env: { ...process.env, KUBECONFIG: kc },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const waitFor = async (re: RegExp): Promise<void> => {
      const until = Date.now() + 20_000;
      while (!re.test(out)) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${String(re)} in:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    try {
      await waitFor(/^db-0\s/m);
      await ok('run', 'late-pod', '--image=nginx:1.27', '--restart=Never');
      await waitFor(/^late-pod\s+1\/1\s+Running/m);
      assert.equal(child.exitCode, null, 'kubectl is still watching');
    } finally {
      child.kill();
    }
  });

  it('lists the MutatingWebhookConfiguration only where workload identity is enabled', { skip }, async () => {
    assert.match(
      await ok('get', 'mutatingwebhookconfigurations'),
      /^azure-wi-webhook-mutating-webhook-configuration\s+1\s+\d+/m,
    );
    const yaml = await ok(
      'get',
      'mutatingwebhookconfiguration',
      'azure-wi-webhook-mutating-webhook-configuration',
      '-o',
      'jsonpath={.webhooks[0].name} {.webhooks[0].objectSelector.matchLabels} {.webhooks[0].namespaceSelector.matchExpressions[0].values[0]}',
    );
    assert.equal(yaml, 'mutation.azure-workload-identity.io {"azure.workload.identity/use":"true"} kube-system');
    const off = await kubectl(kcOff, ['get', 'mutatingwebhookconfigurations']);
    assert.equal(off.code, 0, off.stderr);
    assert.match(off.stderr, /No resources found/);
    const missing = await kubectl(kcOff, [
      'get',
      'mutatingwebhookconfiguration',
      'azure-wi-webhook-mutating-webhook-configuration',
    ]);
    assert.match(missing.stderr, /NotFound/);
  });

  it('leaves kube-system pods alone even when labelled', { skip }, async () => {
    await ok('-n', 'kube-system', 'create', 'serviceaccount', 'wi-sa');
    await ok(
      '-n',
      'kube-system',
      'annotate',
      'serviceaccount',
      'wi-sa',
      'azure.workload.identity/client-id=6f1c2b7e-3d4a-4c5b-8e9f-0a1b2c3d9f01',
    );
    await ok(
      '-n',
      'kube-system',
      'run',
      'sys',
      '--image=nginx:1.27',
      '--labels=azure.workload.identity/use=true,run=sys',
      '--overrides={"spec":{"serviceAccountName":"wi-sa"}}',
    );
    assert.equal((await envOf('run=sys', 'kube-system')).trim(), '');
    await ok(
      'run',
      'usr',
      '--image=nginx:1.27',
      '--labels=azure.workload.identity/use=true,run=usr',
      '--overrides={"spec":{"serviceAccountName":"wi-sa"}}',
    );
    assert.match(await envOf('run=usr'), /AZURE_FEDERATED_TOKEN_FILE/);
  });
});
