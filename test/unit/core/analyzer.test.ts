import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../../src/core/analyzer';
import { allMessageIds, messageTable } from '../../../src/core/messages';
import { RULES } from '../../../src/core/ruleCatalog';
import { parseStats } from '../../../src/core/yamlDocuments';
import { analyzeWith, CLIENT, only, rules, sa } from './helpers';

const labelledPod = (extra = ''): string => `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    azure.workload.identity/use: true
${extra}spec:
  serviceAccountName: ghost
`;

test('settings: a rule can be turned off or given another severity', () => {
  const text = labelledPod();
  assert.deepEqual(rules(analyzeWith({ 'p.yaml': text }, 'p.yaml')), [
    'wi/use-label-not-true',
    'wi/service-account-not-found',
  ]);
  const off = analyzeWith({ 'p.yaml': text }, 'p.yaml', { rules: { 'wi/use-label-not-true': 'off' } });
  assert.deepEqual(rules(off), ['wi/service-account-not-found']);
  const severity = analyzeWith({ 'p.yaml': text }, 'p.yaml', { rules: { 'wi/service-account-not-found': 'error' } });
  assert.equal(only(severity, 'wi/service-account-not-found')[0].severity, 'error');
  const a = new Analyzer();
  assert.equal(a.analyze('p.yaml', text).findings.length, 2);
  a.setOptions({ rules: { 'wi/use-label-not-true': 'off', 'wi/service-account-not-found': 'off' } });
  assert.equal(a.analyze('p.yaml', text).findings.length, 0);
});

test('suppressions: next-line with one or several rules, file-wide, all rules', () => {
  const next = labelledPod().replace('  labels:\n', '  labels:\n    # kwi-disable-next-line wi/use-label-not-true\n');
  assert.deepEqual(rules(analyzeWith({ 'p.yaml': next }, 'p.yaml')), ['wi/service-account-not-found']);
  const otherRule = labelledPod().replace('  labels:\n', '  labels:\n    # kwi-disable-next-line wi/unknown-key\n');
  assert.deepEqual(rules(analyzeWith({ 'p.yaml': otherRule }, 'p.yaml')), [
    'wi/use-label-not-true',
    'wi/service-account-not-found',
  ]);
  const two = labelledPod().replace(
    'spec:\n',
    'spec:\n  # kwi-disable-next-line wi/unknown-key,wi/service-account-not-found\n',
  );
  assert.deepEqual(rules(analyzeWith({ 'p.yaml': two }, 'p.yaml')), ['wi/use-label-not-true']);
  const wrongLine = labelledPod().replace('metadata:\n', '# kwi-disable-next-line wi/use-label-not-true\nmetadata:\n');
  assert.deepEqual(rules(analyzeWith({ 'p.yaml': wrongLine }, 'p.yaml')), [
    'wi/use-label-not-true',
    'wi/service-account-not-found',
  ]);
  const file = `# kwi-disable-file wi/service-account-not-found\n${labelledPod()}`;
  assert.deepEqual(rules(analyzeWith({ 'p.yaml': file }, 'p.yaml')), ['wi/use-label-not-true']);
  const all = `${labelledPod()}# kwi-disable-file\n`;
  assert.deepEqual(rules(analyzeWith({ 'p.yaml': all }, 'p.yaml')), []);
});

test('multi-document files: findings in each document, positions absolute', () => {
  const text = `${labelledPod()}---\n${sa('x', { clientId: 'nope' })}---\n${labelledPod()}`;
  const r = analyzeWith({ 'p.yaml': text }, 'p.yaml');
  assert.deepEqual(rules(r), [
    'wi/use-label-not-true',
    'wi/service-account-not-found',
    'wi/client-id-invalid',
    'wi/use-label-not-true',
    'wi/service-account-not-found',
  ]);
  assert.deepEqual(
    r.findings.map((f) => f.range.start.line),
    [5, 7, 14, 21, 23],
  );
});

