// Property tests over the inputs an adversarial probe of the linter found: nested IAM globs, large
// trust policies, aliases into the selector, tags, merge keys, CR-only line ends and non-UTF-8
// bytes. Each generated workspace must analyse without an internal error inside a generous time
// guard (a guard against super-linear work, not a benchmark), and Fix all must converge: applying
// its edits and analysing again leaves nothing more for Fix all to do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Analyzer } from '../../../src/core/analyzer';
import { applyTextEdits, fixAll } from '../../../src/core/fixAll';
import { globMatch } from '../../../src/core/glob';

const GUARD_MS = 2000;

function analyzeAll(files: Record<string, string>) {
  const errors: unknown[] = [];
  const a = new Analyzer({ onError: (e) => errors.push(e) });
  for (const [uri, text] of Object.entries(files)) a.indexFile(uri, text);
  const results = Object.entries(files).map(([uri, text]) => {
    const t0 = performance.now();
    const r = a.analyze(uri, text);
    const ms = performance.now() - t0;
    assert.ok(ms < GUARD_MS, `${uri} took ${ms.toFixed(0)} ms`);
    return { uri, text, r };
  });
  if (errors.length) throw errors[0];
  return results;
}

const globPart = fc.oneof(fc.constant('*'), fc.constant('?'), fc.constantFrom('a', 'b', 'ab', 'x-y', ':'));
const glob = fc.array(globPart, { minLength: 1, maxLength: 40 }).map((p) => p.join(''));

/** A plain reference matcher (exponential in the worst case, fine for the short inputs it gets). */
function reference(p: string, t: string): boolean {
  if (p === '') return t === '';
  if (p[0] === '*') return reference(p.slice(1), t) || (t !== '' && reference(p, t.slice(1)));
  return t !== '' && (p[0] === '?' || p[0] === t[0]) && reference(p.slice(1), t.slice(1));
}

test('glob matching agrees with a reference matcher and stays fast on nested stars', () => {
  fc.assert(
    fc.property(
      fc.array(globPart, { maxLength: 8 }).map((p) => p.join('')),
      fc.stringMatching(/^[abxy:-]{0,10}$/),
      (p, t) => {
        assert.equal(globMatch(p, t), reference(p, t), JSON.stringify([p, t]));
      },
    ),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(glob, fc.integer({ min: 1, max: 2000 }), (p, n) => {
      const t0 = performance.now();
      globMatch(`system:serviceaccount:${p}:*`, `system:serviceaccount:${'a'.repeat(n)}:sa`);
      assert.ok(performance.now() - t0 < 50, p);
    }),
    { numRuns: 300 },
  );
});

const policy = (subjects: string[], op: 'StringEquals' | 'StringLike') =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          [op]: { 'oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub': subjects.length === 1 ? subjects[0] : subjects },
        },
      },
    ],
  });

test('trust policies with nested globs and many subjects stay within the guard', () => {
  fc.assert(
    fc.property(fc.array(glob, { minLength: 1, maxLength: 50 }), fc.integer({ min: 1, max: 60 }), (globs, nsLen) => {
      const ns = 'a'.repeat(nsLen);
      analyzeAll({
        'trust.json': policy(
          globs.map((g) => `system:serviceaccount:${g}`),
          'StringLike',
        ),
        'sa.yaml': `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: s3\n  namespace: ${ns}\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/r\n`,
      });
    }),
    { numRuns: 60 },
  );
  const many = Array.from({ length: 20000 }, (_, i) => `system:serviceaccount:ns${i % 97}:sa-${i}`);
  analyzeAll({
    'big.json': policy(many, 'StringEquals'),
    'sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa-1\n  namespace: ns1\n',
  });
});

/** A Deployment whose label value and template labels come in the YAML forms the probe used. */
const labelForm = fc.constantFrom(
  'labels: *sel',
  'labels:\n        <<: *sel\n        app: web',
  'labels:\n        azure.workload.identity/use: !!bool true',
  'labels:\n        azure.workload.identity/use: *t',
  'labels:\n        azure.workload.identity/use: !!str true',
  'labels:\n        azure.workload.identity/use: true',
  'labels: {app: web}',
);
const eol = fc.constantFrom('\n', '\r\n', '\r');
const junk = fc.constantFrom('', '# caf\u00e9\n', '# \ufffd\ufffd\n', '# \u0000\u001b[31m\n', '# \u2028\n');

function deployment(labels: string, comment: string): string {
  return `${comment}apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    note: &t "true"
spec:
  selector:
    matchLabels: &sel
      app: web
      azure.workload.identity/use: "true"
  template:
    metadata:
      ${labels}
    spec:
      serviceAccountName: wi-sa
      containers: [{name: app, image: nginx}]
`;
}

const SA =
  'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: wi-sa\n  annotations:\n    azure.workload.identity/client-id: 6f1c2a4e-1234-4bcd-9ef0-0123456f9f01\n';

test('aliases, tags, merge keys, CR-only files and odd bytes: no error, and Fix all converges without touching an anchor', () => {
  fc.assert(
    fc.property(labelForm, eol, junk, (labels, nl, comment) => {
      const text = deployment(labels, comment).replace(/\n/g, nl);
      const [first] = analyzeAll({ 'd.yaml': text, 'sa.yaml': SA });
      const { edits } = fixAll(first.r.findings);
      if (edits.length === 0) return;
      const fixed = applyTextEdits(text, edits);
      // The selector's anchored block (immutable on a live Deployment) and the annotation that holds
      // the `&t` anchor are never edited through an alias.
      assert.ok(
        fixed.includes(`matchLabels: &sel${nl}      app: web${nl}      azure.workload.identity/use: "true"${nl}`),
        fixed,
      );
      assert.ok(fixed.includes('note: &t "true"'), fixed);
      const [again] = analyzeAll({ 'd.yaml': fixed, 'sa.yaml': SA });
      assert.deepEqual(fixAll(again.r.findings).edits, [], `Fix all does not converge on ${JSON.stringify(text)}`);
    }),
    { numRuns: 200 },
  );
});
