// Code lenses through vscode.executeCodeLensProvider, and their commands run the way a click does.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { assertText, codeLenses, diagnosticsWhere, kwi, open, replaceOnce, ruleOf, waitFor } from './helpers';
import { test } from './runner';

const titles = (lenses: vscode.CodeLens[]) => lenses.map((l) => `${l.range.start.line}: ${l.command?.title}`);

async function lensesOf(
  file: string,
  count: number,
): Promise<{ document: vscode.TextDocument; lenses: vscode.CodeLens[] }> {
  await (await kwi()).whenIndexed();
  const { document } = await open(file);
  const lenses = await waitFor(async () => {
    const ls = await codeLenses(document.uri);
    return ls.length >= count ? ls : undefined;
  }, `${count} lenses in ${file}`);
  return { document, lenses };
}

async function click(lens: vscode.CodeLens): Promise<unknown> {
  assert.ok(lens.command && lens.command.command, `lens "${lens.command?.title}" has no command`);
  return vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
}

test('code lenses: a ready Deployment shows its client ID; clicking it opens the ServiceAccount', async () => {
  const { lenses } = await lensesOf('app/deployment-ready.yaml', 1);
  assert.deepEqual(titles(lenses), ['11: Workload identity: ready (client 6f1c…9f01)']);
  const command = lenses[0].command!;
  // (The tooltip does not survive vscode.executeCodeLensProvider; the unit tests check it.)
  assert.equal(command.command, 'kwi.openLocation');
  await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
  const editor = vscode.window.activeTextEditor;
  assert.ok(editor, 'an editor is open');
  assert.ok(editor.document.uri.path.endsWith('/app/serviceaccounts.yaml'), editor.document.uri.toString());
  // The cursor is on the ServiceAccount's name (line 5, `  name: kv-reader`).
  assert.deepEqual([editor.selection.active.line, editor.selection.active.character], [4, 8]);
});

test('code lenses: every ServiceAccount of a file, and every pod template of a multi-document file', async () => {
  const sas = await lensesOf('app/serviceaccounts.yaml', 7);
  assert.deepEqual(titles(sas.lenses), [
    '1: Workload identity: client 6f1c…9f01',
    '12: ServiceAccount not annotated — Add client ID…',
    '18: Workload identity: client ID is not a GUID',
    '26: Workload identity: client ID is not a GUID',
    '35: ServiceAccount not annotated — Add client ID…',
    '43: Workload identity: client 6f1c…9f01',
    '53: Workload identity: client 0d9e…7f6a',
  ]);
  const pods = await lensesOf('app/pods.yaml', 5);
  assert.deepEqual(titles(pods.lenses), [
    '1: Workload identity: label value is not "true" — Fix value',
    '15: Workload identity: default ServiceAccount — Set serviceAccountName',
    '27: ServiceAccount not annotated — Add client ID…',
    "40: Workload identity: ServiceAccount 'batch-runner' not found in namespace app",
    // Two error findings in that pod: not "ready", the first named.
    '53: Workload identity: not ready — wi/token-expiration-invalid (+1 more)',
  ]);
  const list = await lensesOf('app/list.yaml', 2);
  assert.deepEqual(titles(list.lenses), [
    '4: Workload identity: client 1a2b…4c5d',
    '21: Workload identity: label missing — Add label',
  ]);
});

test('code lenses: "label missing — Add label" adds the label when clicked', async () => {
  const { document, lenses } = await lensesOf('app/deployment-label-missing.yaml', 1);
  const original = document.getText();
  assert.equal(lenses[0].command?.title, 'Workload identity: label missing — Add label');
  assert.equal(await click(lenses[0]), true);
  assertText(
    document,
    replaceOnce(
      original,
      '        app: no-label # keep this comment\n',
      '        app: no-label # keep this comment\n        azure.workload.identity/use: "true"\n',
    ),
    'after the lens',
  );
  await diagnosticsWhere(document.uri, (ds) => ds.length === 0, 'no findings left');
});

