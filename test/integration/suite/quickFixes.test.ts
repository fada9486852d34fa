// Every quick fix applied through VS Code's own code action command and workspace.applyEdit; the
// whole resulting text is compared, so comments, key order, quoting and indentation elsewhere
// are proven unchanged. Files are reverted after each test (runner afterEach).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  applyAction,
  applyQuickFix,
  assertText,
  diagnosticOn,
  diagnosticsWhere,
  kwi,
  open,
  quickFixes,
  replaceOnce,
  ruleOf,
} from './helpers';
import { test } from './runner';

const USE = 'azure.workload.identity/use';

test('quick fix: unquoted true → "true" (comment on the line kept)', async () => {
  const { document } = await open('app/deployment-unquoted.yaml');
  const original = document.getText();
  const d = await diagnosticOn(document, 'wi/use-label-not-true', `${USE}: true`);
  await applyQuickFix(document, d, 'Set the value to "true"');
  assertText(
    document,
    replaceOnce(original, `${USE}: true # should be "true"`, `${USE}: "true" # should be "true"`),
    'after the fix',
  );
  await diagnosticsWhere(document.uri, (ds) => ds.length === 0, 'no findings left');
});

test('quick fix: "True" → "true" in the first of several documents', async () => {
  const { document } = await open('app/pods.yaml');
  const original = document.getText();
  const d = await diagnosticOn(document, 'wi/use-label-not-true', `${USE}: "True"`);
  await applyQuickFix(document, d, 'Set the value to "true"');
  assertText(
    document,
    replaceOnce(original, `${USE}: "True" # wi/use-label-not-true`, `${USE}: "true" # wi/use-label-not-true`),
    'after the fix',
  );
});

test('quick fix: add the missing label to the pod template (comment on the previous line kept)', async () => {
  const { document } = await open('app/deployment-label-missing.yaml');
  const original = document.getText();
  const d = await diagnosticOn(document, 'wi/use-label-missing', 'labels:');
  await applyQuickFix(document, d, `Add label ${USE}: "true"`);
  assertText(
    document,
    replaceOnce(
      original,
      '        app: no-label # keep this comment\n',
      `        app: no-label # keep this comment\n        ${USE}: "true"\n`,
    ),
    'after the fix',
  );
  await diagnosticsWhere(document.uri, (ds) => ds.length === 0, 'no findings left');
});

test('quick fix: move the label from the Deployment to its pod template', async () => {
  const { document } = await open('app/deployment-label-misplaced.yaml');
  const original = document.getText();
  const d = await diagnosticOn(document, 'wi/use-label-misplaced', USE);
  await applyQuickFix(document, d, "Move the label to the pod template's labels");
  let expected = replaceOnce(original, `    app: misplaced\n    ${USE}: "true"\n`, '    app: misplaced\n');
  expected = replaceOnce(
    expected,
    '      labels:\n        app: misplaced\n',
    `      labels:\n        app: misplaced\n        ${USE}: "true"\n`,
  );
  assertText(document, expected, 'after the fix');
  await diagnosticsWhere(document.uri, (ds) => ds.length === 0, 'no findings left');
});

