// "Open Sandbox Terminal" in a real VS Code: the command opens a terminal whose shell (a real
// bash in code-server's pty host) carries the proxy, the CA variables, KUBECONFIG and the Azure
// CLI's own config folder, never a secret; and commands typed into it reach the in-process sandbox
// under the Azure host names: kubectl (through HTTPS_PROXY to the cluster's
// *.hcp.<region>.azmk8s.io FQDN), and, when they are installed, Python requests
// (REQUESTS_CA_BUNDLE + HTTPS_PROXY to login.microsoftonline.com) and the Azure CLI. A user's own
// proxy variables do not divert them.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunningSandbox } from '../../../src/sandbox/server';
import { explorer } from './explorerTree';
import { bundled, screenshot, waitFor } from './helpers';
import { log, test } from './runner';

const TUTORIAL_CLUSTER = 'aks-wi-demo';
const TUTORIAL_SA = 'workload-identity-sa';

interface Opened {
  readonly terminal: vscode.Terminal;
  readonly result: { proxyUrl: string; kubeconfigFile: string; azureConfigDir: string };
}

let opened: Opened | undefined;
// In the harness's control folder when there is one: it is removed with the pass's other temp files.
const scratch = mkdtempSync(join(process.env.KWI_TEST_CONTROL_DIR ?? tmpdir(), 'terminal-'));

