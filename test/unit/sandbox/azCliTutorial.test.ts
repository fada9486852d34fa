import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sandboxClientEnv } from '../../../src/core/sandboxEnv';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server';
import { kubectlPresent, type Run } from './kubectlRunner';

/**
 * The AKS tutorial with the tools it names, the Azure CLI and kubectl, which nobody here wrote:
 * only the sandbox terminal's environment (HTTPS_PROXY, the CA files, KUBECONFIG,
 * AZURE_CONFIG_DIR) points them at the sandbox, so every URL is
 * Azure's (management.azure.com, login.microsoftonline.com, graph.microsoft.com,
 * {vault}.vault.azure.net, the issuer's oic.prod-aks.azure.com host, the API server's FQDN).
 * Then the tutorial's last check, `kubectl logs`, follows the chain: success, a 403 once the
 * role assignment is deleted, success again once it is restored.
 */
const ROOT = resolve(__dirname, '../../../..');
const SCRIPT = join(ROOT, 'test/fixtures/tutorial/deploy-cluster.sh');
const POD = 'sample-workload-identity-key-vault';

function present(cmd: string, args: string[]): Promise<boolean> {
  return new Promise((done) => execFile(cmd, args, { timeout: 60_000 }, (err) => done(!err)));
}

describe('the AKS tutorial with the Azure CLI and kubectl, through the sandbox proxy', async () => {
  const tools = (await present('az', ['version'])) && (await kubectlPresent());
  let s: RunningSandbox;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const run = (cmd: string, args: string[]): Promise<Run> =>
    new Promise((done) => {
      execFile(cmd, args, { timeout: 120_000, env, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
        done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  const logsUntil = async (pattern: RegExp, since: number): Promise<string> => {
    let last = '';
    for (let i = 0; i < 60; i++) {
      const r = await run('kubectl', ['logs', POD]);
      last = r.stdout + r.stderr;
      const lines = last.split('\n').slice(since);
      if (lines.some((l) => pattern.test(l))) return last;
      await new Promise((w) => setTimeout(w, 500));
    }
    assert.fail(`kubectl logs never matched ${pattern}:\n${last}`);
  };

  before(async () => {
    if (!tools) return;
    s = await startSandbox({ proxy: true, knobs: { sampleIntervalSeconds: 1 } });
    dir = mkdtempSync(join(tmpdir(), 'kwi-az-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, s.proxy!.kubeconfig(), { mode: 0o600 });
    // Exactly what Open Sandbox Terminal and `kwi sandbox --proxy` give a shell, and nothing of ours else.
    env = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      ...sandboxClientEnv({
        proxyUrl: s.proxy!.url,
        caFile: s.caFile,
        kubeconfigFile: kubeconfig,
        azureConfigDir: join(dir, 'azure-cli'),
      }),
      AZURE_CORE_COLLECT_TELEMETRY: 'no',
      AZURE_CORE_NO_COLOR: 'true',
    };
  });
  after(async () => {
    await s?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'runs the tutorial as written, then kubectl logs shows the secret, the 403 without the role, and the secret again',
    { skip: tools ? false : 'the Azure CLI (Debian package azure-cli) or kubectl is not installed', timeout: 600_000 },
    async () => {
      const login = await run('az', [
        'login',
        '--service-principal',
        '--username',
        s.developer.clientId,
        // The developer's certificate file: no secret on the command line.
        '--password',
        s.developerCertificateFile(),
        '--tenant',
        s.tenantId,
        '--output',
        'none',
      ]);
      assert.equal(login.code, 0, login.stderr);
      const tutorial = await run('bash', [SCRIPT]);
      assert.equal(tutorial.code, 0, `${tutorial.stdout}\n${tutorial.stderr}`);
      const out = tutorial.stdout;
      // Azure's names, never a loopback port.
      const cluster = Object.values(s.state().clusters).find((c) => c.name === 'aks-wi-demo')!;
      assert.match(
        out,
        new RegExp(`^issuer https://eastus\\.oic\\.prod-aks\\.azure\\.com/${s.tenantId}/${cluster.guid}/$`, 'm'),
      );
      assert.match(out, /^vault https:\/\/keyvault-wi-tutorial\.vault\.azure\.net\/$/m);
      assert.match(out, /SECRET_NAME:\s+my-secret/);
      assert.doesNotMatch(out, /127\.0\.0\.1/);
      const assignment = /^assignment (\/subscriptions\/\S+)$/m.exec(out)?.[1];
      assert.ok(assignment, out);
      // The credential az wrote names the issuer as az was told it; the sandbox stores one issuer.
      const identity = Object.values(s.state().identities).find((i) => i.name === 'myIdentity')!;
      assert.equal(Object.keys(identity.federatedCredentials).length, 1);
      // `az aks get-credentials` wrote the API server's FQDN.
      const view = await run('kubectl', ['config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}']);
      assert.match(view.stdout, /^https:\/\/[a-z0-9-]+\.hcp\.eastus\.azmk8s\.io:443$/);

      // The pod went through the webhook with Azure's authority host, and exchanged its token.
      const pod = await run('kubectl', ['get', 'pod', POD, '-o', 'json']);
      const container = (
        JSON.parse(pod.stdout) as { spec: { containers: { env: { name: string; value: string }[] }[] } }
      ).spec.containers[0]!;
      const value = (n: string): string | undefined => container.env.find((e) => e.name === n)?.value;
      assert.equal(value('AZURE_AUTHORITY_HOST'), 'https://login.microsoftonline.com/');
      const first = await logsUntil(/"successfully got secret" secret="Hello!"/, 0);

      // Break a link: the role assignment goes, and the sample's next attempt logs the 403.
      const del = await run('az', [
        'rest',
        '--method',
        'delete',
        '--url',
        `https://management.azure.com${assignment}?api-version=2022-04-01`,
      ]);
      assert.equal(del.code, 0, del.stderr);
      const seen = first.split('\n').length - 1;
      const broken = await logsUntil(/ForbiddenByRbac/, seen);
      assert.match(broken, /RESPONSE 403: 403 Forbidden/);
      assert.match(broken, /keyvault="https:\/\/keyvault-wi-tutorial\.vault\.azure\.net\/"/);

      // Restore it: success again.
      const restore = await run('az', [
        'rest',
        '--method',
        'put',
        '--url',
        `https://management.azure.com${assignment}?api-version=2022-04-01`,
        '--body',
        JSON.stringify({
          properties: {
            roleDefinitionId: `/subscriptions/${s.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
            principalId: identity.principalId,
            principalType: 'ServicePrincipal',
          },
        }),
      ]);
      assert.equal(restore.code, 0, restore.stderr);
      await logsUntil(/"successfully got secret" secret="Hello!"/, broken.split('\n').length - 1);
      // No secret on any output the tools printed.
      for (const text of [tutorial.stdout, tutorial.stderr, login.stdout, login.stderr]) {
        assert.ok(!text.includes(s.developer.clientSecret));
      }
    },
  );
});
