// Runs in the second pass only: a workspace VS Code has not been told to trust (restricted mode).
// Analysis must work there; `capabilities.untrustedWorkspaces` is "limited", not "false".
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsWhere, EXTENSION_ID, kwi, open, rulesOf, waitFor } from './helpers';
import { log, test } from './runner';

test('[restricted] the workspace is untrusted, the extension is active and analysis works', async () => {
  assert.equal(vscode.workspace.isTrusted, false, 'this pass expects restricted mode');
  const editor = await open('app/deployment-unquoted.yaml');
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  await waitFor(() => (extension?.isActive ? true : undefined), 'activation in restricted mode');
  // The cold index also runs untrusted (it only reads files): the ServiceAccount in another file resolves.
  const indexed = await (await kwi()).whenIndexed();
  const ds = await diagnosticsWhere(editor.document.uri, (d) => d.length > 0, 'diagnostics in restricted mode');
  log(`    restricted mode: ${indexed} files indexed; diagnostics: ${rulesOf(ds).join(', ')}`);
  assert.deepEqual(rulesOf(ds), ['wi/use-label-not-true']);
});
