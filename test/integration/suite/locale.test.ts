// The display language reaches this extension: run with KWI_LOCALE=ko (scripts/integration.mjs
// installs a local language pack), VS Code reports `ko`, and the tree, the lens and the quick-fix
// titles come from the Korean tables. In the default run the same test holds for English, so the
// expectation is always computed from the tables, never from a copy of their text.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { message, type Locale } from '../../../src/core/messages';
import { explorer, item, labelOf, path, SUB } from './explorerTree';
import {
  codeLenses,
  diagnosticsWhere,
  kwi,
  open,
  quickFixes,
  ruleOf,
  screenshot,
  waitFor,
  bundled,
  expectedLanguage,
} from './helpers';
import { test } from './runner';

const expected = expectedLanguage as Locale;

test('locale: VS Code reports the display language, and the tree, a lens and a quick fix speak it (screenshots)', async () => {
  assert.equal(vscode.env.language, expected);
  await (await kwi()).whenIndexed();

  const pod = await open('tutorial/pod.yaml');
  const ready = message(expected, 'lens.ready', '9a3e…5c6d');
  const titles4 = await waitFor(async () => {
    const t = (await codeLenses(pod.document.uri))
      .filter((l) => l.range.start.line === 4)
      .map((l) => l.command?.title ?? '');
    return t.includes(ready) ? t : undefined;
  }, `the pod lens "${ready}"`);
  assert.ok(titles4.includes(ready), titles4.join(' | '));

  const pods = await open('app/pods.yaml');
  const ds = await diagnosticsWhere(
    pods.document.uri,
    (all) => all.some((x) => ruleOf(x) === 'wi/service-account-default'),
    'service-account-default',
  );
  const d = ds.find((x) => ruleOf(x) === 'wi/service-account-default')!;
  const titles = (await quickFixes(pods.document.uri, d.range)).map((a) => a.title);
  assert.ok(titles.includes(message(expected, 'fix.setServiceAccount', 'kv-reader')), titles.join(' | '));

  const clustersLabel = await bundled('AKS clusters');
  const a = await explorer();
  await vscode.commands.executeCommand('kwi.explorer.focus');
  const clusters = await path(SUB, clustersLabel);
  assert.equal(labelOf(await item(clusters)), clustersLabel);
  await a.view.reveal(clusters, { expand: true, select: false, focus: false });
  await a.view.reveal(await path(SUB, clustersLabel, 'aks-wi-demo'), { expand: true, select: true, focus: false });

  const editor = await open('app/pods.yaml');
  editor.selection = new vscode.Selection(d.range.start, d.range.start);
  editor.revealRange(d.range, vscode.TextEditorRevealType.InCenter);
  await vscode.commands.executeCommand('editor.action.quickFix');
  await new Promise((r) => setTimeout(r, 1000));
  await screenshot('locale-tree-lens-quickfix');
}, 60_000);
