// What the lenses and fixes promise must hold: "ready" only without errors, a misspelt use
// annotation fixed into the label, ServiceAccount suggestions only with a working client ID.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixAll } from '../../../src/core/fixAll';
import { analyzeWith, applyEdits, applyFix, only, rules, sa } from './helpers';

const pod = (annotations: string[], labels = ['    azure.workload.identity/use: "true"']): string =>
  [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: web',
    '  namespace: app',
    ...(labels.length ? ['  labels:', ...labels] : []),
    ...(annotations.length ? ['  annotations:', ...annotations] : []),
    'spec:',
    '  serviceAccountName: kv-reader',
    '  containers:',
    '    - name: app',
    '      image: nginx',
    '',
  ].join('\n');
const files = (text: string) => ({ 'sa.yaml': sa('kv-reader', { ns: 'app' }), 'p.yaml': text });

describe('pod template lens: ready only without errors', () => {
  it('says ready when nothing is wrong', () => {
    const r = analyzeWith(files(pod([])), 'p.yaml');
    assert.deepEqual(
      r.lenses.map((l) => l.title),
      ['Workload identity: ready (client 6f1c…9f01)'],
    );
  });

  it('names the first error, counts the others, lists all in the tooltip and leads to the first', () => {
    const text = pod([
      '    azure.workload.identity/service-account-token-expiration: "100000"',
      '    azure.workload.identity/proxy-sidecar-port: "http"',
    ]);
    const r = analyzeWith(files(text), 'p.yaml');
    const [lens] = r.lenses;
    assert.equal(lens?.title, 'Workload identity: not ready — wi/token-expiration-invalid (+1 more)');
    assert.match(
      lens?.tooltip ?? '',
      /^wi\/token-expiration-invalid \(line 9\): service-account-token-expiration must be .*\nwi\/proxy-sidecar-invalid \(line 10\): /,
    );
    assert.deepEqual(
      lens?.goto,
      { uri: 'p.yaml', position: { line: 8, character: 62 } },
      'the value the first error is about',
    );
    assert.equal(lens?.fix, undefined);
  });

  it('warnings do not spoil "ready"; an error turned off by settings does not either', () => {
    const warning = pod(['    azure.workload.identity/skip-containers: "nope"']);
    assert.match(analyzeWith(files(warning), 'p.yaml').lenses[0]!.title, /ready \(client/);
    const error = pod(['    azure.workload.identity/service-account-token-expiration: "1"']);
    assert.match(
      analyzeWith(files(error), 'p.yaml', { rules: { 'wi/token-expiration-invalid': 'off' } }).lenses[0]!.title,
      /ready \(client/,
    );
    assert.equal(
      analyzeWith(files(error), 'p.yaml').lenses[0]!.title,
      'Workload identity: not ready — wi/token-expiration-invalid',
    );
  });

  it('a Korean lens names the rule too', () => {
    const error = pod(['    azure.workload.identity/service-account-token-expiration: "1"']);
    assert.equal(
      analyzeWith(files(error), 'p.yaml', { locale: 'ko' }).lenses[0]!.title,
      '워크로드 ID: 준비 안 됨 — wi/token-expiration-invalid',
    );
  });
});

describe('a misspelt use annotation becomes the label', () => {
  it('on a labelled pod: the fix removes the annotation (and its now empty map)', () => {
    const text = pod(['    azure.workload.identity/used: "true"']);
    const [f] = only(analyzeWith(files(text), 'p.yaml'), 'wi/unknown-key');
    assert.match(
      f!.message,
      /Unknown annotation 'azure\.workload\.identity\/used'.*label azure\.workload\.identity\/use: "true"/,
    );
    assert.equal(f!.fixes[0]!.title, 'Replace with label azure.workload.identity/use: "true"');
    const fixed = applyFix(text, f!.fixes[0]);
    assert.equal(fixed, pod([]));
  });

  it('on an unlabelled pod: the label is added to the pod, and Fix all does the same in one pass', () => {
    const text = pod(['    azure.workload.identity/used: "true"', '    team: a'], []);
    const r = analyzeWith(files(text), 'p.yaml');
    assert.deepEqual(rules(r).sort(), ['wi/unknown-key', 'wi/use-label-missing']);
    const byQuickFix = applyFix(text, only(r, 'wi/unknown-key')[0]!.fixes[0]);
    assert.match(byQuickFix, /labels:\n {4}azure\.workload\.identity\/use: "true"\n/);
    assert.doesNotMatch(byQuickFix, /identity\/used/);
    const all = fixAll(r.findings);
    const byFixAll = applyEdits(text, all.edits);
    assert.equal(byFixAll, byQuickFix);
    assert.equal(all.fixed, 2);
    assert.deepEqual(rules(analyzeWith(files(byFixAll), 'p.yaml')), []);
    assert.match(byFixAll, /annotations:\n {4}team: a\n/, 'the other annotation stays');
  });

  it("in a Deployment's template annotations: the label goes to the template, not to the Deployment", () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      '  namespace: app',
      'spec:',
      '  selector:',
      '    matchLabels:',
      '      app: web',
      '  template:',
      '    metadata:',
      '      labels:',
      '        app: web',
      '      annotations:',
      '        azure.workload.identity/usee: "true"',
      '    spec:',
      '      serviceAccountName: kv-reader',
      '      containers:',
      '        - name: app',
      '          image: nginx',
      '',
    ].join('\n');
    const r = analyzeWith(files(text), 'p.yaml');
    const fixed = applyEdits(text, fixAll(r.findings).edits);
    assert.match(fixed, /\n {6}labels:\n {8}app: web\n {8}azure\.workload\.identity\/use: "true"\n {4}spec:/);
    assert.deepEqual(rules(analyzeWith(files(fixed), 'p.yaml')), []);
  });
});

describe('Set serviceAccountName offers only ServiceAccounts with a GUID client ID', () => {
  it('skips one annotated with a display name', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: web',
      '  namespace: app',
      '  labels:',
      '    azure.workload.identity/use: "true"',
      'spec:',
      '  containers:',
      '    - name: app',
      '      image: nginx',
      '',
    ].join('\n');
    const r = analyzeWith(
      {
        'good.yaml': sa('kv-reader', { ns: 'app' }),
        'bad.yaml': sa('by-name', { ns: 'app', clientId: 'id-kv-reader' }),
        'p.yaml': text,
      },
      'p.yaml',
    );
    const titles = only(r, 'wi/service-account-default')[0]!.fixes.map((f) => f.title);
    assert.deepEqual(titles, ['Set serviceAccountName: kv-reader']);
  });
});
