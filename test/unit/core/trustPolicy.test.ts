import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { globMatch } from '../../../src/core/glob';
import { analyzeWith, only } from './helpers';

/** A trust policy for one provider with the given sub condition(s) under `operator`. */
export function trustPolicy(sub: string | string[], operator = 'StringLike'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { [operator]: { 'oidc.eks.us-east-1.amazonaws.com/id/ABC:sub': sub } },
    }],
  }, null, 2);
}

const serviceAccount = (namespace: string, name = 'x'): string => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n`;

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
  fc.assert(fc.property(fc.array(alphabet, { maxLength: 12 }), fc.array(fc.constantFrom('a', 'b'), { maxLength: 14 }), (p, s) => {
    const pattern = p.join('');
    const text = s.join('');
    assert.equal(globMatch(pattern, text), reference(pattern, text), `${pattern} ~ ${text}`);
  }), { numRuns: 3000 });
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