test('Helm templates and non-Kubernetes YAML: no findings, no lenses, no errors', () => {
  const helm = `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}
  labels:
    azure.workload.identity/use: true
{{- if .Values.sa }}
spec:
  serviceAccountName: {{ .Values.sa }}
{{- end }}
`;
  const workflow = `name: CI
on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: kubectl apply -f deploy.yaml # Deployment, ServiceAccount, azure.workload.identity/use
`;
  const compose = `services:\n  web:\n    image: nginx\n    labels:\n      azure.workload.identity/use: true\n`;
  for (const text of [helm, workflow, compose, '', '---\n', 'just a string', '[1, 2', 'key: [unclosed\nkind: Pod']) {
    const r = new Analyzer().analyze('x.yaml', text);
    assert.deepEqual(r, { findings: [], lenses: [] }, text);
  }
});

test('lenses: ready, label missing, not annotated, on ServiceAccounts', () => {
  const text = `${sa('wi-sa')}---
apiVersion: v1
kind: Pod
metadata:
  name: ready
  labels:
    azure.workload.identity/use: "true"
spec:
  serviceAccountName: wi-sa
---
apiVersion: v1
kind: Pod
metadata:
  name: unlabelled
spec:
  serviceAccountName: wi-sa
---
${sa('plain', { clientId: null })}`;
  const r = new Analyzer().analyze('f.yaml', text);
  assert.deepEqual(
    r.lenses.map((l) => [l.range.start.line, l.kind, l.title]),
    [
      [0, 'serviceAccount', 'Workload identity: client 6f1c…9f01'],
      [7, 'podTemplate', 'Workload identity: ready (client 6f1c…9f01)'],
      [16, 'podTemplate', 'Workload identity: label missing — Add label'],
      [23, 'serviceAccount', 'ServiceAccount not annotated — Add client ID…'],
    ],
  );
  assert.ok(r.lenses[2].fix && r.lenses[2].fix.edits.length === 1, 'the label lens runs the add-label fix');
  assert.equal(r.lenses[2].tooltip, only(r, 'wi/use-label-missing')[0].message);
  assert.ok(r.lenses[3].fix?.input, 'the annotate lens asks for the client ID');
  // The ready lens leads to the ServiceAccount's name (line 3: `  name: wi-sa`).
  assert.deepEqual(r.lenses[1].goto, { uri: 'f.yaml', position: { line: 3, character: 8 } });
  assert.equal(r.lenses[1].tooltip, 'Open ServiceAccount default/wi-sa');
  assert.equal(r.lenses[2].goto, undefined);
  // In another file, it leads there.
  const other = analyzeWith(
    { 'sa.yaml': `# team accounts\n${sa('wi-sa')}`, 'p.yaml': text.slice(text.indexOf('apiVersion: v1\nkind: Pod')) },
    'p.yaml',
  );
  assert.deepEqual(other.lenses.find((l) => l.title.includes('ready'))?.goto, {
    uri: 'sa.yaml',
    position: { line: 4, character: 8 },
  });
});

test('Korean locale: messages, fix titles and lenses', () => {
  const r = analyzeWith({ 'p.yaml': labelledPod() }, 'p.yaml', { locale: 'ko' });
  assert.match(r.findings[0].message, /레이블 값은 문자열 "true"여야 합니다/);
  assert.equal(r.findings[0].fixes[0].title, '값을 "true"로 설정');
  assert.match(r.lenses[0].title, /워크로드 ID/);
  // Every message has a Korean text with the same placeholders.
  const en = messageTable('en');
  const ko = messageTable('ko');
  for (const id of allMessageIds()) {
    assert.ok(ko[id] && ko[id] !== en[id], id);
    assert.deepEqual((ko[id].match(/\{\d\}/g) ?? []).sort(), (en[id].match(/\{\d\}/g) ?? []).sort(), id);
  }
});

