// The explorer in a real VS Code, against the in-process sandbox (`kwi.backend: "sandbox"` in the
// test profile): the teaching scenario appears, expands, copies, reveals a manifest, deletes a
// credential through VS Code's own commands, and flags the credential whose issuer lacks its
// trailing slash. The tree is walked through the extension's real TreeDataProvider.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { child, expand, explorer, item, kids, labelOf, path, SUB, tooltipText } from './explorerTree';
import { kwi, screenshot, waitFor, withSetting } from './helpers';
import { test } from './runner';

/**
 * Waits until the core's index holds `uri`. A file just written reaches it through the file
 * watcher, whose latency varies; opening it puts its text in the index through the analyzer at once.
 */
async function indexed(uri: vscode.Uri): Promise<void> {
  const api = await kwi();
  await api.whenIndexed();
  if (uri.scheme === 'file') await vscode.workspace.openTextDocument(uri);
  await waitFor(
    async () => ((await api.serviceAccounts({ uri: uri.toString() })).length > 0 ? true : undefined),
    `the index to read ${uri.path}`,
    10_000,
  );
}

async function clientIdOf(identity: string): Promise<string> {
  const tip = tooltipText(await item(await path(SUB, 'Managed identities', identity)));
  const id = /Client ID: ([0-9a-f-]{36})/.exec(tip)?.[1];
  assert.ok(id, tip);
  return id;
}

test('explorer: the sandbox teaching scenario appears', async () => {
  await vscode.commands.executeCommand('kwi.explorer.focus');
  const roots = await kids();
  const labels = await Promise.all(roots.map(async (n) => labelOf(await item(n))));
  assert.deepEqual(labels, [SUB, 'Kube contexts']);
  const clusters = await kids(await path(SUB, 'AKS clusters'));
  const byName = new Map(
    await Promise.all(clusters.map(async (n) => [labelOf(await item(n)), await item(n)] as const)),
  );
  assert.match(String(byName.get('aks-wi-demo')?.description), /issuer on · workload identity on/);
  assert.match(String(byName.get('aks-legacy')?.description), /no issuer · workload identity off/);
  const issuer = await item(await path(SUB, 'AKS clusters', 'aks-wi-demo', 'OIDC issuer'));
  assert.match(String(issuer.description), /^https:\/\/127\.0\.0\.1:\d+\/oidc\/.+\/$/);
  await item(await path(SUB, 'Managed identities', 'id-wi-demo'));
  await item(await path(SUB, 'Managed identities', 'id-wi-noslash'));
}, 90_000);

