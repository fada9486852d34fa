// Every status tells the truth, checked where the user sees it: lens texts, the text after a fix,
// the menu items of each tree node kind, what Sign in says on the sandbox, the editor a rule link
// opens. Runs before explorer.test.ts, which deletes the broken credential.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { explorer, item, labelOf, path, SUB, type Node } from './explorerTree';
import {
  applyAction,
  applyQuickFix,
  codeLenses,
  diagnosticOn,
  diagnosticsWhere,
  EXTENSION_ID,
  kwi,
  open,
  quickFixes,
  ruleOf,
  screenshot,
  waitFor,
} from './helpers';
import { log, test } from './runner';

const lensTitles = async (uri: vscode.Uri, count: number): Promise<string[]> =>
  waitFor(async () => {
    const titles = (await codeLenses(uri)).map((l) => `${l.range.start.line}: ${l.command?.title}`);
    return titles.length >= count ? titles : undefined;
  }, `${count} lenses`);

test('truth: the tutorial pod is ready; a pod with errors is not, and its lens names the first', async () => {
  await (await kwi()).whenIndexed();
  const pod = await open('tutorial/pod.yaml');
  assert.deepEqual(await lensTitles(pod.document.uri, 1), ['4: Workload identity: ready (client 9a3e…5c6d)']);
  const pods = await open('app/pods.yaml');
  const titles = await lensTitles(pods.document.uri, 5);
  assert.equal(titles[4], '53: Workload identity: not ready — wi/token-expiration-invalid (+1 more)');
  // Short enough for the editor's width; the details are in the tooltip.
  assert.ok(
    titles.every((t) => t.length < 90),
    titles.join(' | '),
  );
  const lens = (await codeLenses(pods.document.uri)).find((l) => l.range.start.line === 53)!;
  // Clicking it leads to the first error.
  await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
  const editor = vscode.window.activeTextEditor!;
  assert.match(editor.document.lineAt(editor.selection.active.line).text, /service-account-token-expiration: "100000"/);
}, 30_000);

test("truth: a misspelt use annotation is fixed into the pod template's label, by the quick fix and by Fix all", async () => {
  const { document } = await open('app/pods.yaml');
  const d = await diagnosticOn(document, 'wi/unknown-key', 'azure.workload.identity/used');
  assert.match(
    d.message,
    /Unknown annotation 'azure\.workload\.identity\/used'.*label azure\.workload\.identity\/use: "true"/,
  );
  await applyQuickFix(document, d, 'Replace with label azure.workload.identity/use: "true"');
  assert.doesNotMatch(document.getText(), /identity\/used/);
  await diagnosticsWhere(document.uri, (ds) => !ds.some((x) => ruleOf(x) === 'wi/unknown-key'), 'no unknown-key left');

  const content = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  selector:',
    '    matchLabels:',
    '      app: web',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: web',
    '      annotations:',
    '        azure.workload.identity/used: "true"',
    '    spec:',
    '      containers:',
    '        - name: app',
    '          image: nginx',
    '',
  ].join('\n');
  const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content });
  await vscode.window.showTextDocument(doc);
  await diagnosticsWhere(
    doc.uri,
    (ds) => ds.some((x) => ruleOf(x) === 'wi/unknown-key') && ds.some((x) => ruleOf(x) === 'wi/use-label-missing'),
    'both findings',
  );
  const all = new vscode.Range(0, 0, doc.lineCount, 0);
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      all,
      'source.fixAll.kwi',
    )) ?? [];
  const ours = actions.find((a) => a.kind?.value === 'source.fixAll.kwi');
  assert.ok(ours, 'a fix-all action');
  await applyAction(ours);
  await waitFor(() => (!doc.getText().includes('identity/used') ? true : undefined), 'fix all applied');
  assert.match(doc.getText(), /\n {6}labels:\n {8}app: web\n {8}azure\.workload\.identity\/use: "true"\n {4}spec:/);
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}, 30_000);