test("quick fix: move the label from a CronJob template's annotations to its labels", async () => {
  const { document } = await open('app/cronjob.yaml');
  const d = await diagnosticOn(document, 'wi/use-label-misplaced', USE);
  await applyQuickFix(document, d, "Move the label to the pod template's labels");
  // The annotation goes and the label appears under the template's metadata. The core keeps the
  // emptied `annotations:` key (null, which the API server accepts); removing it would be tidier.
  const text = document.getText();
  // The annotations map held only the label, so the now-empty `annotations:` goes with it.
  assert.match(text, /\n {8}metadata:\n {10}labels:\n {12}azure\.workload\.identity\/use: "true"\n {8}spec:\n/);
  assert.ok(!text.includes('# wi/use-label-misplaced'), 'the annotation line, with its comment, is gone');
  assert.match(text, /^# A CronJob's pods come from spec\.jobTemplate\.spec\.template\.\n/);
  await diagnosticsWhere(document.uri, (ds) => ds.length === 0, 'no findings left');
});

test('quick fix: a label only in spec.selector is added to the pod template (selector untouched)', async () => {
  const { document } = await open('app/edge-cases.yaml');
  const original = document.getText();
  const d = await diagnosticOn(document, 'wi/use-label-misplaced', USE);
  await applyQuickFix(document, d, "Add the label to the pod template's labels (the selector keeps it)");
  // spec.selector is immutable on a live Deployment, so the label stays there and is added to
  // the template's labels, which the selector must match anyway.
  const expected = replaceOnce(
    original,
    '      labels:\n        app: selector-only\n',
    `      labels:\n        app: selector-only\n        ${USE}: "true"\n`,
  );
  assertText(document, expected, 'after the fix');
});

test('quick fix: skip-containers commas → semicolons', async () => {
  const { document } = await open('app/edge-cases.yaml');
  const original = document.getText();
  const d = await diagnosticOn(document, 'wi/skip-containers-unknown', 'istio-proxy,app');
  await applyQuickFix(document, d, 'Separate the names with semicolons');
  assertText(document, replaceOnce(original, '"istio-proxy,app"', '"istio-proxy;app"'), 'after the fix');
});

test('quick fix: quote an annotation value written as a YAML number (comment kept)', async () => {
  const { document } = await open('app/edge-cases.yaml');
  const original = document.getText();
  const d = await diagnosticOn(document, 'wi/token-expiration-invalid', 'expiration: 7200');
  await applyQuickFix(document, d, 'Quote the value');
  assertText(
    document,
    replaceOnce(original, 'expiration: 7200 # a number', 'expiration: "7200" # a number'),
    'after the fix',
  );
});

test('quick fix: add the label to a pod that only has workload identity annotations', async () => {
  const { document } = await open('app/edge-cases.yaml');
  const d = await diagnosticOn(document, 'wi/use-label-missing', 'kind: Pod');
  await applyQuickFix(document, d, `Add label ${USE}: "true"`);
  assert.match(
    document.getText(),
    /name: annotations-only\n {2}namespace: app\n( {2}labels:\n {4}azure\.workload\.identity\/use: "true"\n {2}annotations:\n| {2}annotations:\n[^\n]*\n {2}labels:\n {4}azure\.workload\.identity\/use: "true"\n)/,
  );
});

test('quick fix: set serviceAccountName to an annotated ServiceAccount of the namespace', async () => {
  await (await kwi()).whenIndexed();
  const { document } = await open('app/pods.yaml');
  const original = document.getText();
  const d = (
    await diagnosticsWhere(
      document.uri,
      (ds) => ds.some((x) => ruleOf(x) === 'wi/service-account-default'),
      'wi/service-account-default',
    )
  ).find((x) => ruleOf(x) === 'wi/service-account-default')!;
  await applyQuickFix(document, d, 'Set serviceAccountName: kv-reader');
  // The key is appended at the end of the pod spec: a pure insertion, nothing else moves.
  const from =
    'spec:\n  containers:\n    - name: app\n      image: mcr.microsoft.com/azure-cli:latest\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: plain-sa\n';
  assertText(
    document,
    replaceOnce(original, from, from.replace('latest\n---', 'latest\n  serviceAccountName: kv-reader\n---')),
    'after the fix',
  );
  await diagnosticsWhere(
    document.uri,
    (ds) => !ds.some((x) => ruleOf(x) === 'wi/service-account-default'),
    'wi/service-account-default gone',
  );
});

test('quick fix: rename a misspelled annotation key', async () => {
  const { document } = await open('app/serviceaccounts.yaml');
  const original = document.getText();
  const d = await diagnosticOn(document, 'wi/unknown-key', 'azure.workload.identity/client_id');
  await applyQuickFix(document, d, "Rename to 'azure.workload.identity/client-id'");
  assertText(
    document,
    replaceOnce(original, 'azure.workload.identity/client_id: "6f1c', 'azure.workload.identity/client-id: "6f1c'),
    'after the fix',
  );
});

test('quick fix: remove inject-proxy-sidecar: "false"', async () => {
  const { document } = await open('app/pods.yaml');
  const original = document.getText();
  const d = await diagnosticOn(document, 'wi/proxy-sidecar-invalid', 'inject-proxy-sidecar');
  await applyQuickFix(document, d, 'Remove the annotation');
  assertText(
    document,
    replaceOnce(
      original,
      '    azure.workload.identity/inject-proxy-sidecar: "false" # wi/proxy-sidecar-invalid (warning): still injects\n',
      '',
    ),
    'after the fix',
  );
});

test('quick fix with input: annotate the ServiceAccount (prompt answered through the test hook)', async () => {
  const api = await kwi();
  await api.whenIndexed();
  const { document: pods } = await open('app/pods.yaml');
  const d = await diagnosticOn(pods, 'wi/service-account-not-annotated', 'serviceAccountName: plain');
  const sas = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(pods.uri, '..', 'serviceaccounts.yaml'));
  const original = sas.getText();
  const guid = '11111111-2222-4333-8444-555555555555';
  const seen: { rejected?: string; accepted?: string } = {};
  const restore = api.overrideUi({
    showInputBox: async (options) => {
      const validate = options.validateInput!;
      seen.rejected = (await validate('id-kv-reader')) as string | undefined;
      seen.accepted = ((await validate(guid)) as string | undefined) ?? 'ok';
      return guid;
    },
  });
  try {
    // The fix is offered on the pod (pods.yaml) and edits the ServiceAccount's file (Fix.uri).
    const action = (await quickFixes(pods.uri, d.range)).find((a) =>
      a.title.startsWith("Annotate ServiceAccount 'plain'"),
    );
    assert.ok(action, 'annotate action offered on the pod');
    assert.equal(action.command?.command, 'kwi.applyFix', 'a fix that needs input runs the prompting command');
    await applyAction(action);
  } finally {
    restore();
  }
  assert.ok(seen.rejected && seen.rejected.length > 0, 'a display name is rejected by validateInput');
  assert.equal(seen.accepted, 'ok', 'a GUID is accepted by validateInput');
  const fixed = await vscode.workspace.openTextDocument(sas.uri);
  assertText(
    fixed,
    replaceOnce(
      original,
      '  name: plain\n  namespace: app\n',
      `  name: plain\n  namespace: app\n  annotations:\n    azure.workload.identity/client-id: "${guid}"\n`,
    ),
    'serviceaccounts.yaml after the fix',
  );
  await diagnosticsWhere(
    pods.uri,
    (ds) => !ds.some((x) => ruleOf(x) === 'wi/service-account-not-annotated'),
    'the pod no longer reports the unannotated ServiceAccount',
  );
});

