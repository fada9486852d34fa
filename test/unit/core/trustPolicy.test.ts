import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { globMatch } from '../../../src/core/glob';
import { member, parseJsonSpans } from '../../../src/core/jsonSpans';
import type { JsonSpan } from '../../../src/core/jsonSpans';
import { analyzeWith, covered, only } from './helpers';

/** A trust policy for one provider with the given sub condition(s) under `operator`. */
export function trustPolicy(sub: string | string[], operator = 'StringLike'): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { [operator]: { 'oidc.eks.us-east-1.amazonaws.com/id/ABC:sub': sub } },
        },
      ],
    },
    null,
    2,
  );
}

const serviceAccount = (namespace: string, name = 'x'): string =>
  `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n`;

/** A reference matcher with memoised recursion (small inputs only). */
function reference(p: string, s: string): boolean {
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const k = `${i},${j}`;
    const hit = memo.get(k);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (i === p.length) r = j === s.length;
    else if (p[i] === '*') r = go(i + 1, j) || (j < s.length && go(i, j + 1));
    else r = j < s.length && (p[i] === '?' || p[i] === s[j]) && go(i + 1, j + 1);
    memo.set(k, r);
    return r;
  };
  return go(0, 0);
}

test('globMatch: * any run, ? one character, the rest literal and case-sensitive', () => {
  assert.ok(globMatch('system:serviceaccount:*:*', 'system:serviceaccount:apps:s3'));
  assert.ok(globMatch('a*', 'a'));
  assert.ok(globMatch('*', ''));
  assert.ok(globMatch('a?c', 'abc'));
  assert.ok(!globMatch('a?c', 'ac'));
  assert.ok(!globMatch('A*', 'a'));
  assert.ok(globMatch('a.b', 'a.b'));
  assert.ok(!globMatch('a.b', 'axb'), 'a dot is a dot, not any character');
  assert.ok(!globMatch('ab*ba', 'aba'), 'prefix and suffix must not overlap');
  assert.ok(globMatch('*a*a*', 'aa'));
  assert.ok(!globMatch('[a]', 'a'));
});

test('globMatch agrees with a reference matcher (property)', () => {
  const alphabet = fc.constantFrom('a', 'b', '*', '?');
  fc.assert(
    fc.property(
      fc.array(alphabet, { maxLength: 12 }),
      fc.array(fc.constantFrom('a', 'b'), { maxLength: 14 }),
      (p, s) => {
        const pattern = p.join('');
        const text = s.join('');
        assert.equal(globMatch(pattern, text), reference(pattern, text), `${pattern} ~ ${text}`);
      },
    ),
    { numRuns: 3000 },
  );
});

test('irsa/trust-policy-mismatch: nested stars against a long namespace finish at once (was exponential)', () => {
  const started = performance.now();
  const policy = trustPolicy('system:serviceaccount:*a*a*a*a*a*a*a*a*a*a*a*b:*');
  const r = analyzeWith({ 'sa.yaml': serviceAccount('a'.repeat(40)), 'p.json': policy }, 'p.json');
  const ms = performance.now() - started;
  const f = only(r, 'irsa/trust-policy-mismatch');
  assert.equal(f.length, 1, 'no ServiceAccount matches (no namespace ends in b)');
  assert.match(f[0].message, /defined nowhere/);
  // The RegExp version needed more than 60 s; the guard leaves a margin of about 1000x.
  assert.ok(ms < 2000, `${ms.toFixed(0)} ms`);
  // Still a match when one exists.
  const ok = analyzeWith({ 'sa.yaml': serviceAccount(`${'a'.repeat(40)}b`), 'p.json': policy }, 'p.json');
  assert.deepEqual(only(ok, 'irsa/trust-policy-mismatch'), []);
});

test('globMatch: long adversarial patterns and texts stay fast', () => {
  const started = performance.now();
  const pattern = `${'*a'.repeat(2000)}*b`;
  const text = 'a'.repeat(20000);
  assert.equal(globMatch(pattern, text), false);
  assert.equal(globMatch(`${'?'.repeat(5000)}*`, 'a'.repeat(20000)), true);
  assert.ok(performance.now() - started < 2000);
});

const annotated = (namespace: string, name: string): string =>
  `${serviceAccount(namespace, name)}  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/r\n`;