test('truth: Set serviceAccountName offers only ServiceAccounts whose client ID is a GUID', async () => {
  const { document } = await open('app/pods.yaml');
  const ds = await diagnosticsWhere(
    document.uri,
    (all) => all.some((x) => ruleOf(x) === 'wi/service-account-default'),
    'service-account-default',
  );
  const d = ds.find((x) => ruleOf(x) === 'wi/service-account-default')!;
  const titles = (await quickFixes(document.uri, d.range))
    .map((a) => a.title)
    .filter((t) => t.startsWith('Set serviceAccountName'));
  // In namespace app: kv-reader, short-lived and listed (an item of app/list.yaml's kind: List) have
  // GUIDs; display-name ("id-kv-reader") and templated ("${CLIENT_ID}") do not.
  assert.deepEqual(titles.sort(), [
    'Set serviceAccountName: kv-reader',
    'Set serviceAccountName: listed',
    'Set serviceAccountName: short-lived',
  ]);
  // The quick-fix menu as the user sees it (Ctrl+.).
  const editor = vscode.window.activeTextEditor!;
  editor.selection = new vscode.Selection(d.range.start, d.range.start);
  editor.revealRange(d.range, vscode.TextEditorRevealType.InCenter);
  await vscode.commands.executeCommand('editor.action.quickFix');
  await new Promise((r) => setTimeout(r, 1000));
  await screenshot('quick-fix-menu');
}, 30_000);

test('truth: the trailing-slash tooltip links the issuer, and the link ends where the URL does', async () => {
  await vscode.commands.executeCommand('kwi.explorer.focus');
  const broken = await item(
    await path(SUB, 'Managed identities', 'id-wi-noslash', 'Federated credentials', 'fic-wi-noslash'),
  );
  const md = (broken.tooltip as vscode.MarkdownString).value;
  const warning = md.slice(md.indexOf('⚠'));
  const link = /\[([^\]]+)\]\(<([^>]+)>\)/.exec(warning);
  assert.ok(link, warning);
  assert.match(link[2], /^https:\/\/127\.0\.0\.1:\d+\/oidc\/[^\s&]+\/$/, 'the target is the issuer URL, nothing more');
  assert.doesNotMatch(link[2], /&nbsp;|\s/);
  assert.match(
    warning.slice(link.index + link[0].length),
    /^\): Entra compares exactly, so token exchange fails with AADSTS70021\.$/,
  );
  const legacy = await item(await path(SUB, 'AKS clusters', 'aks-legacy'));
  assert.match(
    (legacy.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\/g, ''),
    /pods on this cluster get no federated token/,
  );
  assert.equal((legacy.iconPath as vscode.ThemeIcon).id, 'warning');
}, 60_000);

interface Menu {
  command: string;
  when?: string;
  group?: string;
}

/** The context-menu commands VS Code would show for a tree item, evaluated from package.json's `when` clauses. */
function menuOf(contextValue: string | undefined): string[] {
  const menus = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.menus[
    'view/item/context'
  ] as Menu[];
  const shown = menus.filter((m) => {
    const token = /viewItem =~ \/;(\w+);\//.exec(m.when ?? '')?.[1];
    return token !== undefined && (contextValue ?? '').includes(`;${token};`);
  });
  return [
    ...new Set(shown.map((m) => `${m.group === 'inline' ? 'inline:' : ''}${m.command.replace('kwi.explorer.', '')}`)),
  ].sort();
}

