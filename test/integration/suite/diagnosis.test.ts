// Diagnosis in a real VS Code, against the in-process sandbox: Diagnose Workload Identity… on the
// teaching scenario's broken ServiceAccount (its credential names the issuer without the trailing
// slash), the report's picture looked at, Fix pressed on the red link (the page's own message
// path runs the provisioning step with its inputs filled in), and every link green after.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DiagnosisTestApi } from '../../../src/vscode/diagnosis/registerDiagnosis';
import type { ExplorerTestApi } from '../../../src/vscode/explorer/registerExplorer';
import type { ProvisionTestApi } from '../../../src/vscode/provision/registerProvisioning';
import type { Choice } from '../../../src/vscode/ui';
import { kubePost, screenshot, sleep, waitFor } from './helpers';
import { pickOnly } from './provisionHelpers';
import { log, test } from './runner';

const SA = 'noslash-sa';

type Link = { from: string; colour: string; fix?: string };

async function apis(): Promise<{
  explorer: ExplorerTestApi;
  provision: ProvisionTestApi;
  diagnosis: DiagnosisTestApi;
}> {
  const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'workload-identity-k8s');
  assert.ok(ext, 'extension under development not found');
  await ext.activate();
  const explorer = await vscode.commands.executeCommand<ExplorerTestApi>('kwi.explorer.testApi');
  const provision = await vscode.commands.executeCommand<ProvisionTestApi>('kwi.provision.testApi');
  const diagnosis = await vscode.commands.executeCommand<DiagnosisTestApi>('kwi.diagnosis.testApi');
  assert.ok(explorer && provision && diagnosis, 'test APIs missing (not in ExtensionMode.Test?)');
  return { explorer, provision, diagnosis };
}

const byLabel = (re: RegExp) => (items: readonly Choice<unknown>[]) => {
  const hit = items.find((i) => re.test(i.label) && i.kind !== vscode.QuickPickItemKind.Separator);
  assert.ok(hit, `no item ${String(re)} among [${items.map((i) => i.label).join(', ')}]`);
  return hit.value;
};

