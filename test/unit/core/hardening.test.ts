import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../../src/core/analyzer';
import { applyTextEdits, fixAll } from '../../../src/core/fixAll';
import { LineIndex } from '../../../src/core/lineIndex';
import { analyzeWith, only, rules, sa } from './helpers';

/** Fix all until nothing changes, as `kwi lint --fix` does; returns the text and the passes that changed it. */
export function fixToFixpoint(
  uri: string,
  text: string,
  others: Record<string, string> = {},
): { text: string; passes: number } {
  const a = new Analyzer();
  for (const [u, t] of Object.entries(others)) a.indexFile(u, t);
  let current = text;
  let passes = 0;
  for (let i = 0; i < 5; i++) {
    const { edits } = fixAll(a.analyze(uri, current).findings);
    const next = applyTextEdits(current, edits);
    if (next === current) break;
    current = next;
    passes++;
  }
  return { text: current, passes };
}

const deployment = (labels: string, extra = ''): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n${labels}${extra}    spec:\n      serviceAccountName: web\n      containers: [{name: app, image: nginx}]\n`;

test('CR-only line endings: analysed with LSP positions, and fixes keep CR line endings', () => {
  const lf = deployment('        app: web\n        azure.workload.identity/use: true\n');
  const cr = lf.replace(/\n/g, '\r');
  const files = { 'sa.yaml': sa('web') };
  const lfResult = analyzeWith({ ...files, 'd.yaml': lf }, 'd.yaml');
  const crResult = analyzeWith({ ...files, 'd.yaml': cr }, 'd.yaml');
  assert.deepEqual(rules(crResult), ['wi/use-label-not-true']);
  assert.deepEqual(
    crResult.findings.map((f) => f.range),
    lfResult.findings.map((f) => f.range),
  );
  assert.equal(crResult.findings[0].range.start.line, 12);
  assert.equal(fixToFixpoint('d.yaml', cr, files).text, fixToFixpoint('d.yaml', lf, files).text.replace(/\n/g, '\r'));

  // An insertion of a new line (the missing label) uses CR too.
  const missingLf = deployment('        app: web\n');
  const missingCr = missingLf.replace(/\n/g, '\r');
  assert.deepEqual(rules(analyzeWith({ ...files, 'd.yaml': missingCr }, 'd.yaml')), ['wi/use-label-missing']);
  const fixed = fixToFixpoint('d.yaml', missingCr, files).text;
  assert.ok(!fixed.includes('\n'), 'no LF introduced');
  assert.equal(fixed, fixToFixpoint('d.yaml', missingLf, files).text.replace(/\n/g, '\r'));

  // A ServiceAccount in a CR-only file is indexed (cross-file) like any other.
  const saCr = sa('web').replace(/\n/g, '\r');
  assert.deepEqual(rules(analyzeWith({ 'sa.yaml': saCr, 'd.yaml': missingLf }, 'd.yaml')), ['wi/use-label-missing']);

  const lines = new LineIndex('a\rb\r\nc\nd\r');
  assert.equal(lines.lineCount, 5);
  assert.deepEqual(
    [0, 1, 2, 3, 4].map((l) => [lines.lineStart(l), lines.lineEnd(l)]),
    [
      [0, 1],
      [2, 3],
      [5, 6],
      [7, 8],
      [9, 9],
    ],
  );
});

const workload = (body: string): string => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n${body}`;
const podSpec = '    spec:\n      serviceAccountName: web\n      containers: [{name: app, image: nginx}]\n';
const saFiles = { 'sa.yaml': sa('web') };

test('no fix through an alias into the selector: template labels `*labels` reuse spec.selector.matchLabels', () => {
  const text = workload(
    `spec:\n  selector:\n    matchLabels: &labels\n      app: web # the selector\n  template:\n    metadata:\n      labels: *labels\n${podSpec}`,
  );
  const r = analyzeWith({ ...saFiles, 'd.yaml': text }, 'd.yaml');
  const [f] = only(r, 'wi/use-label-missing');
  assert.ok(f, 'still reported');
  assert.deepEqual(f.fixes, [], 'adding the label would add it to the immutable selector');
  assert.match(f.noFix ?? '', /anchored node &labels, which an alias \*labels reuses/);
  assert.ok(f.message.endsWith(f.noFix ?? '?'), 'the message says why');
  assert.equal(fixToFixpoint('d.yaml', text, saFiles).passes, 0);
  const lens = r.lenses.find((l) => l.kind === 'podTemplate');
  assert.equal(lens?.fix, undefined, 'the lens offers no fix either');
  assert.match(lens?.tooltip ?? '', /No automatic fix/);
  // Korean too.
  const ko = only(analyzeWith({ ...saFiles, 'd.yaml': text }, 'd.yaml', { locale: 'ko' }), 'wi/use-label-missing')[0];
  assert.match(ko.noFix ?? '', /자동 수정 없음/);
});