function onPath(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** Opens the sandbox terminal through the command, once for this file's tests. */
async function openTerminal(): Promise<Opened> {
  if (opened && vscode.window.terminals.includes(opened.terminal)) return opened;
  const name = await bundled('Workload Identity Sandbox');
  const appeared = new Promise<vscode.Terminal>((resolve) => {
    const sub = vscode.window.onDidOpenTerminal((t) => {
      if (t.name !== name) return;
      sub.dispose();
      resolve(t);
    });
  });
  const result = await vscode.commands.executeCommand<Opened['result'] | undefined>('kwi.sandbox.openTerminal');
  assert.ok(result, 'the command returned nothing: the sandbox did not start here');
  const terminal = await Promise.race([
    appeared,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no terminal named "${name}"`)), 15_000)),
  ]);
  // The shell is up once it has a process id (the pty host spawned bash). VS Code holds it back in
  // an untrusted workspace until the user grants trust, so this pass must be the trusted one.
  const pid = await Promise.race([
    terminal.processId,
    new Promise<undefined>((r) => setTimeout(() => r(undefined), 15_000)),
  ]);
  assert.ok(pid, 'the terminal shell did not start within 15 s');
  opened = { terminal, result };
  return opened;
}

let runs = 0;
/**
 * Types `command` into the terminal, its output redirected to a file, and waits for its exit status
 * line: what a learner typing the command would see, read back without scraping the screen.
 */
async function typed(
  terminal: vscode.Terminal,
  command: string,
  timeoutMs = 60_000,
): Promise<{ out: string; status: number }> {
  const file = join(scratch, `run-${++runs}.txt`);
  terminal.sendText(`{ ${command} ; } > '${file}' 2>&1; echo "__kwi_status=$?" >> '${file}'`);
  const text = await waitFor(
    () => {
      if (!existsSync(file)) return undefined;
      const t = readFileSync(file, 'utf8');
      return /__kwi_status=\d+\n/.test(t) ? t : undefined;
    },
    `the terminal to run: ${command}`,
    timeoutMs,
  );
  const status = Number(/__kwi_status=(\d+)/.exec(text)![1]);
  // Shell integration's markers (OSC 633, written by bash's DEBUG trap inside the redirection) are not output.
  // eslint-disable-next-line no-control-regex
  const out = text.replace(/\x1b\][^\x07]*\x07/g, '').replace(/__kwi_status=\d+\n$/, '');
  return { out, status };
}

/** Every value a client could use as a credential: none may appear in the terminal's environment. */
function secretsOf(sandbox: RunningSandbox): Array<[string, string]> {
  const state = sandbox.state();
  const secrets: Array<[string, string]> = [
    ['developer.clientSecret', state.developer.clientSecret],
    ['controlToken', sandbox.controlToken],
  ];
  for (const c of Object.values(state.clusters)) {
    if (c.clientToken) secrets.push([`clusters.${c.name}.clientToken`, c.clientToken]);
  }
  for (const [what, value] of secrets) assert.ok(value && value.length >= 16, `${what} is set in the sandbox state`);
  return secrets;
}

test('sandbox terminal: the shell carries the proxy, the CA, a 0600 kubeconfig of real FQDNs, and no secret', async () => {
  const { terminal, result } = await openTerminal();
  const sandbox = await (await explorer()).sandbox();
  assert.ok(sandbox, 'the command started no in-process sandbox');
  assert.equal(terminal.name, await bundled('Workload Identity Sandbox'));
  const message = (
    await bundled('Sandbox terminal: kubectl and az reach the sandbox under the Azure host names through {0}.')
  ).replace('{0}', result.proxyUrl);
  assert.equal((terminal.creationOptions as vscode.TerminalOptions).message, message);

  // What the shell really has (bash in the pty host, after its start-up files), not just what was asked for.
  const { out, status } = await typed(terminal, 'env');
  assert.equal(status, 0, out);
  const env = new Map(
    out
      .split('\n')
      .map((l) => /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(l))
      .filter((m) => m !== null)
      .map((m) => [m[1], m[2]] as const),
  );
  const proxyUrl = env.get('HTTPS_PROXY');
  assert.match(String(proxyUrl), /^http:\/\/127\.0\.0\.1:\d+\/?$/, 'HTTPS_PROXY is a loopback URL');
  assert.equal(proxyUrl, result.proxyUrl);
  assert.equal(proxyUrl, sandbox.proxy?.url, 'the proxy the sandbox runs');
  for (const name of ['NODE_EXTRA_CA_CERTS', 'REQUESTS_CA_BUNDLE', 'SSL_CERT_FILE']) {
    assert.equal(env.get(name), sandbox.caFile, `${name} names the sandbox CA`);
  }
  assert.equal(readFileSync(sandbox.caFile, 'utf8'), sandbox.caPem, 'the CA file holds the CA the sandbox serves with');

  // The Azure CLI's sign-in to the sandbox tenant is kept apart from the user's real one.
  assert.equal(env.get('AZURE_CONFIG_DIR'), result.azureConfigDir);
  assert.notEqual(env.get('AZURE_CONFIG_DIR'), join(homedir(), '.azure'));
  const kubeconfigFile = env.get('KUBECONFIG');
  assert.equal(kubeconfigFile, result.kubeconfigFile);
  assert.equal(statSync(kubeconfigFile!).mode & 0o777, 0o600, 'the kubeconfig holds tokens: owner-only');
  const kubeconfig = readFileSync(kubeconfigFile!, 'utf8');
  const servers = [...kubeconfig.matchAll(/server:\s*(\S+)/g)].map((m) => m[1]);
  const clusters = Object.values(sandbox.state().clusters);
  assert.equal(servers.length, clusters.length, kubeconfig.replace(/token:.*/g, 'token: …'));
  for (const s of servers) assert.match(s, /^https:\/\/[a-z0-9-]+\.hcp\.[a-z0-9]+\.azmk8s\.io:443$/);
  for (const c of clusters) {
    assert.ok(
      servers.some((s) => s.includes(`.hcp.${c.location}.azmk8s.io`)),
      `a server for ${c.name} (${c.location})`,
    );
  }

  // Credentials stay in files: the kubeconfig has each cluster's token, the environment none of them.
  const secrets = secretsOf(sandbox);
  for (const c of clusters) assert.ok(kubeconfig.includes(c.clientToken!), `the kubeconfig carries ${c.name}'s token`);
  for (const [what, value] of secrets) assert.ok(!out.includes(value), `${what} appears in the terminal's environment`);
  const asked = JSON.stringify(terminal.creationOptions);
  for (const [what, value] of secrets) assert.ok(!asked.includes(value), `${what} appears in the terminal's options`);
  log(`    terminal: HTTPS_PROXY=${proxyUrl}, ${servers.length} cluster(s) at ${servers.join(', ')}`);
}, 90_000);

const KUBECTL_LISTING =
  /GET.*https:\/\/[a-z0-9-]+\.hcp\.[a-z0-9]+\.azmk8s\.io:443\/api\/v1\/namespaces\/default\/serviceaccounts\S*.*200 OK/;

test('sandbox terminal: kubectl typed into it, as the tutorial writes it, lists the tutorial ServiceAccount through the proxy', async () => {
  if (!onPath('kubectl', ['version', '--client'])) {
    log('    SKIPPED: kubectl is not on PATH');
    return;
  }
  const { terminal } = await openTerminal();
  const sandbox = (await (await explorer()).sandbox())!;
  const cluster = Object.values(sandbox.state().clusters).find((c) => c.name === TUTORIAL_CLUSTER);
  assert.ok(cluster, `the teaching scenario has ${TUTORIAL_CLUSTER}`);
  // The tutorial's commands name no context: the kubeconfig's current one must be the tutorial's cluster.
  const current = await typed(terminal, 'kubectl config current-context');
  assert.deepEqual(current, { out: `${TUTORIAL_CLUSTER}\n`, status: 0 });

  const seen = () =>
    sandbox
      .stats()
      .recent.filter((r) => r.path.includes(cluster.guid) && r.path.includes('/namespaces/default/serviceaccounts'))
      .length;
  const before = seen();
  // -v=6 logs each request's URL: the cluster's real FQDN, which no DNS resolves, so only the proxy can answer it.
  const { out, status } = await typed(terminal, 'kubectl get serviceaccounts -n default -o name -v=6');
  assert.equal(status, 0, out);
  assert.match(out, new RegExp(`^serviceaccount/${TUTORIAL_SA}$`, 'm'));
  assert.match(out, KUBECTL_LISTING);
  assert.ok(seen() > before, `the sandbox answered the listing: ${JSON.stringify(sandbox.stats().recent.slice(-3))}`);
}, 120_000);

const pythonRequests = () => onPath('python3', ['-c', 'import requests']);
const discoveryUrl = (tenant: string) =>
  `https://login.microsoftonline.com/${tenant}/v2.0/.well-known/openid-configuration`;
const printDiscovery = (tenant: string) =>
  `python3 -c "import requests; r = requests.get('${discoveryUrl(tenant)}'); print(r.status_code, r.json()['issuer'])"`;

test('sandbox terminal: Python requests reaches login.microsoftonline.com in the sandbox, whose discovery names the issuer under that host', async () => {
  if (!pythonRequests()) {
    log('    SKIPPED: python3 with requests is not installed');
    return;
  }
  const { terminal } = await openTerminal();
  const sandbox = (await (await explorer()).sandbox())!;
  const { out, status } = await typed(terminal, printDiscovery(sandbox.tenantId));
  assert.equal(status, 0, out);
  // Only the sandbox CA is trusted in this terminal (REQUESTS_CA_BUNDLE): a 200 over TLS is the sandbox's answer.
  assert.match(out.trim(), new RegExp(`^200 https://\\S+/${sandbox.tenantId}/v2\\.0$`));
  // A client that checks the issuer against the authority it asked (MSAL does) needs the host it used.
  assert.equal(out.trim(), `200 https://login.microsoftonline.com/${sandbox.tenantId}/v2.0`);
}, 90_000);

test("sandbox terminal: az logs in as the sandbox developer and shows the tutorial's cluster; the user's ~/.azure is untouched", async () => {
  if (!onPath('az', ['version', '-o', 'none'])) {
    log('    SKIPPED: the Azure CLI (az) is not installed');
    return;
  }
  const { terminal, result } = await openTerminal();
  const sandbox = (await (await explorer()).sandbox())!;
  const cluster = Object.values(sandbox.state().clusters).find((c) => c.name === TUTORIAL_CLUSTER)!;
  const realProfile = join(homedir(), '.azure', 'azureProfile.json');
  const realBefore = existsSync(realProfile) ? readFileSync(realProfile, 'utf8') : undefined;
  // As docs/sandbox.md says: with the developer's certificate file, no secret is typed, echoed or put in the environment.
  const login = await typed(
    terminal,
    `az login --service-principal --tenant ${sandbox.tenantId} -u ${sandbox.developer.clientId} -p '${sandbox.developerCertificateFile()}' -o none` +
      ` && az account show --query id -o tsv` +
      ` && az aks show -g ${cluster.resourceGroup} -n ${TUTORIAL_CLUSTER} --query fqdn -o tsv`,
    180_000,
  );
  assert.equal(login.status, 0, login.out);
  const [subscription, fqdn] = login.out.trim().split('\n').slice(-2);
  assert.equal(subscription, sandbox.subscriptionId);
  // The same API server the terminal's kubeconfig names (ARM's `fqdn`).
  assert.match(readFileSync(result.kubeconfigFile, 'utf8'), new RegExp(`server: https://${fqdn}:443`));
  assert.ok(!login.out.includes(sandbox.state().developer.clientSecret), 'az printed the secret');
  // The sandbox's sign-in lives in the sandbox's own config folder.
  assert.match(
    readFileSync(join(result.azureConfigDir, 'azureProfile.json'), 'utf8'),
    new RegExp(sandbox.subscriptionId),
  );
  const realAfter = existsSync(realProfile) ? readFileSync(realProfile, 'utf8') : undefined;
  assert.equal(realAfter, realBefore, "the user's own Azure CLI profile changed");
}, 240_000);

/** Sets a user setting for the duration of `body` (terminal settings apply per window, not per folder). */
async function withUserSetting<T>(section: string, key: string, value: unknown, body: () => Promise<T>): Promise<T> {
  const before = vscode.workspace.getConfiguration(section).inspect(key)?.globalValue;
  await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Global);
  try {
    return await body();
  } finally {
    await vscode.workspace.getConfiguration(section).update(key, before, vscode.ConfigurationTarget.Global);
  }
}

test("sandbox terminal: a user's own proxy variables (lower case https_proxy, NO_PROXY) do not lead clients around the sandbox", async () => {
  if (!onPath('kubectl', ['version', '--client'])) {
    log('    SKIPPED: kubectl is not on PATH');
    return;
  }
  // A corporate machine's environment, as every terminal inherits it: a proxy that is not the
  // sandbox's (nothing listens on port 9) and Azure's host names exempted from proxying.
  const corporate = {
    https_proxy: 'http://127.0.0.1:9',
    NO_PROXY: '.azmk8s.io,login.microsoftonline.com,management.azure.com',
    no_proxy: '.azmk8s.io,login.microsoftonline.com,management.azure.com',
  };
  await withUserSetting('terminal.integrated.env', 'linux', corporate, async () => {
    const { terminal } = await openFreshTerminal();
    try {
      const env = await typed(terminal, 'echo "https_proxy=$https_proxy"; echo "HTTPS_PROXY=$HTTPS_PROXY"');
      const sandbox = (await (await explorer()).sandbox())!;
      const url = sandbox.proxy!.url;
      assert.equal(env.out, `https_proxy=${url}\nHTTPS_PROXY=${url}\n`, 'both spellings name the sandbox proxy');
      const kubectl = await typed(terminal, 'kubectl get serviceaccounts -n default -o name -v=6');
      assert.equal(kubectl.status, 0, kubectl.out);
      assert.match(kubectl.out, KUBECTL_LISTING);
      if (pythonRequests()) {
        // Python prefers the lower-case variable: it must name the sandbox's proxy too.
        const py = await typed(terminal, printDiscovery(sandbox.tenantId));
        assert.equal(py.status, 0, py.out);
        assert.match(py.out.trim(), /^200 /);
      }
    } finally {
      terminal.dispose();
      opened = undefined;
    }
  });
}, 120_000);

/** A new sandbox terminal even if one is open (it must pick up the environment as it is now). */
async function openFreshTerminal(): Promise<Opened> {
  opened?.terminal.dispose();
  opened = undefined;
  return openTerminal();
}

test('sandbox terminal: kubectl output in the terminal (screenshot)', async () => {
  // A fresh terminal, so its first line (the message naming the proxy) is in the picture too.
  const { terminal } = await openFreshTerminal();
  terminal.show();
  const marker = join(scratch, 'shown.txt');
  terminal.sendText(`kubectl get serviceaccounts -n default; touch '${marker}'`);
  await waitFor(() => (existsSync(marker) ? true : undefined), 'kubectl to print in the terminal', 60_000);
  await vscode.commands.executeCommand('workbench.action.toggleMaximizedPanel');
  try {
    await screenshot('sandbox-terminal');
  } finally {
    await vscode.commands.executeCommand('workbench.action.toggleMaximizedPanel');
    terminal.dispose();
    opened = undefined;
  }
}, 90_000);
