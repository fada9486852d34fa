/**
 * Property tests over the inputs that once hung the linter or made `--fix` damage a file: nested
 * globs, huge policies, aliases into the selector, tags, merge keys, CR-only files, invalid UTF-8.
 * Each document has a time guard with a wide margin (a guard, not a benchmark).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { readSource } from '../../../src/cli/lintFiles';
import { Analyzer } from '../../../src/core/analyzer';
import type { DocumentAnalysis } from '../../../src/core/analyzer';
import { applyTextEdits, fixAll } from '../../../src/core/fixAll';
import { CLIENT } from './helpers';

/** Per document: the slowest of these runs in milliseconds on a loaded machine. */
const GUARD_MS = 3000;

function timedAnalysis(files: Record<string, string>, target: string): DocumentAnalysis {
  const errors: unknown[] = [];
  const a = new Analyzer({ onError: (e) => errors.push(e) });
  const started = performance.now();
  for (const [uri, text] of Object.entries(files)) a.indexFile(uri, text);
  const r = a.analyze(target, files[target]);
  const ms = performance.now() - started;
  if (errors.length) throw errors[0];
  assert.ok(ms < GUARD_MS, `${ms.toFixed(0)} ms for ${files[target].length} characters`);
  return r;
}

const policy = (subjects: string[]): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/oidc.example/id/X' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringLike: { 'oidc.example/id/X:sub': subjects } },
      },
    ],
  });
const saDoc = (ns: string, name: string): string =>
  `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: "${name}"\n  namespace: "${ns}"\n`;

test('fuzz: nested globs against long namespaces and names', () => {
  const glob = fc.array(fc.constantFrom('a', 'b', '*', '?', '**', '*a*'), { maxLength: 40 }).map((p) => p.join(''));
  const word = fc.array(fc.constantFrom('a', 'b'), { minLength: 1, maxLength: 63 }).map((p) => p.join(''));
  fc.assert(
    fc.property(
      fc.array(fc.tuple(glob, glob), { minLength: 1, maxLength: 20 }),
      fc.array(fc.tuple(word, word), { maxLength: 30 }),
      (subjects, sas) => {
        const files: Record<string, string> = {
          'p.json': policy(subjects.map(([n, s]) => `system:serviceaccount:${n || '*'}:${s || '*'}`)),
        };
        files['sa.yaml'] = sas.map(([n, s]) => saDoc(n, s)).join('---\n');
        timedAnalysis(files, 'p.json');
      },
    ),
    { numRuns: 150 },
  );
});

test('fuzz: huge policies (up to 20,000 subjects, exact and wildcard)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 20_000 }),
      fc.integer({ min: 0, max: 100 }),
      fc.nat(),
      (count, wildPercent, seed) => {
        const subjects: string[] = [];
        for (let i = 0; i < count; i++) {
          const wild = (i * 37 + seed) % 100 < wildPercent;
          subjects.push(
            wild ? `system:serviceaccount:ns-${i % 50}*:*-${i}` : `system:serviceaccount:ns-${i % 50}:sa-${i}`,
          );
        }
        const sas = Array.from({ length: 300 }, (_, i) => saDoc(`ns-${i % 50}`, `sa-${i}`)).join('---\n');
        timedAnalysis({ 'sa.yaml': sas, 'p.json': policy(subjects) }, 'p.json');
      },
    ),
    { numRuns: 12 },
  );
});

