// Shared by the provisioning integration tests: the extension's test APIs, tree labels, and a
// prompt seam that answers quick picks, input boxes and confirmations by their stable keys.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExplorerTestApi } from '../../../src/vscode/explorer/registerExplorer';
import type { ProvisionTestApi } from '../../../src/vscode/provision/registerProvisioning';
import type { ProvisionUi } from '../../../src/vscode/provision/provisionUi';
import type { Choice } from '../../../src/vscode/ui';
import { waitFor } from './helpers';
import { log } from './runner';

export async function apis(): Promise<{ explorer: ExplorerTestApi; provision: ProvisionTestApi }> {
  const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'workload-identity-k8s');
  assert.ok(ext, 'extension under development not found');
  await ext.activate();
  const explorer = await vscode.commands.executeCommand<ExplorerTestApi>('kwi.explorer.testApi');
  const provision = await vscode.commands.executeCommand<ProvisionTestApi>('kwi.provision.testApi');
  assert.ok(explorer && provision, 'test APIs missing (not in ExtensionMode.Test?)');
  return { explorer, provision };
}

export const labelOf = (item: vscode.TreeItem) =>
  typeof item.label === 'string' ? item.label : (item.label?.label ?? '');

export async function treeLabels(explorer: ExplorerTestApi, ...path: string[]): Promise<string[]> {
  let node: unknown;
  for (const label of path) {
    explorer.provider.refresh();
    const kids = (await explorer.provider.getChildren(node as never)) as unknown[];
    const labels = await Promise.all(kids.map(async (k) => labelOf(await explorer.provider.getTreeItem(k as never))));
    const i = labels.indexOf(label);
    assert.ok(i >= 0, `no ${label} among [${labels.join(', ')}]`);
    node = kids[i];
  }
  const kids = (await explorer.provider.getChildren(node as never)) as unknown[];
  return Promise.all(kids.map(async (k) => labelOf(await explorer.provider.getTreeItem(k as never))));
}

export type Answer = (items: readonly Choice<unknown>[]) => unknown;
export const byLabel =
  (re: RegExp): Answer =>
  (items) => {
    const hit = items.find((i) => re.test(i.label) && i.kind !== vscode.QuickPickItemKind.Separator);
    assert.ok(hit, `no item ${String(re)} among [${items.map((i) => i.label).join(', ')}]`);
    return hit.value;
  };

/** Answers prompts by their stable key; an unexpected prompt fails the test instead of hanging. */
/** For a flow that only picks: a confirmation or an error fails the test; info and warnings go to the log. */
export const pickOnly: Pick<ProvisionUi, 'confirm' | 'info' | 'warn' | 'error'> = {
  confirm: async (key) => assert.fail(`unexpected confirmation "${key}"`),
  info: (m) => log(`    info: ${m}`),
  warn: (m) => log(`    warning: ${m}`),
  error: (m) => assert.fail(`error shown: ${m}`),
};

export function answering(
  picks: Record<string, Answer>,
  inputs: Record<string, string>,
  confirms: Record<string, boolean>,
  asked: string[],
  confirmed: Array<{ key: string; message: string; detail: string }>,
): Partial<ProvisionUi> {
  return {
    pick: async (key, items) => {
      asked.push(`pick:${key}`);
      const answer = picks[key];
      assert.ok(answer, `unexpected quick pick "${key}"`);
      return answer(items as readonly Choice<unknown>[]) as never;
    },
    pickMany: async (key, items) => {
      asked.push(`pickMany:${key}`);
      const answer = picks[key];
      assert.ok(answer, `unexpected quick pick "${key}"`);
      return answer(items as readonly Choice<unknown>[]) as never;
    },
    input: async (key, options) => {
      asked.push(`input:${key}`);
      const value = inputs[key];
      assert.ok(value !== undefined, `unexpected input box "${key}"`);
      const problem = options.validate?.(value);
      assert.equal(problem, undefined, `input "${key}" refused: ${problem}`);
      return value;
    },
    confirm: async (key, message, detail) => {
      asked.push(`confirm:${key}`);
      confirmed.push({ key, message, detail });
      assert.ok(key in confirms, `unexpected confirmation "${key}": ${message}`);
      return confirms[key];
    },
    info: (m) => log(`    info: ${m}`),
    warn: (m) => log(`    warning: ${m}`),
    error: (m) => assert.fail(`error shown: ${m}`),
  };
}

export async function previewShown(provision: ProvisionTestApi, after: string): Promise<string> {
  return waitFor(
    () => {
      const { html } = provision.preview();
      return html && html !== after && html.includes('data-decision="apply"') ? html : undefined;
    },
    'the plan preview',
    60_000,
  );
}

export const verdicts = (html: string) =>
  Object.fromEntries([...html.matchAll(/data-step="([^"]+)" data-verdict="([^"]+)"/g)].map((m) => [m[1], m[2]]));