test('no fix through `use: *t`: the anchored value elsewhere is left alone', () => {
  const text = workload(
    `  annotations:\n    note: &t true\nspec:\n  template:\n    metadata:\n      labels:\n        azure.workload.identity/use: *t\n${podSpec}`,
  );
  const [f] = only(analyzeWith({ ...saFiles, 'd.yaml': text }, 'd.yaml'), 'wi/use-label-not-true');
  assert.ok(f);
  assert.deepEqual(f.fixes, []);
  assert.match(f.noFix ?? '', /&t/);
  assert.equal(fixToFixpoint('d.yaml', text, saFiles).text, text);
});

test('no fix for a tagged value: `!!bool "true"` would still be a boolean', () => {
  const text = workload(
    `spec:\n  template:\n    metadata:\n      labels:\n        azure.workload.identity/use: !!bool true\n${podSpec}`,
  );
  const [f] = only(analyzeWith({ ...saFiles, 'd.yaml': text }, 'd.yaml'), 'wi/use-label-not-true');
  assert.ok(f);
  assert.deepEqual(f.fixes, []);
  assert.match(f.noFix ?? '', /explicit tag !!bool/);
  assert.equal(fixToFixpoint('d.yaml', text, saFiles).passes, 0);
  // `!!str true` is the string "true": nothing to report.
  const str = text.replace('!!bool true', '!!str true');
  assert.deepEqual(rules(analyzeWith({ ...saFiles, 'd.yaml': str }, 'd.yaml')), []);
});

test('anchors nobody reuses, and aliases whose anchor the fix does not touch, keep their fixes', () => {
  const lonely = workload(`spec:\n  template:\n    metadata:\n      labels: &l\n        app: web\n${podSpec}`);
  const [f] = only(analyzeWith({ ...saFiles, 'd.yaml': lonely }, 'd.yaml'), 'wi/use-label-missing');
  assert.equal(f.fixes.length, 1);
  assert.equal(f.noFix, undefined);
  const elsewhere = workload(
    `spec:\n  selector:\n    matchLabels: &sel\n      app: web\n  template:\n    metadata:\n      annotations:\n        copy: *sel\n      labels:\n        app: web\n        azure.workload.identity/use: true\n${podSpec}`,
  );
  const fixed = fixToFixpoint('d.yaml', elsewhere, saFiles).text;
  assert.match(fixed, /azure\.workload\.identity\/use: "true"/);
  assert.deepEqual(rules(analyzeWith({ ...saFiles, 'd.yaml': fixed }, 'd.yaml')), []);
});

test('merge keys: a label brought in by `<<: *anchor` is present (kubectl honours merge keys)', () => {
  const merged = workload(
    `spec:\n  selector:\n    matchLabels: &sel\n      app: web\n      azure.workload.identity/use: "true"\n  template:\n    metadata:\n      labels:\n        <<: *sel\n        tier: front\n${podSpec}`,
  );
  assert.deepEqual(rules(analyzeWith({ ...saFiles, 'd.yaml': merged }, 'd.yaml')), []);
  const list = workload(
    `x-common: &a {tier: front}\nx-wi: &b {azure.workload.identity/use: "true"}\nspec:\n  template:\n    metadata:\n      labels: {<<: [*a, *b], app: web}\n${podSpec}`,
  );
  assert.deepEqual(rules(analyzeWith({ ...saFiles, 'd.yaml': list }, 'd.yaml')), []);
  const inline = workload(
    `spec:\n  template:\n    metadata:\n      labels:\n        <<: {azure.workload.identity/use: "true"}\n${podSpec}`,
  );
  assert.deepEqual(rules(analyzeWith({ ...saFiles, 'd.yaml': inline }, 'd.yaml')), []);
  // The map's own key wins over a merged one, both ways.
  const override = workload(
    `x-bad: &bad {azure.workload.identity/use: "false"}\nspec:\n  template:\n    metadata:\n      labels:\n        azure.workload.identity/use: "true"\n        <<: *bad\n${podSpec}`,
  );
  assert.deepEqual(rules(analyzeWith({ ...saFiles, 'd.yaml': override }, 'd.yaml')), []);
  const wrong = workload(
    `x-wi: &wi {azure.workload.identity/use: true}\nspec:\n  template:\n    metadata:\n      labels:\n        <<: *wi\n${podSpec}`,
  );
  const [f] = only(analyzeWith({ ...saFiles, 'd.yaml': wrong }, 'd.yaml'), 'wi/use-label-not-true');
  assert.ok(f, 'a wrong merged value is still wrong');
  assert.deepEqual(f.fixes, [], 'and its fix would edit the anchor');
  // A quoted '<<' is an ordinary key.
  const quotedKey = workload(
    `x: &wi {azure.workload.identity/use: "true"}\nspec:\n  template:\n    metadata:\n      labels:\n        "<<": *wi\n${podSpec}`,
  );
  assert.deepEqual(rules(analyzeWith({ ...saFiles, 'd.yaml': quotedKey }, 'd.yaml')), ['wi/use-label-missing']);
});
