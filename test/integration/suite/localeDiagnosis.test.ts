// Diagnosis from a pod template under the cursor, in the display language: the pod runs as a
// ServiceAccount that exists only in the cluster (the workspace does not define it), so only the
// subscription and the cluster are asked; the report's words come from the extension's bundle
// (Korean in the Korean pass, the key itself in English).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DiagnosisTestApi } from '../../../src/vscode/diagnosis/registerDiagnosis';
import type { ExplorerTestApi } from '../../../src/vscode/explorer/registerExplorer';
import type { ProvisionTestApi } from '../../../src/vscode/provision/registerProvisioning';
import type { Choice } from '../../../src/vscode/ui';
import {
  bundled,
  codeLenses,
  expectedLanguage as expected,
  kubePost,
  screenshot,
  sleep,
  waitFor,
  workspaceRoot,
} from './helpers';
import { pickOnly } from './provisionHelpers';
import { log, test } from './runner';

const SA = 'cluster-only-sa';

const POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: cluster-only-app',
  '  namespace: default',
  '  labels:',
  '    azure.workload.identity/use: "true"',
  'spec:',
  `  serviceAccountName: ${SA}`,
  '  containers:',
  '    - name: app',
  '      image: ghcr.io/azure/azure-workload-identity/msal-go',
  '',
].join('\n');

test('locale: Diagnose from a pod template whose ServiceAccount is in the cluster only asks just the cluster; the report speaks the display language (screenshot)', async () => {
  const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'workload-identity-k8s');
  assert.ok(ext, 'extension under development not found');
  await ext.activate();
  const explorer = await vscode.commands.executeCommand<ExplorerTestApi>('kwi.explorer.testApi');
  const provision = await vscode.commands.executeCommand<ProvisionTestApi>('kwi.provision.testApi');
  const diagnosis = await vscode.commands.executeCommand<DiagnosisTestApi>('kwi.diagnosis.testApi');
  assert.ok(explorer && provision && diagnosis, 'test APIs missing (not in ExtensionMode.Test?)');
  assert.ok((await explorer.provider.currentBackend()).ok, 'no sandbox backend');
  const sandbox = await explorer.sandbox();
  assert.ok(sandbox);

  // The ServiceAccount, in the cluster only (201, or 409 when an earlier run made it).
  const cluster = Object.values(sandbox.state().clusters).find((c) => c.name === 'aks-wi-demo')!;
  const status = await kubePost(sandbox, cluster, '/api/v1/namespaces/default/serviceaccounts', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: SA, namespace: 'default' },
  });
  assert.ok(status === 201 || status === 409, `ServiceAccount not created: ${status}`);

  const uri = vscode.Uri.joinPath(workspaceRoot(), 'diagnosis', 'cluster-only-pod.yaml');
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(POD));
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  // The Diagnose lens above the pod already names the ServiceAccount it runs as.
  const lens = await waitFor(
    async () =>
      (await codeLenses(uri)).find(
        (l) => (l.command?.arguments?.[0] as { kwiDiagnose?: { name: string } } | undefined)?.kwiDiagnose?.name === SA,
      ),
    'the Diagnose lens naming the ServiceAccount',
    30_000,
  );
  assert.deepEqual((lens.command!.arguments![0] as { kwiDiagnose: unknown }).kwiDiagnose, {
    namespace: 'default',
    name: SA,
  });
  const line = POD.split('\n').findIndex((l) => l.includes('serviceAccountName'));
  editor.selection = new vscode.Selection(line, 4, line, 4);

  const asked: string[] = [];
  const restore = provision.overrideUi({
    pick: async (key, items) => {
      asked.push(`pick:${key}`);
      const list = (items as readonly Choice<unknown>[]).filter((i) => i.kind !== vscode.QuickPickItemKind.Separator);
      const re = key === 'subscription' ? /sandbox/i : key === 'cluster' ? /^aks-wi-demo$/ : undefined;
      assert.ok(re, `unexpected quick pick "${key}"`);
      const hit = list.find((i) => re.test(i.label)) ?? (key === 'subscription' ? list[0] : undefined);
      assert.ok(hit, `no item ${String(re)} among [${list.map((i) => i.label).join(', ')}]`);
      return hit.value as never;
    },
    input: async (key) => assert.fail(`unexpected input box "${key}"`),
    ...pickOnly,
  });
  try {
    await vscode.commands.executeCommand('kwi.diagnosis.diagnose');
    const report = await waitFor(
      () => {
        const c = diagnosis.current();
        return c?.verdict && !c.html.includes('class="busy"') && c.html.includes(SA) ? c : undefined;
      },
      'the report',
      60_000,
    );
    assert.deepEqual(asked, ['pick:subscription', 'pick:cluster']);
    const word = await bundled('Re-check');
    assert.ok(report.html.includes(word), `"${word}" in the report`);
    if (expected !== 'en') assert.ok(!report.html.includes('>Re-check<'), 'no English button label');
    log(`    verdict ${report.verdict}, "${word}" shown`);
    await sleep(2500);
    await screenshot('locale-diagnosis-report');
  } finally {
    restore();
    await vscode.workspace.fs.delete(uri);
  }
}, 120_000);