test('code lenses: "Add client ID…" prompts; validateInput rejects a display name; cancel changes nothing', async () => {
  const api = await kwi();
  const { document, lenses } = await lensesOf('app/serviceaccounts.yaml', 7);
  const original = document.getText();
  const lens = lenses.find((l) => l.range.start.line === 12)!;
  const prompts: vscode.InputBoxOptions[] = [];
  let restore = api.overrideUi({
    showInputBox: async (options) => {
      prompts.push(options);
      return undefined;
    },
  });
  try {
    assert.equal(await click(lens), false, 'cancelled: nothing applied');
  } finally {
    restore();
  }
  assert.equal(prompts.length, 1);
  assert.match(prompts[0].prompt ?? '', /Client ID/);
  const validate = prompts[0].validateInput!;
  assert.match(String(await validate('id-kv-reader')), /GUID/);
  assert.equal(await validate(' 6f1c2b7e-3d4a-4c5b-8e9f-0a1b2c3d9f01 '), undefined, 'surrounding spaces are forgiven');
  assertText(document, original, 'unchanged after cancel');

  const guid = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
  restore = api.overrideUi({ showInputBox: async () => guid });
  try {
    assert.equal(await click(lens), true);
  } finally {
    restore();
  }
  assertText(
    document,
    replaceOnce(
      original,
      '  name: plain\n  namespace: app\n',
      `  name: plain\n  namespace: app\n  annotations:\n    azure.workload.identity/client-id: "${guid}"\n`,
    ),
    'after answering the prompt',
  );
});

test('code lenses: the lens command takes the client ID as an argument (no prompt), and refuses a non-GUID', async () => {
  const api = await kwi();
  const { document, lenses } = await lensesOf('app/serviceaccounts.yaml', 7);
  const original = document.getText();
  const lens = lenses.find((l) => l.range.start.line === 35)!;
  const [uri, ref] = lens.command!.arguments as [string, unknown];
  const errors: string[] = [];
  const restore = api.overrideUi({
    showInputBox: async () => {
      throw new Error('must not prompt when a value is given');
    },
    showErrorMessage: async (message) => {
      errors.push(message);
      return undefined;
    },
  });
  try {
    assert.equal(await vscode.commands.executeCommand('kwi.applyFix', uri, ref, 'not-a-guid'), false);
    assert.equal(errors.length, 1);
    assertText(document, original, 'unchanged after a refused value');
    assert.equal(
      await vscode.commands.executeCommand('kwi.applyFix', uri, ref, '6F1C2B7E-3D4A-4C5B-8E9F-0A1B2C3D9F01'),
      true,
    );
  } finally {
    restore();
  }
  const text = document.getText();
  assert.match(text, /name: misspelled\n {2}namespace: app\n {2}annotations:\n/);
  assert.match(text, /azure\.workload\.identity\/client-id: "6F1C2B7E-3D4A-4C5B-8E9F-0A1B2C3D9F01"/i);
  assert.ok(
    text.includes(
      'azure.workload.identity/client_id: "6f1c2b7e-3d4a-4c5b-8e9f-0a1b2c3d9f01" # wi/unknown-key: client-id',
    ),
    'the misspelled key and its comment are untouched',
  );
  await diagnosticsWhere(
    document.uri,
    (ds) => ds.some((d) => ruleOf(d) === 'wi/unknown-key'),
    'unknown-key still reported',
  );
});

test('code lenses: kwi.codeLens.enabled false hides them', async () => {
  const { document } = await lensesOf('app/deployment-ready.yaml', 1);
  const config = vscode.workspace.getConfiguration('kwi');
  await config.update('codeLens.enabled', false, vscode.ConfigurationTarget.Workspace);
  try {
    await waitFor(async () => ((await codeLenses(document.uri)).length === 0 ? true : undefined), 'no lenses');
  } finally {
    await config.update('codeLens.enabled', undefined, vscode.ConfigurationTarget.Workspace);
  }
});
