import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { KwiTestApi } from '../../../src/vscode/testApi';
import { log } from './runner';

export const EXTENSION_ID = 'kwi-dev.workload-identity-k8s';

export async function kwi(): Promise<KwiTestApi> {
  const extension = vscode.extensions.getExtension<KwiTestApi | undefined>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  const api = extension.isActive ? extension.exports : await extension.activate();
  assert.ok(api, 'activate() returned no test API: is the extension running in ExtensionMode.Test?');
  return api;
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder open');
  return folder.uri;
}

export function fixture(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relativePath.split('/'));
}

export async function open(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixture(relativePath));
  return vscode.window.showTextDocument(document, { preview: false });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `probe` returns something other than undefined (diagnostics arrive asynchronously). */
export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(40);
  }
}

export function kwiDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'kwi');
}

export function ruleOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** Waits until the document's kwi diagnostics satisfy `accept` and returns them. */
export function diagnosticsWhere(
  uri: vscode.Uri,
  accept: (ds: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs?: number,
): Promise<vscode.Diagnostic[]> {
  return waitFor(
    () => {
      const ds = kwiDiagnostics(uri);
      return accept(ds) ? ds : undefined;
    },
    `${what} (have: ${describeDiagnostics(kwiDiagnostics(uri))})`,
    timeoutMs,
  );
}

export function describeDiagnostics(ds: readonly vscode.Diagnostic[]): string {
  return (
    ds
      .map(
        (d) =>
          `${ruleOf(d)}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`,
      )
      .join(', ') || 'none'
  );
}

export function rulesOf(ds: readonly vscode.Diagnostic[]): string[] {
  return ds.map(ruleOf).sort();
}

/** The text of a range, for asserting that a squiggle sits on the exact key or value. */
export function textAt(document: vscode.TextDocument, range: vscode.Range): string {
  return document.getText(range);
}

export async function codeLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
}

export async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      range,
      vscode.CodeActionKind.QuickFix.value,
    )) ?? [];
  return actions.filter((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value);
}

/** Applies a code action the way the lightbulb does: its edit, then its command. */
export async function applyAction(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `applyEdit failed for "${action.title}"`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

/** Puts every editor back as it was on disk (tests never save), so the next test starts clean. */
export async function resetWorkbench(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (!document.isDirty) continue;
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Sets a workspace setting for the duration of `body`. */
export async function withSetting<T>(section: string, key: string, value: unknown, body: () => Promise<T>): Promise<T> {
  const config = vscode.workspace.getConfiguration(section);
  const before = config.inspect(key)?.workspaceValue;
  await config.update(key, value, vscode.ConfigurationTarget.Workspace);
  try {
    return await body();
  } finally {
    await vscode.workspace.getConfiguration(section).update(key, before, vscode.ConfigurationTarget.Workspace);
  }
}

/**
 * Asks the harness for a screenshot of the workbench as it is now and waits until it is taken.
 * Only scripts/integration.mjs can take one (it drives the browser); under other launchers this
 * returns at once.
 */
export async function screenshot(name: string): Promise<void> {
  const control = process.env.KWI_TEST_CONTROL_DIR;
  if (!control) return;
  log(`KWI_SCREENSHOT ${name}`);
  await waitFor(() => (existsSync(join(control, `${name}.done`)) ? true : undefined), `screenshot ${name}`, 30_000);
}

/** Exact comparison of a whole document, failing with the first differing line for a readable report. */
export function assertText(document: vscode.TextDocument, expected: string, what: string): void {
  const actual = document.getText();
  if (actual === expected) return;
  const a = actual.split('\n');
  const e = expected.split('\n');
  let i = 0;
  while (i < a.length && i < e.length && a[i] === e[i]) i++;
  const show = (lines: string[]) =>
    lines
      .slice(Math.max(0, i - 2), i + 4)
      .map((l, k) => `      ${Math.max(0, i - 2) + k + 1}| ${l}`)
      .join('\n');
  assert.fail(`${what}: text differs at line ${i + 1}\n    actual:\n${show(a)}\n    expected:\n${show(e)}`);
}

/** `original` with exactly one occurrence of `from` replaced by `to` (fails if `from` is not unique). */
export function replaceOnce(original: string, from: string, to: string): string {
  const at = original.indexOf(from);
  assert.ok(at >= 0, `fixture text not found: ${JSON.stringify(from)}`);
  assert.equal(original.indexOf(from, at + 1), -1, `fixture text not unique: ${JSON.stringify(from)}`);
  return original.slice(0, at) + to + original.slice(at + from.length);
}

/** Finds the kwi diagnostic of `rule` on the line containing `lineText`. */
export async function diagnosticOn(
  document: vscode.TextDocument,
  rule: string,
  lineText: string,
): Promise<vscode.Diagnostic> {
  const line = document
    .getText()
    .split('\n')
    .findIndex((l) => l.includes(lineText));
  assert.ok(line >= 0, `no line contains ${JSON.stringify(lineText)}`);
  const ds = await diagnosticsWhere(
    document.uri,
    (all) => all.some((d) => ruleOf(d) === rule && d.range.start.line === line),
    `${rule} on line ${line + 1}`,
  );
  return ds.find((d) => ruleOf(d) === rule && d.range.start.line === line)!;
}

/** Applies the quick fix titled `title` offered for `diagnostic`, through VS Code's code action command. */
export async function applyQuickFix(
  document: vscode.TextDocument,
  diagnostic: vscode.Diagnostic,
  title: string | RegExp,
): Promise<void> {
  const actions = await quickFixes(document.uri, diagnostic.range);
  const action = actions.find((a) => (typeof title === 'string' ? a.title === title : title.test(a.title)));
  assert.ok(action, `no quick fix ${String(title)}; offered: ${actions.map((a) => a.title).join(' | ') || 'none'}`);
  const version = document.version;
  await applyAction(action);
  await waitFor(() => (document.version !== version ? true : undefined), `the edit of "${action.title}"`);
}

/** The display language this pass runs in (scripts/integration.mjs sets it per pass). */
export const expectedLanguage = process.env.KWI_EXPECT_LANGUAGE ?? 'en';

/** A runtime string as the extension's own bundle for the pass's language has it (English is the key itself). */
export async function bundled(key: string): Promise<string> {
  if (expectedLanguage === 'en') return key;
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  const bytes = await vscode.workspace.fs.readFile(
    vscode.Uri.joinPath(ext.extensionUri, 'l10n', `bundle.l10n.${expectedLanguage}.json`),
  );
  const value = (JSON.parse(new TextDecoder().decode(bytes)) as Record<string, string>)[key];
  assert.ok(value, `${key} in the ${expectedLanguage} bundle`);
  return value;
}

/** Sends one JSON request with a bearer token over the sandbox's TLS; resolves with the HTTP status. */
export async function sendJson(
  method: string,
  url: string,
  ca: string,
  token: string | undefined,
  body: object,
): Promise<number> {
  const { request } = await import('node:https');
  return new Promise<number>((resolve, reject) => {
    const req = request(
      url,
      { method, ca, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** POSTs a Kubernetes object to a sandbox cluster's API with that cluster's token; the HTTP status. */
export function kubePost(
  sandbox: { readonly origin: string; readonly caPem: string },
  cluster: { readonly guid: string; readonly clientToken?: string },
  path: string,
  body: object,
): Promise<number> {
  return sendJson('POST', `${sandbox.origin}/k8s/${cluster.guid}${path}`, sandbox.caPem, cluster.clientToken, body);
}
