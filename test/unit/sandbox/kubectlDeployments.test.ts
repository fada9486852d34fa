import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { startHarness, type Harness } from './kubeHarness';
import { kubectl, kubectlPresent, type Run } from './kubectlRunner';

/**
 * The real kubectl on PATH applying the sample workspace's Deployments to a sandbox cluster
 * (the test harness serving src/sandbox/kube over HTTPS): apply, get, describe, scale, the
 * API server's validation errors as kubectl prints them, and cascading delete.
 * Skipped only when kubectl is absent.
 */
const APP = resolve(__dirname, '../../../../test/fixtures/workspace/app');
const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';

describe('kubectl and Deployments on the sandbox', async () => {
  const present = await kubectlPresent();
  const skip = present ? false : 'kubectl is not on PATH';
  let h: Harness;
  let dir: string;
  let kc: string;
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
  const ready = readFileSync(join(APP, 'deployment-ready.yaml'), 'utf8');
  const podNames = async (): Promise<string[]> =>
    (await ok('-n', 'app', 'get', 'pods', '-l', 'app=kv-reader', '-o', 'name')).split('\n').filter(Boolean);

  before(async () => {
    if (!present) return;
    h = await startHarness([{ name: 'wi', oidc: true, workloadIdentity: true }]);
    dir = mkdtempSync(join(tmpdir(), 'kwi-kubectl-deploy-'));
    kc = join(dir, 'kubeconfig');
    writeFileSync(kc, h.kubeconfig());
  });
  after(async () => {
    if (!present) return;
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('apply -f of the sample Deployment creates webhook-mutated pods', { skip }, async () => {
    await ok('create', 'namespace', 'app');
    // The fixture's first document is the annotated kv-reader ServiceAccount.
    const sa = readFileSync(join(APP, 'serviceaccounts.yaml'), 'utf8').split(/^---$/m)[0] as string;
    assert.equal((await ok('apply', '-f', file('sa.yaml', sa))).trim(), 'serviceaccount/kv-reader created');
    assert.equal(
      (await ok('apply', '-f', join(APP, 'deployment-ready.yaml'))).trim(),
      'deployment.apps/kv-reader created',
    );
    const names = await podNames();
    assert.equal(names.length, 2);
    for (const n of names) assert.match(n, new RegExp(`^pod/kv-reader-${SAFE}{10}-${SAFE}{5}$`));
    const pod = parse(await ok('-n', 'app', 'get', names[0] as string, '-o', 'yaml')) as {
      metadata: { ownerReferences: { kind: string; name: string }[]; labels: Record<string, string> };
      spec: {
        containers: { env: { name: string; value: string }[] }[];
        volumes: { name: string; projected?: { sources: { serviceAccountToken?: { audience: string } }[] } }[];
      };
    };
    const env = Object.fromEntries(pod.spec.containers[0]?.env.map((e) => [e.name, e.value]) ?? []);
    assert.equal(env.AZURE_CLIENT_ID, '6f1c2b7e-3d4a-4c5b-8e9f-0a1b2c3d9f01');
    assert.equal(env.AZURE_TENANT_ID, '72f988bf-86f1-41af-91ab-2d7cd011db47');
    assert.equal(env.KEYVAULT_URL, 'https://kv-demo.vault.azure.net/');
    assert.match(
      env.AZURE_FEDERATED_TOKEN_FILE ?? '',
      /^\/var\/run\/secrets\/azure\/wi\/[0-9a-f]{30}\/token\/azure-identity-token$/,
    );
    const volume = pod.spec.volumes.find((v) => v.name.startsWith('azure-workload-identity-reserved-'));
    assert.equal(volume?.projected?.sources[0]?.serviceAccountToken?.audience, 'api://AzureADTokenExchange');
    assert.equal(pod.metadata.ownerReferences[0]?.name, `kv-reader-${pod.metadata.labels['pod-template-hash']}`);
    const described = await ok('-n', 'app', 'describe', names[0] as string);
    assert.match(described, new RegExp(`^Controlled By:\\s+ReplicaSet/kv-reader-${SAFE}{10}$`, 'm'));
    assert.match(described, /^\s+AZURE_CLIENT_ID:\s+6f1c2b7e-3d4a-4c5b-8e9f-0a1b2c3d9f01$/m);
    assert.match(described, /TokenExpirationSeconds:\s+3600/);
    // Re-applying the unchanged manifest is a no-op.
    assert.equal(
      (await ok('apply', '-f', join(APP, 'deployment-ready.yaml'))).trim(),
      'deployment.apps/kv-reader unchanged',
    );
  });

  it('get deployments prints the API server table', { skip }, async () => {
    const out = await ok('-n', 'app', 'get', 'deployments');
    assert.match(out, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\n/);
    assert.match(out, /^kv-reader\s+2\/2\s+2\s+2\s+\d+s$/m);
    const wide = await ok('-n', 'app', 'get', 'deploy', '-o', 'wide');
    assert.match(
      wide,
      /^kv-reader\s+2\/2\s+2\s+2\s+\d+s\s+reader\s+ghcr\.io\/azure\/azure-workload-identity\/msal-go\s+app=kv-reader$/m,
    );
  });

  it('scale changes the number of pods', { skip }, async () => {
    assert.equal(
      (await ok('-n', 'app', 'scale', 'deployment/kv-reader', '--replicas=3')).trim(),
      'deployment.apps/kv-reader scaled',
    );
    assert.equal((await podNames()).length, 3);
    assert.match(await ok('-n', 'app', 'get', 'deploy', 'kv-reader'), /^kv-reader\s+3\/3\s+3\s+3\s/m);
    await ok('-n', 'app', 'scale', 'deploy', 'kv-reader', '--replicas=1');
    assert.equal((await podNames()).length, 1);
  });

  it('prints the selector errors of the API server', { skip }, async () => {
    const mismatch = await run(
      'apply',
      '-f',
      file(
        'mismatch.yaml',
        ready
          .replace('name: kv-reader\n  namespace', 'name: mismatch\n  namespace')
          .replace('      app: kv-reader\n  template', '      app: other\n  template'),
      ),
    );
    assert.notEqual(mismatch.code, 0);
    assert.match(
      mismatch.stderr,
      /The Deployment "mismatch" is invalid: spec\.template\.metadata\.labels: Invalid value: map\[string\]string\{"app":"kv-reader", "azure\.workload\.identity\/use":"true"\}: `selector` does not match template `labels`/,
    );
    const moved = await run(
      'apply',
      '-f',
      file(
        'moved.yaml',
        ready
          .replace('      app: kv-reader\n  template', '      app: kv-reader\n      tier: web\n  template')
          .replace('        app: kv-reader\n', '        app: kv-reader\n        tier: web\n'),
      ),
    );
    assert.notEqual(moved.code, 0);
    assert.match(
      moved.stderr,
      /The Deployment "kv-reader" is invalid: spec\.selector: Invalid value: v1\.LabelSelector\{MatchLabels:map\[string\]string\{"app":"kv-reader", "tier":"web"\}, MatchExpressions:\[\]v1\.LabelSelectorRequirement\(nil\)\}: field is immutable/,
    );
  });

  it('rejects a misspelled field (strict validation) and an unquoted true label', { skip }, async () => {
    const typo = await run(
      'apply',
      '-f',
      file(
        'typo.yaml',
        ready
          .replace('name: kv-reader\n  namespace', 'name: typo\n  namespace')
          .replace('          image: ghcr.io', '          imagePullPolicyy: Always\n          image: ghcr.io'),
      ),
    );
    assert.notEqual(typo.code, 0);
    assert.match(
      typo.stderr,
      /Error from server \(BadRequest\): error when creating ".*typo\.yaml": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec\.template\.spec\.containers\[0\]\.imagePullPolicyy"/,
    );
    const unquoted = await run('apply', '-f', join(APP, 'deployment-unquoted.yaml'));
    assert.notEqual(unquoted.code, 0);
    assert.match(
      unquoted.stderr,
      /Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal bool into Go struct field ObjectMeta\.spec\.template\.metadata\.labels of type string/,
    );
    assert.match(
      (await run('-n', 'app', 'get', 'deploy', 'unquoted')).stderr,
      /deployments\.apps "unquoted" not found/,
    );
  });

  it('shows the webhook denial on the Deployment and its events', { skip }, async () => {
    await ok('-n', 'app', 'create', 'serviceaccount', 'short');
    await ok('-n', 'app', 'annotate', 'sa', 'short', 'azure.workload.identity/service-account-token-expiration=100');
    assert.equal(
      (
        await ok(
          'apply',
          '-f',
          file(
            'denied.yaml',
            ready.replace(/kv-reader/g, 'denied').replace('serviceAccountName: denied', 'serviceAccountName: short'),
          ),
        )
      ).trim(),
      'deployment.apps/denied created',
    );
    assert.match(await ok('-n', 'app', 'get', 'deploy', 'denied'), /^denied\s+0\/2\s+0\s+0\s/m);
    const message = await ok(
      '-n',
      'app',
      'get',
      'deploy',
      'denied',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="ReplicaFailure")].message}',
    );
    assert.equal(
      message,
      'admission webhook "mutation.azure-workload-identity.io" denied the request: token expiration 100 not valid. Expected value to be between 3600 and 86400',
    );
    const events = await ok(
      '-n',
      'app',
      'get',
      'events',
      '--field-selector',
      'reason=FailedCreate',
      '-o',
      'jsonpath={.items[*].message}',
    );
    assert.match(
      events,
      /^Error creating: admission webhook "mutation\.azure-workload-identity\.io" denied the request/,
    );
  });

  it('delete removes the Deployment and its pods', { skip }, async () => {
    assert.match(await ok('-n', 'app', 'delete', 'deployment', 'kv-reader'), /deployment\.apps "kv-reader" deleted/);
    assert.deepEqual(await podNames(), []);
    const gone = await run('-n', 'app', 'get', 'deployment', 'kv-reader');
    assert.match(gone.stderr, /Error from server \(NotFound\): deployments\.apps "kv-reader" not found/);
  });
});
