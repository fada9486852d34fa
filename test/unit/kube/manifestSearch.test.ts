import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findServiceAccounts } from '../../../src/kube/manifestSearch';

const text = `# app
apiVersion: v1
kind: ServiceAccount
metadata:
  name: workload-sa
  namespace: demo
  annotations:
    azure.workload.identity/client-id: "AAAA-1"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: workload-sa
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: other
`;

describe('findServiceAccounts', () => {
  it('finds a ServiceAccount by namespace and name, at its name', () => {
    assert.deepEqual(findServiceAccounts(text, { namespace: 'demo', name: 'workload-sa' }), [{ namespace: 'demo', name: 'workload-sa', clientId: 'AAAA-1', line: 4, character: 8, objectLine: 1 }]);
  });
  it('defaults the namespace, and looks inside Lists', () => {
    assert.deepEqual(findServiceAccounts(text, { namespace: 'default', name: 'other' }), [{ namespace: 'default', name: 'other', line: 20, character: 12, objectLine: 17 }]);
    assert.deepEqual(findServiceAccounts(text, { namespace: 'default', name: 'workload-sa' }), []);
  });
  it('lists every ServiceAccount with an empty query', () => {
    assert.deepEqual(findServiceAccounts(text, {}).map((h) => `${h.namespace}/${h.name}`), ['demo/workload-sa', 'default/other']);
  });
  it('finds by client ID annotation, case-insensitively', () => {
    assert.equal(findServiceAccounts(text, { clientId: 'aaaa-1' })[0]?.name, 'workload-sa');
  });
  it('ignores non-Kubernetes and broken YAML', () => {
    assert.deepEqual(findServiceAccounts('a: [', { name: 'x' }), []);
    assert.deepEqual(findServiceAccounts('kind: ServiceAccount\nmetadata: {name: {{ .Values.name }}}', { name: 'x' }), []);
  });
});
