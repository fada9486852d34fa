// Comments cite public sources only: a reader of this repository cannot follow a note that points
// at a file outside it, at an issue number, or at a person. This test reads every source file and
// fails on such a citation, naming the file and line.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '../../../..');

const FORBIDDEN: [RegExp, string][] = [
  [/\b(?:FACTS|STYLE|DESIGN|HARNESS)\.md\b|\bFACTS\b|\.\.\/shared\//, 'a file outside the repository'],
  [/\bissues? #?\d+\b/i, 'an issue number'],
  [/\bengineers?\b/i, 'a person or role'],
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(?:ts|mjs|js)$/.test(entry.name)) out.push(full);
  }
  return out;
}

function citations(text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const [pattern, what] of FORBIDDEN) {
      if (pattern.test(line)) found.push(`${i + 1}: cites ${what}: ${line.trim()}`);
    }
  });
  return found;
}

test('the check recognises each kind of citation it forbids', () => {
  assert.equal(citations('// see FACTS.md, "Roles"').length, 1);
  assert.equal(citations('/* ../shared/HARNESS.md describes it */').length, 1);
  assert.equal(citations('// Realism knobs (issue 3)').length, 1);
  assert.equal(citations(' * owned by the Kubernetes engineer').length, 1);
  assert.deepEqual(citations('// Azure/azure-workload-identity pkg/webhook/consts.go\nconst HARNESS_TOKEN = 1;'), []);
});

for (const dir of ['src', 'scripts']) {
  test(`no file under ${dir}/ cites a private file, an issue number or a person`, () => {
    const found = sourceFiles(path.join(ROOT, dir)).flatMap((f) =>
      citations(readFileSync(f, 'utf8')).map((c) => `${path.relative(ROOT, f)}:${c}`),
    );
    assert.deepEqual(found, []);
  });
}
