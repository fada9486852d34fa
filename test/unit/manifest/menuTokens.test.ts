// Tree menus are matched on tokens (`viewItem =~ /;token;/`): every token package.json asks for
// must be one the explorer's single list (contextValues.ts) can set, or that menu item never shows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ContextValues, contextValueOf, NodeKinds, type NodeActions } from '../../../src/vscode/explorer/contextValues';

const ROOT = path.resolve(__dirname, '../../../..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { menus: Record<string, Array<{ command: string; when?: string }>> };
};

test('every view/item/context menu matches a token of ContextValues', () => {
  const items = manifest.contributes.menus['view/item/context'] ?? [];
  const tokens = items.map((m) => /viewItem =~ \/;(\w+);\//.exec(m.when ?? '')?.[1]);
  assert.ok(tokens.length > 10, 'menus found');
  const known = new Set<string>([...Object.values(ContextValues), ...NodeKinds]);
  assert.deepEqual(
    tokens.filter((t) => t === undefined || !known.has(t)),
    [],
    'menu tokens that no node sets',
  );
});

test('a token is set exactly when its action has something to do', () => {
  const node = (over: Partial<NodeActions>): NodeActions => ({
    copyValue: () => undefined,
    portalLink: () => undefined,
    revealTarget: () => undefined,
    refreshable: false,
    retryable: false,
    deletable: false,
    tenantSignIn: false,
    ...over,
  });
  // A cluster without issuer: no copyIssuer; without portal: no portal.
  assert.equal(contextValueOf(node({ refreshable: true }), 'cluster'), ';cluster;refresh;');
  assert.equal(
    contextValueOf(
      node({ copyValue: (k) => (k === 'issuer' ? 'https://i/' : undefined), portalLink: () => 'https://portal' }),
      'cluster',
    ),
    ';cluster;copyIssuer;portal;',
  );
  assert.equal(
    contextValueOf(node({ revealTarget: () => ({}) }), 'credential', 'warning', false),
    ';credential;reveal;warning;',
  );
});