test('irsa/trust-policy-mismatch: 100,000 subjects (4 MB) are checked in linear time (was 39 s)', () => {
  const subjects: string[] = [];
  for (let i = 0; i < 100_000; i++) subjects.push(`system:serviceaccount:ns${i % 100}:s${i}`);
  const policy = trustPolicy(subjects, 'StringEquals');
  assert.ok(policy.length > 4_000_000 && policy.length < 5_000_000);
  const sas = Array.from({ length: 200 }, (_, i) => annotated(`ns${i % 100}`, `s${i}`)).join('---\n');
  const started = performance.now();
  const r = analyzeWith({ 'sa.yaml': sas, 'p.json': policy }, 'p.json');
  const ms = performance.now() - started;
  assert.equal(only(r, 'irsa/trust-policy-mismatch').length, 100_000 - 200);
  assert.ok(ms < 20_000, `${ms.toFixed(0)} ms (about 1 s on a loaded 2-core machine)`);
});

test('irsa/trust-policy-mismatch: findings point at their own value, also when values repeat', () => {
  const policy = trustPolicy([
    'system:serviceaccount:apps:a',
    'system:serviceaccount:apps:b',
    'system:serviceaccount:apps:a',
  ]);
  const r = analyzeWith({ 'sa.yaml': annotated('apps', 'b'), 'p.json': policy }, 'p.json');
  const f = only(r, 'irsa/trust-policy-mismatch');
  assert.equal(f.length, 2);
  assert.deepEqual(
    f.map((x) => covered(policy, x)),
    ['system:serviceaccount:apps:a', 'system:serviceaccount:apps:a'],
  );
  assert.notEqual(
    f[0].range.start.line,
    f[1].range.start.line,
    'the second finding is on the third value, not the first again',
  );
});

test('trust policies over the size limit are skipped and say so; wildcard work is bounded and says so', () => {
  const huge = trustPolicy(
    Array.from({ length: 130_000 }, (_, i) => `system:serviceaccount:ns:sa-${i}`),
    'StringEquals',
  );
  assert.ok(huge.length > 5_000_000);
  const r = analyzeWith({ 'p.json': huge }, 'p.json');
  assert.deepEqual(r.findings, []);
  assert.match(r.skipped ?? '', /skipped this file: it has [\d,]+ characters, more than the 5,000,000/);

  // 3,000 namespaces x 3,000 distinct wildcard subjects: 9 M comparisons, over the budget.
  const sas = Array.from({ length: 3_000 }, (_, i) => annotated(`team-${i}`, 'app')).join('---\n');
  const wild = trustPolicy(Array.from({ length: 3_000 }, (_, i) => `system:serviceaccount:*-${i}x:app`));
  const started = performance.now();
  const w = analyzeWith({ 'sa.yaml': sas, 'p.json': wild }, 'p.json');
  assert.ok(performance.now() - started < 20_000);
  assert.match(w.skipped ?? '', /did not compare [\d,]+ wildcard subject\(s\)/);
  const judged = only(w, 'irsa/trust-policy-mismatch').length;
  assert.ok(judged > 0 && judged < 3_000, `${judged} judged before the budget ran out, none guessed after it`);
});

test('parseJsonSpans: same structure as JSON.parse, each span covering the text of its value (property); deep nesting', () => {
  const check = (node: JsonSpan, value: unknown, text: string): void => {
    assert.deepEqual(JSON.parse(text.slice(node.start, node.end)), value);
    if (node.kind === 'string') assert.equal(node.value, value);
    if (node.kind === 'array') node.items.forEach((item, i) => check(item, (value as unknown[])[i], text));
    if (node.kind === 'object') {
      for (const [k, v] of node.entries) check(v, (value as Record<string, unknown>)[k], text);
    }
  };
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 5 }), fc.boolean(), (value, pretty) => {
      const text = JSON.stringify(value, null, pretty ? 2 : undefined);
      const node = parseJsonSpans(text);
      assert.ok(node);
      check(node, JSON.parse(text), text);
    }),
    { numRuns: 500 },
  );
  const deep = `{"Statement": ${'['.repeat(50_000)}${']'.repeat(50_000)}, "x": "AssumeRoleWithWebIdentity"}`;
  const node = parseJsonSpans(deep);
  assert.equal(node?.kind, 'object');
  assert.equal(member(node, 'x')?.kind, 'string');
  assert.deepEqual(analyzeWith({ 'p.json': deep }, 'p.json').findings, []);
});