test('explorer: the trailing-slash credential carries its warning; the working one carries none', async () => {
  const broken = await item(
    await path(SUB, 'Managed identities', 'id-wi-noslash', 'Federated credentials', 'fic-wi-noslash'),
  );
  assert.equal((broken.iconPath as vscode.ThemeIcon).id, 'warning');
  assert.match(tooltipText(broken), /differs from cluster aks-wi-demo's only by a trailing slash/);
  assert.match(String(broken.contextValue), /;warning;/);
  const working = await item(
    await path(SUB, 'Managed identities', 'id-wi-demo', 'Federated credentials', 'fic-wi-demo'),
  );
  assert.equal(working.description, 'system:serviceaccount:default:workload-identity-sa');
  // The sandbox runs the tutorial's ServiceAccount: nothing to warn about.
  assert.equal((working.iconPath as vscode.ThemeIcon).id, 'link', tooltipText(working));
  assert.doesNotMatch(tooltipText(working), /⚠/);
  const roles = await kids(await path(SUB, 'Managed identities', 'id-wi-demo', 'Role assignments'));
  const roleLabels = await Promise.all(roles.map(async (n) => labelOf(await item(n))));
  assert.ok(roleLabels.includes('Key Vault Secrets User @ kv-wi-demo (Key Vault)'), roleLabels.join(', '));
}, 60_000);

test("explorer: the cluster runs the tutorial's ServiceAccount, matched; the broken one almost matches", async () => {
  const sa = await item(
    await path(SUB, 'AKS clusters', 'aks-wi-demo', 'Annotated ServiceAccounts', 'default/workload-identity-sa'),
  );
  assert.equal((sa.iconPath as vscode.ThemeIcon).id, 'pass');
  assert.equal(sa.description, 'credential matches (id-wi-demo)');
  const working = await item(
    await path(SUB, 'Managed identities', 'id-wi-demo', 'Federated credentials', 'fic-wi-demo'),
  );
  assert.notEqual((working.iconPath as vscode.ThemeIcon).id, 'warning', tooltipText(working));
  const broken = await item(
    await path(SUB, 'Managed identities', 'id-wi-noslash', 'Federated credentials', 'fic-wi-noslash'),
  );
  assert.equal((broken.iconPath as vscode.ThemeIcon).id, 'warning');
  const noslash = await item(
    await path(SUB, 'AKS clusters', 'aks-wi-demo', 'Annotated ServiceAccounts', 'default/noslash-sa'),
  );
  assert.equal(noslash.description, 'credential fic-wi-noslash almost matches: check the issuer');
}, 60_000);

test('explorer: kube contexts show the issuer from the API server, the AKS cluster and the ServiceAccounts', async () => {
  const contexts = await Promise.all(
    (await kids(await path('Kube contexts'))).map(async (n) => labelOf(await item(n))),
  );
  assert.deepEqual([...contexts].sort(), ['aks-legacy', 'aks-wi-demo']);
  const clusterIssuer = String((await item(await path(SUB, 'AKS clusters', 'aks-wi-demo', 'OIDC issuer'))).description);
  const issuer = await item(await path('Kube contexts', 'aks-wi-demo', 'OIDC issuer'));
  assert.equal(issuer.description, clusterIssuer);
  assert.equal((await item(await path('Kube contexts', 'aks-wi-demo', 'AKS cluster'))).description, 'aks-wi-demo');
  const sa = await item(
    await path('Kube contexts', 'aks-wi-demo', 'Annotated ServiceAccounts', 'default/workload-identity-sa'),
  );
  assert.equal(sa.description, 'credential matches (id-wi-demo)');
  // A cluster without the AKS issuer: kube-apiserver's in-cluster default, and the cluster tied by name.
  assert.equal(
    (await item(await path('Kube contexts', 'aks-legacy', 'OIDC issuer'))).description,
    'https://kubernetes.default.svc.cluster.local',
  );
  assert.equal((await item(await path('Kube contexts', 'aks-legacy', 'AKS cluster'))).description, 'aks-legacy');
}, 60_000);

test('explorer: a kubelet identity holding a broad role is flagged', async () => {
  const a = await explorer();
  const env = await a.provider.currentEnv();
  assert.ok(env);
  const cluster = await path(SUB, 'AKS clusters', 'aks-wi-demo');
  const kubeletTip = tooltipText(await item(await child(cluster, 'Kubelet identity')));
  const principal = /Principal ID: ([0-9a-f-]{36})/.exec(kubeletTip)?.[1];
  assert.ok(principal, kubeletTip);
  const sub = (await env.shownSubscriptions())[0].subscriptionId;
  // A change made outside the explorer (as `az role assignment create` would), then Refresh.
  await env.azure
    .clients(sub)
    .authorization.roleAssignments.create(
      `/subscriptions/${sub}/resourceGroups/rg-workload-identity`,
      crypto.randomUUID(),
      {
        roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`,
        principalId: principal,
        principalType: 'ServicePrincipal',
      },
    );
  await vscode.commands.executeCommand('kwi.explorer.refresh', await child(cluster, 'Kubelet identity'));
  const kubelet = await child(cluster, 'Kubelet identity');
  const kubeletItem = await item(kubelet);
  assert.equal((kubeletItem.iconPath as vscode.ThemeIcon).id, 'warning');
  assert.equal(kubeletItem.description, '1 risky role(s)');
  assert.match(tooltipText(kubeletItem), /Contributor @ rg-workload-identity \(resource group\): broad role/);
  const [role] = await kids(kubelet);
  assert.equal(labelOf(await item(role)), 'Contributor @ rg-workload-identity (resource group)');
  assert.equal(((await item(role)).iconPath as vscode.ThemeIcon).id, 'warning');
}, 60_000);

test('explorer: expanded tree (screenshot)', async () => {
  // A wider side bar, so descriptions (subjects, issuer state) are readable in the picture.
  await vscode.commands.executeCommand('kwi.explorer.focus');
  await new Promise((r) => setTimeout(r, 300));
  for (let i = 0; i < 8; i++) await vscode.commands.executeCommand('workbench.action.increaseViewSize');
  for (const p of [
    [SUB],
    [SUB, 'AKS clusters'],
    [SUB, 'AKS clusters', 'aks-wi-demo'],
    [SUB, 'AKS clusters', 'aks-wi-demo', 'Kubelet identity'],
    [SUB, 'AKS clusters', 'aks-wi-demo', 'Annotated ServiceAccounts'],
    [SUB, 'Managed identities'],
    [SUB, 'Managed identities', 'id-wi-demo'],
    [SUB, 'Managed identities', 'id-wi-demo', 'Federated credentials'],
    [SUB, 'Managed identities', 'id-wi-demo', 'Role assignments'],
    [SUB, 'Managed identities', 'id-wi-noslash'],
    [SUB, 'Managed identities', 'id-wi-noslash', 'Federated credentials'],
    ['Kube contexts'],
    ['Kube contexts', 'aks-wi-demo'],
  ]) {
    await expand(await path(...p));
  }
  const a = await explorer();
  await a.view.reveal(
    await path(SUB, 'Managed identities', 'id-wi-noslash', 'Federated credentials', 'fic-wi-noslash'),
    { select: true, focus: true },
  );
  await screenshot('explorer-tree');
  // Give the editor its width back: later tests' screenshots show webviews beside this view.
  await vscode.commands.executeCommand('kwi.explorer.focus');
  for (let i = 0; i < 8; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewSize');
}, 90_000);

test('explorer: Copy client ID and Copy issuer put the value on the clipboard', async () => {
  const clientId = await clientIdOf('id-wi-demo');
  await vscode.commands.executeCommand(
    'kwi.explorer.copyClientId',
    await path(SUB, 'Managed identities', 'id-wi-demo'),
  );
  assert.equal(await vscode.env.clipboard.readText(), clientId);
  const issuer = String((await item(await path(SUB, 'AKS clusters', 'aks-wi-demo', 'OIDC issuer'))).description);
  await vscode.commands.executeCommand('kwi.explorer.copyIssuer', await path(SUB, 'AKS clusters', 'aks-wi-demo'));
  assert.equal(await vscode.env.clipboard.readText(), issuer);
  const noslash = await path(SUB, 'Managed identities', 'id-wi-noslash', 'Federated credentials', 'fic-wi-noslash');
  await vscode.commands.executeCommand('kwi.explorer.copySubject', noslash);
  const subject = await vscode.env.clipboard.readText();
  assert.match(subject, /^system:serviceaccount:default:[a-z0-9-]+$/);
  assert.equal(subject, (await item(noslash)).description);
}, 30_000);

test('explorer: Reveal manifest opens the ServiceAccount the credential serves; its lens names what trusts it', async () => {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder');
  const tutorial = (name: string) => vscode.Uri.joinPath(folder.uri, 'tutorial', name);
  try {
    await indexed(tutorial('serviceaccount.yaml'));
    const node = await path(SUB, 'Managed identities', 'id-wi-demo', 'Federated credentials', 'fic-wi-demo');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(
      'kwi.explorer.revealManifest',
      node,
    );
    const active = editor ?? vscode.window.activeTextEditor;
    assert.equal(active?.document.uri.path, tutorial('serviceaccount.yaml').path);
    assert.equal(active?.document.lineAt(active.selection.active.line).text, '  name: workload-identity-sa');
    // From an identity: the ServiceAccount annotated with its client ID.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await indexed(tutorial('noslash-serviceaccount.yaml'));
    const fromIdentity = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(
      'kwi.explorer.revealManifest',
      await path(SUB, 'Managed identities', 'id-wi-noslash'),
    );
    assert.equal(fromIdentity?.document.uri.path, tutorial('noslash-serviceaccount.yaml').path);
    // The ServiceAccount's lens says what the cloud trusts: here, an issuer without its slash, in a few words.
    const lenses =
      (await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        tutorial('noslash-serviceaccount.yaml'),
      )) ?? [];
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(
      titles.includes(
        '$(warning) Azure: id-wi-noslash · credential fic-wi-noslash almost trusts cluster aks-wi-demo: issuer lacks or adds a trailing slash',
      ),
      titles.join(' | '),
    );
    const goodTitles = (
      (await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        tutorial('serviceaccount.yaml'),
      )) ?? []
    ).map((l) => l.command?.title ?? '');
    assert.ok(
      goodTitles.includes('$(pass) Azure: id-wi-demo · credential fic-wi-demo trusts cluster aks-wi-demo'),
      goodTitles.join(' | '),
    );
    await vscode.window.showTextDocument(tutorial('serviceaccount.yaml'));
    await screenshot('explorer-lens');
  } finally {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  }
}, 60_000);

test('explorer: Reveal manifest answers from the core index: a ServiceAccount only in an unsaved editor is found', async () => {
  // No file on disk holds it, so only the index (fed by the editor's live text) can know where it is.
  const clientId = await clientIdOf('id-wi-noslash');
  const document = await vscode.workspace.openTextDocument({
    language: 'yaml',
    content: `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  namespace: scratch\n  name: unsaved-only-sa\n  annotations:\n    azure.workload.identity/client-id: "${clientId}"\n`,
  });
  await indexed(document.uri);
  // Files of earlier tests may still be open with the same annotation: then the pick lists this one too.
  let offered: string[] = [];
  const restore = (await explorer()).overrideUi({
    info: (message) => assert.fail(message),
    pickOne: async <T extends vscode.QuickPickItem>(items: T[]) => {
      offered = items.map((i) => String(i.description));
      return items.find(
        (i) => (i as { location?: { uri: vscode.Uri } }).location?.uri.toString() === document.uri.toString(),
      );
    },
  });
  try {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(
      'kwi.explorer.revealManifest',
      await path(SUB, 'Managed identities', 'id-wi-noslash'),
    );
    assert.equal(editor?.document.uri.toString(), document.uri.toString(), `offered: ${offered.join(', ')}`);
    assert.equal(editor?.selection.active.line, 4);
  } finally {
    restore();
  }
}, 30_000);

test('explorer: Delete federated credential asks, names what stops working, and deletes', async () => {
  const a = await explorer();
  let asked: { message: string; detail: string } | undefined;
  const restore = a.overrideUi({
    confirm: async (message, detail) => {
      asked = { message, detail };
      return true;
    },
  });
  try {
    const credentials = await path(SUB, 'Managed identities', 'id-wi-noslash', 'Federated credentials');
    const node = await child(credentials, 'fic-wi-noslash');
    const deleted = await vscode.commands.executeCommand<boolean>('kwi.explorer.deleteFederatedCredential', node);
    assert.equal(deleted, true);
    assert.match(asked?.message ?? '', /fic-wi-noslash/);
    // Names the ServiceAccount and the cluster whose pods lose access, and the identity.
    assert.match(asked?.detail ?? '', /ServiceAccount default\/[a-z0-9-]+ on aks-wi-demo .*id-wi-noslash/);
    const after = await Promise.all((await kids(credentials)).map(async (n) => labelOf(await item(n))));
    assert.deepEqual(after, ['No federated credentials']);
  } finally {
    restore();
  }
}, 60_000);

test('explorer: a failing listing is an error item with a reason, and Retry recovers', async () => {
  const a = await explorer();
  const sandbox = await a.sandbox();
  assert.ok(sandbox);
  const clusters = await path(SUB, 'AKS clusters');
  sandbox.setKnobs({ throttleRate: 1, retryAfterSeconds: 0 });
  try {
    await vscode.commands.executeCommand('kwi.explorer.refresh', clusters);
    const [error] = await kids(clusters);
    const errorItem = await item(error);
    assert.equal(labelOf(errorItem), 'Could not load AKS clusters');
    assert.equal(errorItem.description, 'throttled by Azure; retry in a moment');
    assert.match(String(errorItem.contextValue), /;retry;/);
    sandbox.setKnobs({ throttleRate: 0, retryAfterSeconds: 1 });
    await vscode.commands.executeCommand('kwi.explorer.retry', error);
    const after = await Promise.all((await kids(clusters)).map(async (n) => labelOf(await item(n))));
    assert.deepEqual(after, ['aks-legacy', 'aks-wi-demo']);
  } finally {
    sandbox.setKnobs({ throttleRate: 0, retryAfterSeconds: 1 });
  }
}, 60_000);

test('explorer: the subscription filter hides and shows subscriptions, remembered for the workspace', async () => {
  const a = await explorer();
  const rootLabels = async () => Promise.all((await kids()).map(async (n) => labelOf(await item(n))));
  let restore = a.overrideUi({ pick: async () => [] });
  try {
    await vscode.commands.executeCommand('kwi.explorer.selectSubscriptions');
    assert.deepEqual(await rootLabels(), ['Kube contexts']);
  } finally {
    restore();
  }
  restore = a.overrideUi({ pick: async (items) => items });
  try {
    await vscode.commands.executeCommand('kwi.explorer.selectSubscriptions');
    assert.deepEqual(await rootLabels(), [SUB, 'Kube contexts']);
  } finally {
    restore();
  }
}, 30_000);

test('explorer: against Azure with no session, the tree is empty and the welcome view offers Sign in', async () => {
  const a = await explorer();
  await withSetting('kwi', 'backend', 'azure', async () => {
    // The configuration change resets the backend; the next load finds no Microsoft session.
    const roots = await Promise.race([
      kids(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('getSession did not answer')), 15_000)),
    ]);
    assert.deepEqual(roots, []);
    await vscode.commands.executeCommand('kwi.explorer.focus');
    await screenshot('explorer-welcome');
  });
  a.provider.reset();
  assert.ok((await kids()).length > 1, 'back on the sandbox');
}, 40_000);

test('[restricted] explorer: browsing works untrusted, deleting a credential is refused', async () => {
  assert.equal(vscode.workspace.isTrusted, false, 'this pass expects restricted mode');
  const a = await explorer();
  let asked = false;
  let refused = '';
  const restore = a.overrideUi({
    confirm: async () => {
      asked = true;
      return true;
    },
    error: (m) => {
      refused = m;
    },
  });
  try {
    const credentials = await path(SUB, 'Managed identities', 'id-wi-demo', 'Federated credentials');
    const node = await child(credentials, 'fic-wi-demo');
    assert.equal(await vscode.commands.executeCommand<boolean>('kwi.explorer.deleteFederatedCredential', node), false);
    assert.equal(asked, false, 'no confirmation is even offered');
    assert.match(refused, /trusted workspace/);
    await vscode.commands.executeCommand('kwi.explorer.refresh', credentials);
    assert.deepEqual(await Promise.all((await kids(credentials)).map(async (n) => labelOf(await item(n)))), [
      'fic-wi-demo',
    ]);
  } finally {
    restore();
  }
}, 60_000);
