// kwi.rules turns rules off or changes their severity, live, for open documents.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsWhere, open, ruleOf, withSetting } from './helpers';
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

test('settings: kwi.rules changes a rule\'s severity', async () => {
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
