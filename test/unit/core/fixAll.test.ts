import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixAll } from '../../../src/core/fixAll';
import { analyzeWith, applyEdits, rules, sa } from './helpers';

const SA = sa('wi-sa');

test('fix all: every mechanical fix at once, comments kept; decisions and inputs left alone', () => {
  const text = `# three workloads
apiVersion: v1
kind: Pod
metadata:
  name: unquoted
  labels:
    azure.workload.identity/use: true # was a boolean
spec:
  serviceAccountName: wi-sa
---
apiVersion: v1
kind: Pod
metadata:
  name: misspelled
  labels:
    azure.workload.identity/use: "true"
  annotations:
    azure.workload.identity/service-account-token-expiraton: "3600"
spec:
  serviceAccountName: wi-sa
---
apiVersion: v1
kind: Pod
metadata:
  name: default-sa
  labels:
    azure.workload.identity/use: "true"
spec:
  containers: []
---
apiVersion: v1
kind: Pod
metadata:
  name: legacy
  labels:
    aadpodidbinding: reader
spec:
  serviceAccountName: legacy
`;
  const files = { 'sa.yaml': SA, 'd.yaml': text };
  const before = analyzeWith(files, 'd.yaml');
  assert.deepEqual(rules(before), [
    'wi/use-label-not-true',
    'wi/unknown-key',
    'wi/service-account-default',
    'podidentity/binding-label',
  ]);
  const r = fixAll(before.findings);
  assert.equal(r.fixed, 2);
  assert.equal(r.skipped, 2, 'the ServiceAccount choice and the migration are decisions');
  const fixed = applyEdits(text, r.edits);
  assert.equal(
    fixed,
    text
      .replace('use: true # was a boolean', 'use: "true" # was a boolean')
      .replace('token-expiraton', 'token-expiration'),
  );
  assert.deepEqual(rules(analyzeWith({ ...files, 'd.yaml': fixed }, 'd.yaml')), [
    'wi/service-account-default',
    'podidentity/binding-label',
  ]);
});

test('fix all: two fixes inserting at the same place: one now, the other on the next run', () => {
  // The label is misplaced twice (Deployment metadata and template annotations): both fixes add
  // it to the template's labels, at the same point.
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
    azure.workload.identity/use: "true"
spec:
  template:
    metadata:
      labels:
        app: web
      annotations:
        azure.workload.identity/use: "true"
    spec:
      serviceAccountName: wi-sa
`;
  const files = { 'sa.yaml': SA, 'd.yaml': text };
  const first = fixAll(analyzeWith(files, 'd.yaml').findings);
  assert.equal(first.fixed, 1);
  assert.equal(first.skipped, 1);
  const once = applyEdits(text, first.edits);
  assert.equal(
    (once.match(/azure\.workload\.identity\/use/g) ?? []).length,
    2,
    'added once, one misplaced copy removed',
  );
  assert.deepEqual(rules(analyzeWith({ ...files, 'd.yaml': once }, 'd.yaml')), []);
});

test('fix all: nothing to do gives no edits', () => {
  const r = fixAll(analyzeWith({ 'sa.yaml': SA }, 'sa.yaml').findings);
  assert.deepEqual(r, { edits: [], fixed: 0, skipped: 0 });
});