test('diagnosis: the broken ServiceAccount is red at the credential, Fix repairs it, every link turns green', async () => {
  const { explorer, provision, diagnosis } = await apis();
  const backend = await explorer.provider.currentBackend();
  assert.ok(backend.ok, 'no sandbox backend');
  const sandbox = await explorer.sandbox();
  assert.ok(sandbox);
  // A pod running as the ServiceAccount (created after its annotation), reading the vault, so the
  // Kubernetes side and the role have something to check.
  const state = sandbox.state();
  const cluster = Object.values(state.clusters).find((c) => c.name === 'aks-wi-demo')!;
  const vault = Object.values(state.vaults).find((v) => v.name === 'kv-wi-demo')!;
  const status = await kubePost(sandbox, cluster, '/api/v1/namespaces/default/pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'noslash-app', namespace: 'default', labels: { 'azure.workload.identity/use': 'true' } },
    spec: {
      serviceAccountName: SA,
      containers: [
        {
          name: 'app',
          image: 'ghcr.io/azure/azure-workload-identity/msal-go',
          env: [{ name: 'KEYVAULT_URL', value: `https://127.0.0.1:${vault.port}/` }],
        },
      ],
    },
  });
  assert.equal(status, 201, 'pod not created');

  const asked: string[] = [];
  const restore = provision.overrideUi({
    pick: async (key, items) => {
      asked.push(`pick:${key}`);
      const answers: Record<string, (i: readonly Choice<unknown>[]) => unknown> = {
        subscription: byLabel(/^Sandbox subscription$/),
        cluster: byLabel(/^aks-wi-demo$/),
        namespace: byLabel(/^default$/),
        serviceAccount: byLabel(new RegExp(`^${SA}$`)),
      };
      assert.ok(answers[key], `unexpected quick pick "${key}"`);
      return answers[key](items as readonly Choice<unknown>[]) as never;
    },
    input: async (key, options) => {
      asked.push(`input:${key}`);
      assert.equal(key, 'credentialName', `unexpected input box "${key}"`);
      assert.ok(options.value, 'the credential name is filled in');
      return options.value;
    },
    ...pickOnly,
  });
  try {
    await vscode.commands.executeCommand('kwi.diagnosis.diagnose');
    const first = await waitFor(
      () => {
        const c = diagnosis.current();
        return c?.verdict && !c.html.includes('class="busy"') ? c : undefined;
      },
      'the first report',
      60_000,
    );
    const links = first.links as Link[];
    const red = links.findIndex((l) => l.colour === 'red');
    assert.equal(links[red]?.from, 'credential', JSON.stringify(links));
    assert.equal(links[red]?.fix, 'federated-credential');
    assert.deepEqual(
      links.filter((l) => l.colour === 'red').map((l) => l.from),
      ['credential'],
      JSON.stringify(links),
    );
    assert.match(first.html, /Content-Security-Policy" content="default-src 'none'/);
    assert.doesNotMatch(first.html, /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\./, 'no token in the page');
    await sleep(2500);
    await screenshot('diagnosis-before');

    const before = provision.preview().html;
    const fixing = diagnosis.fix(red);
    await waitFor(
      () => {
        const h = provision.preview().html;
        return h && h !== before && h.includes('data-decision="apply"') ? h : undefined;
      },
      'the plan preview',
      60_000,
    );
    assert.ok(await vscode.commands.executeCommand('kwi.provision.previewDecide', 'apply'));
    await fixing;
    assert.deepEqual(asked, [
      'pick:subscription',
      'pick:cluster',
      'pick:namespace',
      'pick:serviceAccount',
      'input:credentialName',
    ]);
    const after = await waitFor(
      () => {
        const c = diagnosis.current();
        return c && !c.html.includes('class="busy"') && (c.links as Link[]).every((l) => l.colour === 'green')
          ? c
          : undefined;
      },
      'every link green',
      150_000,
    );
    assert.equal(after.verdict, 'pass');
    // Copy report: Markdown, no token.
    await diagnosis.copy();
    const markdown = await vscode.env.clipboard.readText();
    assert.match(markdown, new RegExp(`^## .*default/${SA}`));
    assert.match(markdown, /`federated-credential`/);
    assert.doesNotMatch(markdown, /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\./);
    await sleep(2500);
    await screenshot('diagnosis-after');
  } finally {
    restore();
  }
}, 300_000);

test('diagnosis: Diagnose All ServiceAccounts on Cluster gives one row per annotated ServiceAccount with its verdict', async () => {
  const { provision } = await apis();
  let rows: string[] = [];
  const restore = provision.overrideUi({
    pick: async (key, items) => {
      if (key === 'subscription') {
        return byLabel(/^Sandbox subscription$/)(items as readonly Choice<unknown>[]) as never;
      }
      if (key === 'cluster') return byLabel(/^aks-wi-demo$/)(items as readonly Choice<unknown>[]) as never;
      assert.equal(key, 'diagnosis', `unexpected quick pick "${key}"`);
      rows = (items as readonly Choice<unknown>[]).map((i) => `${i.label} — ${i.description ?? ''}`);
      return undefined;
    },
    error: (m) => assert.fail(`error shown: ${m}`),
    info: () => undefined,
    warn: () => undefined,
  });
  try {
    const diagnoses =
      await vscode.commands.executeCommand<Array<{ serviceAccount: string; verdict: string }>>(
        'kwi.diagnosis.diagnoseAll',
      );
    assert.ok(diagnoses && diagnoses.length >= 2, JSON.stringify(diagnoses));
    assert.equal(rows.length, diagnoses.length);
    for (const sa of ['default/workload-identity-sa', `default/${SA}`]) {
      assert.ok(
        rows.some((r) => r.includes(sa)),
        `no row for ${sa}: ${rows.join(' | ')}`,
      );
    }
    assert.ok(
      rows.every((r) => /^\$\((pass|warning|error|circle-slash)\) /.test(r)),
      rows.join(' | '),
    );
    log(`    rows: ${rows.join(' | ')}`);
  } finally {
    restore();
  }
}, 120_000);
