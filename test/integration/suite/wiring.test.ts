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
  log(`    activation time: ${ms.toFixed(1)} ms (target < 50 ms)`);
  const indexed = await api.whenIndexed();
  log(`    cold index: ${indexed} workspace files read`);
  assert.ok(indexed > 5, `expected the fixture files to be indexed, got ${indexed}`);
});

test('diagnostics, lenses and a screenshot of them', async () => {
  const editor = await open('app/deployment-unquoted.yaml');
  const uri = editor.document.uri;
  await waitFor(() => (kwiDiagnostics(uri).length > 0 ? true : undefined), 'diagnostics');
  const lenses = await codeLenses(uri);
  log(`    lenses: ${lenses.map((l) => l.command?.title).join(' | ')}`);
  await screenshot('editor-lenses-squiggles');
  assert.ok(lenses.length > 0);
});
