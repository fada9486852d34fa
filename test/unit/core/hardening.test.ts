import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../../src/core/analyzer';
import { applyTextEdits, fixAll } from '../../../src/core/fixAll';
import { LineIndex } from '../../../src/core/lineIndex';
import { analyzeWith, only, rules, sa } from './helpers';

/** Fix all until nothing changes, as `kwi lint --fix` does; returns the text and the passes that changed it. */
export function fixToFixpoint(uri: string, text: string, others: Record<string, string> = {}): { text: string; passes: number } {
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

const deployment = (labels: string, extra = ''): string => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n${labels}${extra}    spec:\n      serviceAccountName: web\n      containers: [{name: app, image: nginx}]\n`;

test('CR-only line endings: analysed with LSP positions, and fixes keep CR line endings', () => {
  const lf = deployment('        app: web\n        azure.workload.identity/use: true\n');
  const cr = lf.replace(/\n/g, '\r');
  const files = { 'sa.yaml': sa('web') };
  const lfResult = analyzeWith({ ...files, 'd.yaml': lf }, 'd.yaml');
  const crResult = analyzeWith({ ...files, 'd.yaml': cr }, 'd.yaml');
  assert.deepEqual(rules(crResult), ['wi/use-label-not-true']);
  assert.deepEqual(crResult.findings.map((f) => f.range), lfResult.findings.map((f) => f.range));
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
  assert.deepEqual([0, 1, 2, 3, 4].map((l) => [lines.lineStart(l), lines.lineEnd(l)]), [[0, 1], [2, 3], [5, 6], [7, 8], [9, 9]]);
});