/** A Deployment with its labels and use value written one of many ways. */
const manifest = fc
  .record({
    labels: fc.constantFrom('alias-selector', 'merge-selector', 'merge-list', 'plain', 'flow', 'missing'),
    use: fc.constantFrom('true', '"true"', '!!bool true', '!!str true', '*t', 'yes', "'false'", '&u true'),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    comment: fc.boolean(),
  })
  .map(({ labels, use, eol, comment }) => {
    const c = comment ? ' # note' : '';
    const useLine = `azure.workload.identity/use: ${use}`;
    const labelBlock: Record<string, string> = {
      'alias-selector': '      labels: *sel\n',
      'merge-selector': '      labels:\n        <<: *sel\n        tier: front\n',
      'merge-list': `      labels:\n        <<: [*sel, {${useLine}}]\n`,
      plain: `      labels:\n        app: web${c}\n        ${useLine}\n`,
      flow: `      labels: {app: web, ${useLine}}\n`,
      missing: '      labels:\n        app: web\n',
    };
    const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    note: &t true\nspec:\n  selector:\n    matchLabels: &sel\n      app: web${c}\n${labels === 'alias-selector' || labels === 'merge-selector' ? `      ${useLine}\n` : ''}  template:\n    metadata:\n${labelBlock[labels]}    spec:\n      serviceAccountName: web\n      containers: [{name: app, image: nginx}]\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  annotations:\n    azure.workload.identity/client-id: "${CLIENT}"\n`;
    return { text: text.replace(/\n/g, eol), eol };
  });

test('fuzz: aliases into the selector, tags, merge keys, CR-only and CRLF: fix-all converges and never edits the selector', () => {
  fc.assert(
    fc.property(manifest, ({ text, eol }) => {
      const a = new Analyzer();
      let current = text;
      const selector = (t: string): string => t.slice(t.indexOf('matchLabels'), t.indexOf('template:'));
      const before = selector(text);
      let passes = 0;
      for (; passes < 5; passes++) {
        const started = performance.now();
        const r = a.analyze('d.yaml', current);
        assert.ok(performance.now() - started < GUARD_MS);
        for (const f of r.findings) if (f.noFix) assert.equal(f.fixes.length, 0);
        const { edits } = fixAll(r.findings);
        const next = applyTextEdits(current, edits);
        if (next === current) break;
        current = next;
      }
      assert.ok(passes <= 3, 'converges');
      assert.equal(selector(current), before, 'the (immutable) selector is never edited');
      if (eol === '\r') assert.ok(!current.includes('\n'), 'CR line endings kept');
      if (eol === '\r\n') assert.ok(!/[^\r]\n/.test(current), 'CRLF line endings kept');
      // The final text has nothing left that fix-all would change.
      assert.equal(applyTextEdits(current, fixAll(a.analyze('d.yaml', current).findings).edits), current);
    }),
    { numRuns: 300 },
  );
});

test('fuzz: CR-only files are analysed like their LF twins', () => {
  fc.assert(
    fc.property(manifest, ({ text, eol }) => {
      if (eol !== '\r') return;
      const lf = text.replace(/\r/g, '\n');
      const a = new Analyzer();
      const b = new Analyzer();
      const strip = (r: DocumentAnalysis): unknown => r.findings.map((f) => [f.rule, f.range, f.fixes.length]);
      assert.deepEqual(strip(a.analyze('d.yaml', text)), strip(b.analyze('d.yaml', lf)));
    }),
    { numRuns: 200 },
  );
});

test('fuzz: invalid UTF-8 bytes are detected exactly, and the lenient text still analyses', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kwi-utf8-fuzz-'));
  try {
    const file = path.join(dir, 'x.yaml');
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), fc.boolean(), async (noise, prefixManifest) => {
        const head = prefixManifest
          ? Buffer.from(`apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    azure.workload.identity/use: true\n# `)
          : Buffer.alloc(0);
        const bytes = Buffer.concat([head, Buffer.from(noise)]);
        writeFileSync(file, bytes);
        const r = await readSource(file);
        assert.equal(r.kind, 'text');
        if (r.kind !== 'text') return;
        const roundTrips = Buffer.from(r.text, 'utf8').equals(bytes);
        assert.equal(r.utf8, roundTrips, 'valid exactly when the text encodes back to the same bytes');
        const analysis = timedAnalysis({ 'x.yaml': r.text }, 'x.yaml');
        if (prefixManifest && !/[\r\n]/.test(r.text.slice(head.length))) {
          assert.ok(analysis.findings.some((f) => f.rule === 'wi/use-label-not-true'));
        }
      }),
      { numRuns: 300 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