test('truth: each tree node kind offers exactly the actions it can run', async () => {
  const menus = async (...p: string[]) => menuOf((await item(await path(...p))).contextValue);
  const expected: Array<[string[], string[]]> = [
    [[SUB], ['kwi.provision.createIdentity', 'kwi.provision.setup', 'refresh']],
    // Issuer and workload identity on: Disable is offered, Enable is not.
    [
      [SUB, 'AKS clusters', 'aks-wi-demo'],
      [
        'copyIssuer',
        'inline:copyIssuer',
        'kwi.diagnosis.diagnoseAll',
        'kwi.provision.disableWorkloadIdentity',
        'kwi.provision.migratePodIdentity',
        'kwi.provision.repointCredentials',
        'kwi.provision.setup',
        'refresh',
      ],
    ],
    // No issuer: nothing to copy, so no Copy Issuer URL, inline or in the menu.
    // Both off: Enable is offered, Disable is not.
    [
      [SUB, 'AKS clusters', 'aks-legacy'],
      [
        'kwi.diagnosis.diagnoseAll',
        'kwi.provision.enableWorkloadIdentity',
        'kwi.provision.migratePodIdentity',
        'kwi.provision.repointCredentials',
        'kwi.provision.setup',
        'refresh',
      ],
    ],
    [[SUB, 'AKS clusters', 'aks-legacy', 'OIDC issuer'], []],
    [
      [SUB, 'AKS clusters', 'aks-wi-demo', 'OIDC issuer'],
      ['copyIssuer', 'inline:copyIssuer'],
    ],
    [
      [SUB, 'AKS clusters', 'aks-wi-demo', 'Kubelet identity'],
      ['copyClientId', 'copyPrincipalId', 'refresh'],
    ],
    [
      [SUB, 'AKS clusters', 'aks-wi-demo', 'Annotated ServiceAccounts', 'default/workload-identity-sa'],
      [
        'copyClientId',
        'copySubject',
        'inline:revealManifest',
        'kwi.diagnosis.diagnose',
        'kwi.provision.annotateServiceAccount',
        'kwi.provision.deploySample',
        'kwi.provision.restartWorkloads',
        'kwi.provision.setup',
        'revealManifest',
      ],
    ],
    [
      [SUB, 'Managed identities', 'id-wi-demo'],
      [
        'copyClientId',
        'copyPrincipalId',
        'inline:revealManifest',
        'kwi.diagnosis.diagnose',
        'kwi.provision.createCredential',
        'kwi.provision.grantRole',
        'kwi.provision.setup',
        'refresh',
        'revealManifest',
      ],
    ],
    [
      [SUB, 'Managed identities', 'id-wi-demo', 'Federated credentials', 'fic-wi-demo'],
      [
        'copyIssuer',
        'copySubject',
        'deleteFederatedCredential',
        'inline:copyIssuer',
        'inline:revealManifest',
        'kwi.diagnosis.diagnose',
        'revealManifest',
      ],
    ],
    // The sandbox has no portal: no role assignment, identity or cluster offers Open in Portal.
    [
      [SUB, 'Managed identities', 'id-wi-demo', 'Role assignments', 'Key Vault Secrets User @ kv-wi-demo (Key Vault)'],
      [],
    ],
    [['Kube contexts', 'aks-wi-demo'], ['refresh']],
  ];
  const seen: string[] = [];
  for (const [p, menu] of expected) {
    const actual = await menus(...p);
    seen.push(`${p.at(-1)}: ${actual.join(', ') || '(none)'}`);
    assert.deepEqual(actual, menu, p.join(' → '));
  }
  log(`    menus: ${seen.join(' | ')}`);
  // Each copy the menus offer copies something.
  for (const [p, menu] of expected) {
    for (const c of menu.filter((m) => m.startsWith('copy'))) {
      await vscode.env.clipboard.writeText('');
      await vscode.commands.executeCommand(`kwi.explorer.${c}`, await path(...p));
      assert.ok((await vscode.env.clipboard.readText()).length > 0, `${c} on ${p.join(' → ')}`);
    }
  }
  // With a portal (Azure), the same nodes get the portal token, from the same method that opens it.
  const env = await (await explorer()).provider.currentEnv();
  assert.ok(env);
  Object.defineProperty(env, 'portal', { value: 'https://portal.azure.com', configurable: true });
  try {
    const role: Node = await path(
      SUB,
      'Managed identities',
      'id-wi-demo',
      'Role assignments',
      'Key Vault Secrets User @ kv-wi-demo (Key Vault)',
    );
    assert.deepEqual(menuOf((await item(role)).contextValue), ['openInPortal']);
    assert.ok((await menus(SUB, 'AKS clusters', 'aks-legacy')).includes('openInPortal'));
  } finally {
    delete (env as { portal?: string }).portal;
  }
}, 90_000);

test('truth: Sign in on the sandbox says there is nothing to sign in to, and opens no Microsoft login', async () => {
  const a = await explorer();
  let said = '';
  const restore = a.overrideUi({
    info: (m) => {
      said = m;
    },
  });
  try {
    const signedIn = await vscode.commands.executeCommand<boolean>('kwi.explorer.signIn');
    assert.equal(signedIn, false);
    assert.match(said, /^Nothing to sign in to: with "kwi\.backend": "sandbox" the explorer uses the local sandbox/);
  } finally {
    restore();
  }
}, 20_000);

