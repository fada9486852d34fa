// Walking the explorer's tree in tests: through the extension's real TreeDataProvider, by label.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExplorerTestApi } from '../../../src/vscode/explorer/registerExplorer';

export type Node = object;

let cached: ExplorerTestApi | undefined;
export async function explorer(): Promise<ExplorerTestApi> {
  if (cached) return cached;
  const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'workload-identity-k8s');
  assert.ok(ext, 'extension under development not found');
  await ext.activate();
  cached = await vscode.commands.executeCommand<ExplorerTestApi>('kwi.explorer.testApi');
  assert.ok(cached, 'kwi.explorer.testApi returned nothing (not in ExtensionMode.Test?)');
  return cached;
}

export const labelOf = (item: vscode.TreeItem) =>
  typeof item.label === 'string' ? item.label : (item.label?.label ?? '');

export async function kids(node?: Node): Promise<Node[]> {
  const a = await explorer();
  return (await a.provider.getChildren(node as never)) as Node[];
}

export async function item(node: Node): Promise<vscode.TreeItem> {
  return (await explorer()).provider.getTreeItem(node as never);
}

export async function child(parent: Node | undefined, label: string | RegExp): Promise<Node> {
  const list = await kids(parent);
  const labels: string[] = [];
  for (const n of list) {
    const l = labelOf(await item(n));
    labels.push(l);
    if (typeof label === 'string' ? l === label : label.test(l)) return n;
  }
  throw new Error(`no child ${String(label)} among [${labels.join(', ')}]`);
}

export async function path(...labels: Array<string | RegExp>): Promise<Node> {
  let node: Node | undefined;
  for (const l of labels) node = await child(node, l);
  return node!;
}

export async function expand(node: Node): Promise<void> {
  const a = await explorer();
  await a.view.reveal(node, { expand: true, select: false, focus: false });
}

export const SUB = 'Sandbox subscription';
export const tooltipText = (i: vscode.TreeItem) =>
  ((i.tooltip as vscode.MarkdownString | undefined)?.value ?? '')
    .replace(/&nbsp;/g, ' ')
    .replace(/\\([\\`*_{}[\]()#+\-.!<>|])/g, '$1');
