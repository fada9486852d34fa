import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server';
import { kubectl, kubectlPresent, type Run } from './kubectlRunner';

/**
 * kubectl (the real binary on PATH) against the sandbox server and the kubeconfig it writes:
 * the tutorial's apply, get -o yaml, describe, create token. Skipped only when kubectl is absent.
 */
const TUTORIAL = resolve(__dirname, '../../../../test/fixtures/tutorial');

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('kubectl against the sandbox', async () => {
  const present = await kubectlPresent();
  let sandbox: RunningSandbox;
  let dir: string;
  let kc: string;
  const run = (...args: string[]): Promise<Run> => kubectl(kc, args);
  const ok = async (...args: string[]): Promise<string> => {
    const r = await run(...args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  before(async () => {
    if (!present) return;
    sandbox = await startSandbox({});
    dir = mkdtempSync(join(tmpdir(), 'kwi-kubectl-'));
    kc = join(dir, 'kubeconfig');
    writeFileSync(kc, sandbox.kubeconfig());
  });
  after(async () => {
    if (!present) return;
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const skip = present ? false : 'kubectl is not on PATH';

  it('applies the tutorial ServiceAccount and Pod', { skip }, async () => {
    assert.equal(
      (await ok('apply', '-f', join(TUTORIAL, 'serviceaccount.yaml'))).trim(),
      'serviceaccount/workload-identity-sa created',
    );
    assert.equal(
      (await ok('apply', '-f', join(TUTORIAL, 'pod.yaml'))).trim(),
      'pod/sample-workload-identity-key-vault created',
    );
    // Re-applying an unchanged ServiceAccount sends no patch at all.
    assert.equal(
      (await ok('apply', '-f', join(TUTORIAL, 'serviceaccount.yaml'))).trim(),
      'serviceaccount/workload-identity-sa unchanged',
    );
  });

  it('lists them like a real cluster (server-side tables)', { skip }, async () => {
    const pods = await ok('get', 'pods');
    assert.match(pods, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
    assert.match(pods, /sample-workload-identity-key-vault\s+1\/1\s+Running\s+0\s+\d+s/);
    const sas = await ok('get', 'sa');
    assert.match(sas, /^NAME\s+SECRETS\s+AGE\n/);
    assert.match(sas, /workload-identity-sa\s+0\s+\d+s/);
    assert.match(
      await ok('get', 'pods', '-l', 'azure.workload.identity/use=true', '-o', 'name'),
      /^pod\/sample-workload-identity-key-vault\n$/,
    );
  });

  it('kubectl wait, auth can-i and auth whoami work', { skip }, async () => {
    const wait = await run('wait', '--for=condition=Ready', 'pod/sample-workload-identity-key-vault', '--timeout=20s');
    assert.equal(wait.code, 0, wait.stderr);
    assert.equal(wait.stdout.trim(), 'pod/sample-workload-identity-key-vault condition met');
    assert.equal(wait.stderr, '', 'no client-go warnings (watch bookmarks)');
    assert.equal((await ok('auth', 'can-i', 'create', 'pods')).trim(), 'yes');
    assert.match(await ok('auth', 'whoami'), /Username\s+masterclient/);
  });

  it('get -o yaml shows the webhook mutation (v1.6 layout)', { skip }, async () => {
    const pod = parse(await ok('get', 'pod', 'sample-workload-identity-key-vault', '-o', 'yaml')) as {
      metadata: { annotations: Record<string, string>; uid: string };
      spec: {
        containers: { env: { name: string; value: string }[]; volumeMounts: { name: string; mountPath: string }[] }[];
        volumes: {
          name: string;
          projected?: { sources: { serviceAccountToken?: { audience: string; expirationSeconds: number } }[] };
        }[];
      };
      status: { phase: string };
    };
    assert.ok(pod.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    const env = Object.fromEntries(pod.spec.containers[0]?.env.map((e) => [e.name, e.value]) ?? []);
    assert.equal(env.AZURE_CLIENT_ID, '5c0e2f4a-8d1b-4f3e-9a7c-2b6d8e0f1a3c');
    assert.equal(env.AZURE_TENANT_ID, sandbox.tenantId);
    assert.equal(env.AZURE_AUTHORITY_HOST, `${sandbox.authorityHost.replace(/\/$/, '')}/`);
    assert.match(
      env.AZURE_FEDERATED_TOKEN_FILE ?? '',
      /^\/var\/run\/secrets\/azure\/wi\/[0-9a-f]{30}\/token\/azure-identity-token$/,
    );
    const volume = pod.spec.volumes.find((v) => v.name.startsWith('azure-workload-identity-reserved-'));
    assert.deepEqual(volume?.projected?.sources[0]?.serviceAccountToken, {
      audience: 'api://AzureADTokenExchange',
      expirationSeconds: 3600,
      path: 'token/azure-identity-token',
    });
    assert.equal(pod.status.phase, 'Running');
  });

  it('describe pod shows the injected AZURE_* variables, mounts and events', { skip }, async () => {
    const out = await ok('describe', 'pod', 'sample-workload-identity-key-vault');
    assert.match(out, /^Name:\s+sample-workload-identity-key-vault$/m);
    assert.match(out, /^Service Account:\s+workload-identity-sa$/m);
    assert.match(out, /^Status:\s+Running$/m);
    assert.match(out, /^\s+AZURE_CLIENT_ID:\s+5c0e2f4a-8d1b-4f3e-9a7c-2b6d8e0f1a3c$/m);
    assert.match(out, new RegExp(`^\\s+AZURE_TENANT_ID:\\s+${sandbox.tenantId}$`, 'm'));
    assert.match(
      out,
      /^\s+AZURE_FEDERATED_TOKEN_FILE:\s+\/var\/run\/secrets\/azure\/wi\/[0-9a-f]{30}\/token\/azure-identity-token$/m,
    );
    assert.match(out, /^\s+AZURE_AUTHORITY_HOST:\s+https:\/\/127\.0\.0\.1:\d+\/$/m);
    assert.match(
      out,
      /\/var\/run\/secrets\/azure\/wi\/[0-9a-f]{30} from azure-workload-identity-reserved-[0-9a-f]{30} \(ro\)/,
    );
    assert.match(out, /TokenExpirationSeconds:\s+3600/);
    assert.match(
      out,
      /Normal\s+Scheduled\s+.*default-scheduler\s+Successfully assigned default\/sample-workload-identity-key-vault to /,
    );
  });

  it('create token --audience api://AzureADTokenExchange issues a token for the cluster issuer', { skip }, async () => {
    const token = (
      await ok('create', 'token', 'workload-identity-sa', '--audience', 'api://AzureADTokenExchange')
    ).trim();
    const claims = claimsOf(token);
    const cluster = Object.values(sandbox.state().clusters).find((c) => c.name === 'aks-wi-demo');
    assert.equal(claims.iss, cluster?.issuerUrl);
    assert.equal(claims.sub, 'system:serviceaccount:default:workload-identity-sa');
    assert.deepEqual(claims.aud, ['api://AzureADTokenExchange']);
    assert.equal((claims.exp as number) - (claims.iat as number), 3600);
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as {
      alg: string;
      kid: string;
    };
    assert.equal(header.alg, 'RS256');
    const short = await run('create', 'token', 'workload-identity-sa', '--duration', '5m');
    assert.notEqual(short.code, 0);
    assert.match(
      short.stderr,
      /TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes/,
    );
    const ghost = await run('create', 'token', 'ghost');
    assert.match(ghost.stderr, /serviceaccounts "ghost" not found/);
  });

  it(
    'shows the webhook denial and the ServiceAccount admission error as kubectl users see them',
    { skip },
    async () => {
      const badExpiry = (await import('node:fs'))
        .readFileSync(join(TUTORIAL, 'pod.yaml'), 'utf8')
        .replace(
          'name: sample-workload-identity-key-vault',
          'name: bad-expiry\n  annotations:\n    azure.workload.identity/service-account-token-expiration: "100"',
        );
      writeFileSync(join(dir, 'bad.yaml'), badExpiry);
      const denied = await run('apply', '-f', join(dir, 'bad.yaml'));
      assert.notEqual(denied.code, 0);
      assert.match(
        denied.stderr,
        /admission webhook "mutation.azure-workload-identity.io" denied the request: token expiration 100 not valid. Expected value to be between 3600 and 86400/,
      );
      writeFileSync(
        join(dir, 'nosa.yaml'),
        badExpiry
          .replace('name: bad-expiry', 'name: no-sa')
          .replace('serviceAccountName: workload-identity-sa', 'serviceAccountName: missing-sa')
          .replace(/\n {2}annotations:\n.*"100"/, ''),
      );
      const forbidden = await run('apply', '-f', join(dir, 'nosa.yaml'));
      assert.match(
        forbidden.stderr,
        /pods "no-sa" is forbidden: error looking up service account default\/missing-sa: serviceaccount "missing-sa" not found/,
      );
    },
  );

  it('rejects misspelled fields (strict field validation), or warns with --validate=warn', { skip }, async () => {
    const typo = (await import('node:fs'))
      .readFileSync(join(TUTORIAL, 'pod.yaml'), 'utf8')
      .replace('name: sample-workload-identity-key-vault', 'name: typo-pod')
      .replace('  labels:', '  label:');
    writeFileSync(join(dir, 'typo.yaml'), typo);
    const strict = await run('apply', '-f', join(dir, 'typo.yaml'));
    assert.notEqual(strict.code, 0);
    assert.match(
      strict.stderr,
      /Error from server \(BadRequest\): error when creating ".*typo.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "metadata.label"/,
    );
    const warn = await run('apply', '--validate=warn', '-f', join(dir, 'typo.yaml'));
    assert.equal(warn.code, 0, warn.stderr);
    assert.match(warn.stderr, /Warning: unknown field "metadata.label"/);
    await ok('delete', 'pod', 'typo-pod');
  });

  it('server-side apply and label conflicts behave like the API server', { skip }, async () => {
    writeFileSync(
      join(dir, 'ssa.yaml'),
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ssa-sa\n  labels:\n    app: demo\n',
    );
    assert.match(
      await ok('apply', '--server-side', '-f', join(dir, 'ssa.yaml')),
      /serviceaccount\/ssa-sa serverside-applied/,
    );
    await ok('label', 'sa', 'ssa-sa', 'app=other', '--overwrite');
    const conflict = await run('apply', '--server-side', '-f', join(dir, 'ssa.yaml'));
    assert.match(
      conflict.stderr,
      /Apply failed with 1 conflict: conflict with "kubectl-label" using v1: .metadata.labels.app/,
    );
    await ok('apply', '--server-side', '--force-conflicts', '-f', join(dir, 'ssa.yaml'));
    assert.equal((await ok('get', 'sa', 'ssa-sa', '-o', 'jsonpath={.metadata.labels.app}')).trim(), 'demo');
  });

  it('imperative commands work, including those whose typed clients send protobuf', { skip }, async () => {
    assert.equal((await ok('create', 'namespace', 'team-a')).trim(), 'namespace/team-a created');
    assert.equal((await ok('-n', 'team-a', 'create', 'serviceaccount', 'app')).trim(), 'serviceaccount/app created');
    const again = await run('-n', 'team-a', 'create', 'serviceaccount', 'app');
    assert.match(again.stderr, /serviceaccounts "app" already exists/);
    await ok(
      '-n',
      'team-a',
      'annotate',
      'sa',
      'app',
      'azure.workload.identity/client-id=11111111-2222-3333-4444-555555555555',
    );
    await ok(
      '-n',
      'team-a',
      'run',
      'web',
      '--image=nginx:1.27',
      '--labels=azure.workload.identity/use=true',
      '--overrides={"spec":{"serviceAccountName":"app"}}',
    );
    assert.equal(
      (await ok('-n', 'team-a', 'get', 'pod', 'web', '-o', 'jsonpath={.spec.containers[0].env[0].value}')).trim(),
      '11111111-2222-3333-4444-555555555555',
    );
    const bound = (
      await ok('-n', 'team-a', 'create', 'token', 'app', '--bound-object-kind', 'Pod', '--bound-object-name', 'web')
    ).trim();
    const claims = claimsOf(bound) as { 'kubernetes.io': { pod: { name: string } } };
    assert.equal(claims['kubernetes.io'].pod.name, 'web');
    const bad = await run('create', 'namespace', 'Bad_Name');
    assert.match(
      bad.stderr,
      /The Namespace "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 label/,
    );
    assert.match(await ok('delete', 'namespace', 'team-a'), /namespace "team-a" deleted/);
  });

  it('deletes the pod', { skip }, async () => {
    assert.match(
      await ok('delete', 'pod', 'sample-workload-identity-key-vault'),
      /pod "sample-workload-identity-key-vault" deleted/,
    );
    const gone = await run('get', 'pod', 'sample-workload-identity-key-vault');
    assert.match(gone.stderr, /Error from server \(NotFound\): pods "sample-workload-identity-key-vault" not found/);
  });
});