test("truth: a rule link opens that rule's help rendered and read-only, and adds no Problems", async () => {
  const { document } = await open('app/pods.yaml');
  const d = await diagnosticOn(document, 'wi/token-expiration-invalid', 'service-account-token-expiration');
  const target = (d.code as { target: vscode.Uri }).target;
  assert.equal(target.toString(), 'kwi-rule:/wi/token-expiration-invalid.md');
  // What the Problems panel's and the hover's link do: open the URI.
  await vscode.commands.executeCommand('vscode.open', target);
  const tab = await waitFor(
    () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.toString() === target.toString()),
    'the rendered help',
    10_000,
  );
  assert.equal((tab.input as vscode.TabInputCustom).viewType, 'vscode.markdown.preview.editor');
  await waitFor(
    () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === target.toString())
        ? undefined
        : true,
    'no text editor on it',
  );
  const help = await vscode.workspace.openTextDocument(target);
  assert.match(
    help.getText(),
    /^# wi\/token-expiration-invalid\n\n\*\*Token expiration out of range\*\*\n\n.*3600 to 86400/,
  );
  assert.doesNotMatch(help.getText(), /wi\/use-label-missing/, 'that rule only');
  // Not a file: it cannot be saved over anything, and nothing lints it.
  assert.equal(help.uri.scheme, 'kwi-rule');
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(vscode.languages.getDiagnostics(target), []);
  await screenshot('rule-help');
}, 30_000);

test('truth: the walkthrough opens (screenshot)', async () => {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#kwi.firstChain`, false);
  await new Promise((r) => setTimeout(r, 1500));
  await screenshot('walkthrough');
}, 30_000);

test('truth: the green chain, in the tree and the editor (screenshot)', async () => {
  const a = await explorer();
  await vscode.commands.executeCommand('kwi.explorer.focus');
  for (let i = 0; i < 8; i++) await vscode.commands.executeCommand('workbench.action.increaseViewSize');
  for (const p of [
    [SUB],
    [SUB, 'AKS clusters'],
    [SUB, 'AKS clusters', 'aks-wi-demo'],
    [SUB, 'AKS clusters', 'aks-wi-demo', 'Annotated ServiceAccounts'],
    [SUB, 'Managed identities'],
    [SUB, 'Managed identities', 'id-wi-demo'],
    [SUB, 'Managed identities', 'id-wi-demo', 'Federated credentials'],
    [SUB, 'Managed identities', 'id-wi-noslash'],
    [SUB, 'Managed identities', 'id-wi-noslash', 'Federated credentials'],
  ]) {
    await a.view.reveal(await path(...p), { expand: true, select: false, focus: false });
  }
  const sa = await path(
    SUB,
    'AKS clusters',
    'aks-wi-demo',
    'Annotated ServiceAccounts',
    'default/workload-identity-sa',
  );
  assert.equal(labelOf(await item(sa)), 'default/workload-identity-sa');
  await a.view.reveal(sa, { select: true, focus: false });
  const folder = vscode.workspace.workspaceFolders![0]!;
  await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, 'tutorial', 'serviceaccount.yaml'), {
    viewColumn: vscode.ViewColumn.One,
  });
  await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, 'tutorial', 'pod.yaml'), {
    viewColumn: vscode.ViewColumn.Two,
  });
  await waitFor(
    async () =>
      (await codeLenses(vscode.Uri.joinPath(folder.uri, 'tutorial', 'serviceaccount.yaml'))).some((l) =>
        /Azure: id-wi-demo/.test(l.command?.title ?? ''),
      )
        ? true
        : undefined,
    'the Azure lens',
  );
  await screenshot('green-chain');
  // Give the editor its width back: later tests' screenshots show webviews beside this view.
  await vscode.commands.executeCommand('kwi.explorer.focus');
  for (let i = 0; i < 8; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewSize');
}, 90_000);

test('truth: the README VS Code shows on the extension page has no picture the page cannot load', async () => {
  // The page keeps https: images only; the README VS Code reads is the one the extension was
  // installed with (scripts/stageExtension.mjs), so that is the one checked.
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  const readme = new TextDecoder().decode(
    await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'README.md')),
  );
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map((m) => m[1]!);
  for (const src of images) assert.match(src, /^https:/, src);
  // Each picture the checkout's README shows is still named, with where it is.
  assert.match(
    readme,
    /Screenshot: .*docs\/images\/editor\.png|raw\.githubusercontent\.com\/.*docs\/images\/editor\.png/,
  );
}, 30_000);
