// The cross-file index follows files created, changed and deleted on disk (FileSystemWatcher),
// and edits in open editors, and re-analyzes the open documents that depend on them.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsWhere, fixture, kwi, open, ruleOf } from './helpers';
import { log, test } from './runner';

const NOT_FOUND = 'wi/service-account-not-found';
const NOT_ANNOTATED = 'wi/service-account-not-annotated';
const batchLine = (document: vscode.TextDocument) =>
  document
    .getText()
    .split('\n')
    .findIndex((l) => l.includes('serviceAccountName: batch-runner'));

test("cross-file: a ServiceAccount created on disk resolves a pod's reference, and deleting it brings the finding back", async () => {
  await (await kwi()).whenIndexed();
  const { document } = await open('app/pods.yaml');
  const line = batchLine(document);
  const onBatch = (ds: vscode.Diagnostic[]) => ds.filter((d) => d.range.start.line === line).map(ruleOf);
  await diagnosticsWhere(document.uri, (ds) => onBatch(ds).includes(NOT_FOUND), `${NOT_FOUND} on batch-runner`);

  const created = fixture('app/batch-runner-sa.yaml');
  const text =
    'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: batch-runner\n  namespace: app\n  annotations:\n    azure.workload.identity/client-id: "0d9e8f7a-6b5c-4d3e-9f2a-1b0c9d8e7f6a"\n';
  const started = Date.now();
  await vscode.workspace.fs.writeFile(created, new TextEncoder().encode(text));
  try {
    await diagnosticsWhere(
      document.uri,
      (ds) => !onBatch(ds).includes(NOT_FOUND),
      `${NOT_FOUND} resolved by the new file`,
      10_000,
    );
    log(`    new ServiceAccount file picked up by the watcher in ${Date.now() - started} ms`);
  } finally {
    await vscode.workspace.fs.delete(created);
  }
  await diagnosticsWhere(
    document.uri,
    (ds) => onBatch(ds).includes(NOT_FOUND),
    `${NOT_FOUND} back after deleting the file`,
    10_000,
  );
});

test('cross-file: annotating a ServiceAccount in one editor updates the pod in another at once', async () => {
  const pods = (await open('app/pods.yaml')).document;
  const plainLine = pods
    .getText()
    .split('\n')
    .findIndex((l) => l.includes('serviceAccountName: plain'));
  const onPlain = (ds: vscode.Diagnostic[]) => ds.filter((d) => d.range.start.line === plainLine).map(ruleOf);
  await diagnosticsWhere(pods.uri, (ds) => onPlain(ds).includes(NOT_ANNOTATED), `${NOT_ANNOTATED} on plain`);

  const sas = await vscode.workspace.openTextDocument(fixture('app/serviceaccounts.yaml'));
  const at = sas.getText().indexOf('  name: plain\n  namespace: app\n');
  assert.ok(at >= 0);
  const insertAt = sas.positionAt(at + '  name: plain\n  namespace: app\n'.length);
  const edit = new vscode.WorkspaceEdit();
  edit.insert(
    sas.uri,
    insertAt,
    '  annotations:\n    azure.workload.identity/client-id: "11111111-2222-4333-8444-555555555555"\n',
  );
  const started = Date.now();
  assert.ok(await vscode.workspace.applyEdit(edit));
  await diagnosticsWhere(
    pods.uri,
    (ds) => !onPlain(ds).includes(NOT_ANNOTATED),
    `${NOT_ANNOTATED} gone after annotating in the other file`,
  );
  log(`    dependent document re-analyzed ${Date.now() - started} ms after the edit`);
});
