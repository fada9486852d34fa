// Wiring against whatever analyzer is built in: activation, providers registered, commands present.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeLenses, EXTENSION_ID, kwi, kwiDiagnostics, open, screenshot, waitFor } from './helpers';
import { log, test } from './runner';

test('activates on a YAML file and reports its activation time', async () => {
  await open('app/deployment-unquoted.yaml');
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  await waitFor(() => (extension?.isActive ? true : undefined), 'activation');
  const api = await kwi();
  const ms = await vscode.commands.executeCommand<number>('kwi.debug.activationTime');
  assert.equal(typeof ms, 'number');
  assert.equal(ms, api.activationMs);
  log(
    `    activation time: activate() ${ms.toFixed(1)} ms (target < 50 ms); bundle evaluation before it ${api.bundleLoadMs.toFixed(1)} ms`,
  );
  assert.ok(ms < 250, `activate() took ${ms} ms`);
  const indexed = await api.whenIndexed();
  log(`    cold index: ${indexed} workspace files read`);
  assert.ok(indexed > 5, `expected the fixture files to be indexed, got ${indexed}`);
});

test('screenshots: an editor with lenses and squiggles, the Problems panel, a quick fix menu', async () => {
  await (await kwi()).whenIndexed();
  const editor = await open('app/pods.yaml');
  const uri = editor.document.uri;
  await waitFor(() => (kwiDiagnostics(uri).length >= 9 ? true : undefined), 'the diagnostics of pods.yaml');
  const lenses = await codeLenses(uri);
  assert.equal(lenses.length, 5);
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  await vscode.window.showTextDocument(editor.document, { preserveFocus: false });
  await screenshot('editor-lenses-squiggles');
  await vscode.commands.executeCommand('workbench.action.closePanel');

  const misplaced = await open('app/deployment-label-misplaced.yaml');
  await waitFor(
    () => (kwiDiagnostics(misplaced.document.uri).length > 0 ? true : undefined),
    'the misplaced-label diagnostic',
  );
  const d = kwiDiagnostics(misplaced.document.uri)[0];
  misplaced.selection = new vscode.Selection(d.range.start, d.range.start);
  await vscode.commands.executeCommand('editor.action.quickFix');
  await screenshot('quick-fix-menu');
  await vscode.commands.executeCommand('hideCodeActionWidget');
});