test("rule catalog: the issue's rule IDs and default severities", () => {
  assert.deepEqual(
    RULES.map((r) => `${r.id}:${r.severity}`),
    [
      'wi/use-label-missing:error',
      'wi/use-label-misplaced:error',
      'wi/use-label-not-true:error',
      'wi/service-account-default:warning',
      'wi/service-account-not-annotated:error',
      'wi/service-account-not-found:info',
      'wi/client-id-invalid:error',
      'wi/tenant-id-invalid:error',
      'wi/unknown-key:warning',
      'wi/token-expiration-invalid:error',
      'wi/skip-containers-unknown:warning',
      'wi/proxy-sidecar-invalid:error',
      'wi/client-id-wrong-kind:error',
      'podidentity/binding-label:warning',
      'podidentity/deprecated-resource:warning',
      'irsa/role-arn-invalid:error',
      'irsa/trust-policy-mismatch:warning',
    ],
  );
});

test('indexVersion moves when a ServiceAccount changes, not on irrelevant edits', () => {
  const a = new Analyzer();
  const v0 = a.indexVersion;
  a.indexFile('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n');
  assert.equal(a.indexVersion, v0);
  a.indexFile('sa.yaml', sa('wi-sa', { clientId: null }));
  const v1 = a.indexVersion;
  assert.ok(v1 > v0);
  a.indexFile('sa.yaml', `# a comment\n${sa('wi-sa', { clientId: null })}`);
  assert.equal(a.indexVersion, v1);
  a.analyze('sa.yaml', sa('wi-sa'));
  const v2 = a.indexVersion;
  assert.ok(v2 > v1, 'analyze of an open document updates the index');
  const pod = labelledPod().replace('ghost', 'wi-sa').replace('use: true', 'use: "true"');
  assert.deepEqual(rules(a.analyze('p.yaml', pod)), []);
  a.removeFile('sa.yaml');
  assert.ok(a.indexVersion > v2);
  assert.deepEqual(rules(a.analyze('p.yaml', pod)), ['wi/service-account-not-found']);
});

test('a ServiceAccount edited in the open editor wins over the indexed disk version', () => {
  const a = new Analyzer();
  a.indexFile('sa.yaml', sa('wi-sa', { clientId: null }));
  const pod = labelledPod().replace('ghost', 'wi-sa').replace('use: true', 'use: "true"');
  assert.deepEqual(rules(a.analyze('p.yaml', pod)), ['wi/service-account-not-annotated']);
  a.analyze('sa.yaml', sa('wi-sa', { clientId: CLIENT }));
  assert.deepEqual(rules(a.analyze('p.yaml', pod)), []);
});

test('UTF-16 positions: characters outside the BMP before a finding', () => {
  const text = `apiVersion: v1
kind: Pod
metadata:
  name: p # 🚀 emoji
  labels: {"a": "😀", azure.workload.identity/use: true}
spec:
  serviceAccountName: x
`;
  const f = only(new Analyzer().analyze('p.yaml', text), 'wi/use-label-not-true')[0];
  // `  labels: {"a": "😀", azure.workload.identity/use: ` is 51 UTF-16 units: the emoji counts 2.
  assert.deepEqual(f.range, { start: { line: 4, character: 51 }, end: { line: 4, character: 55 } });
  assert.equal(text.split('\n')[4].slice(51, 55), 'true');
});

test('indexFile parses only the documents that can hold what the index keeps', () => {
  const a = new Analyzer();
  const before = parseStats.fast + parseStats.fallback;
  for (let i = 0; i < 50; i++) {
    a.indexFile(
      `svc${i}.yaml`,
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\nspec:\n  ports: [{port: 80}]\n`,
    );
    a.indexFile(`deploy${i}.yaml`, `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${i}\n`);
  }
  assert.equal(parseStats.fast + parseStats.fallback, before, 'no Service or Deployment was parsed');
  a.indexFile('mixed.yaml', `apiVersion: v1\nkind: ConfigMap\n---\n${sa('wi-sa')}---\napiVersion: v1\nkind: Secret\n`);
  assert.equal(parseStats.fast + parseStats.fallback, before + 1, 'only the ServiceAccount document');
});
