// A pod template's lens carries the namespace and ServiceAccount it runs as, so a diagnosis can
// start from the pod template even when that ServiceAccount exists only in the cluster.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeWith, sa } from './helpers';

const deployment = (o: { namespace?: string; serviceAccountName?: string }): string =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    ...(o.namespace ? [`  namespace: ${o.namespace}`] : []),
    'spec:',
    '  selector:',
    '    matchLabels: { app: web }',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: web',
    '        azure.workload.identity/use: "true"',
    '    spec:',
    ...(o.serviceAccountName ? [`      serviceAccountName: ${o.serviceAccountName}`] : []),
    '      containers:',
    '        - name: app',
    '          image: nginx',
    '',
  ].join('\n');

const podLenses = (files: Record<string, string>) =>
  analyzeWith(files, 'd.yaml').lenses.filter((l) => l.kind === 'podTemplate');

describe('pod template lens: the ServiceAccount it runs as', () => {
  it('names its namespace and serviceAccountName when the workspace does not define that ServiceAccount', () => {
    const lenses = podLenses({ 'd.yaml': deployment({ namespace: 'app', serviceAccountName: 'kv-reader' }) });
    assert.equal(lenses.length, 1);
    assert.equal(lenses[0]!.goto, undefined);
    assert.deepEqual(lenses[0]!.runsAs, { namespace: 'app', name: 'kv-reader' });
  });

  it('names the same ServiceAccount the lens leads to when the workspace defines it', () => {
    const lenses = podLenses({
      'sa.yaml': sa('kv-reader', { ns: 'app' }),
      'd.yaml': deployment({ namespace: 'app', serviceAccountName: 'kv-reader' }),
    });
    assert.equal(lenses.length, 1);
    assert.ok(lenses[0]!.goto?.uri.endsWith('sa.yaml'));
    assert.deepEqual(lenses[0]!.runsAs, { namespace: 'app', name: 'kv-reader' });
  });

  it('without namespace or serviceAccountName: default/default, as the API server assigns them', () => {
    const lenses = podLenses({ 'd.yaml': deployment({}) });
    assert.equal(lenses.length, 1);
    assert.deepEqual(lenses[0]!.runsAs, { namespace: 'default', name: 'default' });
  });

  it('a ServiceAccount lens carries none', () => {
    const r = analyzeWith({ 'd.yaml': sa('kv-reader', { ns: 'app' }) }, 'd.yaml');
    assert.ok(r.lenses.length > 0);
    assert.ok(r.lenses.every((l) => l.runsAs === undefined));
  });
});
