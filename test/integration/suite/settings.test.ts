// kwi.rules turns rules off or changes their severity, live, for open documents.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsWhere, fixture, kwi, kwiDiagnostics, open, ruleOf, withSetting } from './helpers';
import { test } from './runner';

const RULE = 'wi/use-label-not-true';
const has = (ds: vscode.Diagnostic[]) => ds.some((d) => ruleOf(d) === RULE);

test('settings: kwi.rules "off" removes a rule\'s diagnostics, and they return when the setting goes', async () => {
  const { document } = await open('app/deployment-unquoted.yaml');
  await diagnosticsWhere(document.uri, has, `${RULE} before the setting`);
  await withSetting('kwi', 'rules', { [RULE]: 'off' }, async () => {
    await diagnosticsWhere(document.uri, (ds) => !has(ds), `${RULE} gone with "off"`);
  });
  await diagnosticsWhere(document.uri, has, `${RULE} back after the setting is removed`);
});

test("settings: kwi.rules changes a rule's severity", async () => {
  const { document } = await open('app/deployment-unquoted.yaml');
  const before = await diagnosticsWhere(document.uri, has, RULE);
  assert.equal(before.find((d) => ruleOf(d) === RULE)?.severity, vscode.DiagnosticSeverity.Error);
  await withSetting('kwi', 'rules', { [RULE]: 'info' }, async () => {
    await diagnosticsWhere(
      document.uri,
      (ds) => ds.some((d) => ruleOf(d) === RULE && d.severity === vscode.DiagnosticSeverity.Information),
      `${RULE} as information`,
    );
  });
});

test('settings: kwi.diagnostics.scope "workspace" reports files that were never opened, and stops when set back', async () => {
  await (await kwi()).whenIndexed();
  const neverOpened = fixture('app/wrong-kind.yaml');
  assert.ok(
    !vscode.workspace.textDocuments.some((d) => d.uri.toString() === neverOpened.toString()),
    'the file must not be open',
  );
  assert.deepEqual(kwiDiagnostics(neverOpened), []);
  await withSetting('kwi', 'diagnostics.scope', 'workspace', async () => {
    const ds = await diagnosticsWhere(neverOpened, (all) => all.length === 2, 'diagnostics of a closed file', 10_000);
    assert.deepEqual(ds.map(ruleOf), ['wi/client-id-wrong-kind', 'wi/client-id-wrong-kind']);
    // Cross-file results of closed files follow index changes too (after a short batching delay).
    const pods = fixture('app/pods.yaml');
    await diagnosticsWhere(
      pods,
      (all) => all.some((d) => ruleOf(d) === 'wi/service-account-not-found'),
      'pods.yaml (closed) reports not-found',
      10_000,
    );
    const created = fixture('app/batch-runner-sa.yaml');
    await vscode.workspace.fs.writeFile(
      created,
      new TextEncoder().encode(
        'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: batch-runner\n  namespace: app\n  annotations:\n    azure.workload.identity/client-id: "0d9e8f7a-6b5c-4d3e-9f2a-1b0c9d8e7f6a"\n',
      ),
    );
    try {
      await diagnosticsWhere(
        pods,
        (all) => !all.some((d) => ruleOf(d) === 'wi/service-account-not-found'),
        'closed pods.yaml re-analyzed after the new ServiceAccount',
        10_000,
      );
    } finally {
      await vscode.workspace.fs.delete(created);
    }
  });
  await diagnosticsWhere(
    neverOpened,
    (all) => all.length === 0,
    'closed file cleared when the scope goes back to openFiles',
  );
});