test('quick fix: migrate an aadpodidbinding workload to workload identity', async () => {
  await (await kwi()).whenIndexed();
  const { document } = await open('podidentity/legacy-app.yaml');
  const original = document.getText();
  const d = await diagnosticOn(document, 'podidentity/binding-label', 'aadpodidbinding');
  await applyQuickFix(document, d, /^Migrate to workload identity \(client ID/);
  // The binding label becomes the use label (its comment stays on the line), the pod template
  // names a new ServiceAccount, and that ServiceAccount, annotated with the client ID of the
  // AzureIdentity the binding selected (podidentity/azureidentity.yaml), is appended as a document.
  let expected = replaceOnce(
    original,
    '        aadpodidbinding: legacy-reader #',
    '        azure.workload.identity/use: "true" #',
  );
  expected = replaceOnce(
    expected,
    'image: mcr.microsoft.com/azure-cli:latest\n',
    'image: mcr.microsoft.com/azure-cli:latest\n      serviceAccountName: legacy-app\n',
  );
  expected +=
    '---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: legacy-app\n  namespace: legacy\n  annotations:\n    azure.workload.identity/client-id: "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"\n';
  assertText(document, expected, 'after the migration');
  await diagnosticsWhere(document.uri, (ds) => ds.length === 0, 'no findings left');
});

test('quick fix: a migration whose ServiceAccount is in another file edits both files', async () => {
  await (await kwi()).whenIndexed();
  const sa = await vscode.workspace.openTextDocument(
    vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'podidentity/worker-serviceaccount.yaml'),
  );
  const saOriginal = sa.getText();
  const { document } = await open('podidentity/worker.yaml');
  const original = document.getText();
  const d = await diagnosticOn(document, 'podidentity/binding-label', 'aadpodidbinding');
  await applyQuickFix(document, d, /^Migrate to workload identity \(client ID/);
  assertText(
    document,
    replaceOnce(original, 'aadpodidbinding: legacy-reader', 'azure.workload.identity/use: "true"'),
    'the Job after the migration',
  );
  assertText(
    sa,
    replaceOnce(
      saOriginal,
      '  namespace: legacy\n',
      '  namespace: legacy\n  annotations:\n    azure.workload.identity/client-id: "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"\n',
    ),
    'the ServiceAccount file after the migration',
  );
  await diagnosticsWhere(document.uri, (ds) => ds.length === 0, 'no findings left on the Job');
});

test('fix all (source.fixAll): every mechanical fix of the file in one edit, the rest left', async () => {
  const content = [
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    '  name: app',
    '  annotations:',
    '    azure.workload.identity/client-id: "6f1c2a4e-1234-4bcd-9ef0-0123456f9f01"',
    '---',
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: p',
    '  labels:',
    `    ${USE}: true # unquoted`,
    '  annotations:',
    '    azure.workload.identity/skip-containers: "a,b"',
    'spec:',
    '  serviceAccountName: app',
    '  containers:',
    '    - { name: a, image: x }',
    '    - { name: b, image: y }',
    '',
  ].join('\n');
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content });
  await vscode.window.showTextDocument(document);
  const all = new vscode.Range(0, 0, document.lineCount, 0);
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      all,
      vscode.CodeActionKind.SourceFixAll.value,
    )) ?? [];
  const ours = actions.filter((a) => a.kind?.value === 'source.fixAll.kwi');
  assert.equal(ours.length, 1, actions.map((a) => a.kind?.value).join());
  await applyAction(ours[0]);
  assertText(
    document,
    content
      .replace(`${USE}: true # unquoted`, `${USE}: "true" # unquoted`)
      .replace('skip-containers: "a,b"', 'skip-containers: "a;b"'),
    'after fix all',
  );
  await diagnosticsWhere(document.uri, (ds) => ds.length === 0, 'no findings left');
  // Nothing left to fix: no action.
  const again =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      all,
      'source.fixAll.kwi',
    )) ?? [];
  assert.equal(again.filter((a) => a.kind?.value === 'source.fixAll.kwi').length, 0);
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
});
