import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../../../src/core/analyzer';
import type { ServiceAccountEntry } from '../../../src/core/workspaceIndex';

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

/** What a feature needs to navigate: where the name is, and where the object starts. */
const where = (sa: ServiceAccountEntry) => ({
  uri: sa.uri,
  namespace: sa.namespace,
  name: sa.name,
  clientId: sa.clientId,
  line: sa.position?.line,
  character: sa.position?.character,
  objectLine: sa.objectPosition?.line,
});

function indexed(files: Record<string, string>): Analyzer {
  const a = new Analyzer();
  for (const [uri, t] of Object.entries(files)) a.indexFile(uri, t);
  return a;
}

describe('workspace index: where is ServiceAccount X', () => {
  it('finds a ServiceAccount by namespace and name, at its name', () => {
    assert.deepEqual(
      indexed({ 'file:///a.yaml': text }).findServiceAccounts({ namespace: 'demo', name: 'workload-sa' }).map(where),
      [
        {
          uri: 'file:///a.yaml',
          namespace: 'demo',
          name: 'workload-sa',
          clientId: 'AAAA-1',
          line: 4,
          character: 8,
          objectLine: 1,
        },
      ],
    );
  });
  it('defaults the namespace, and looks inside Lists', () => {
    const a = indexed({ 'file:///a.yaml': text });
    assert.deepEqual(a.findServiceAccounts({ namespace: 'default', name: 'other' }).map(where), [
      {
        uri: 'file:///a.yaml',
        namespace: 'default',
        name: 'other',
        clientId: undefined,
        line: 20,
        character: 12,
        objectLine: 17,
      },
    ]);
    assert.deepEqual(a.findServiceAccounts({ namespace: 'default', name: 'workload-sa' }), []);
  });
  it('lists every ServiceAccount with an empty query, by file then line', () => {
    const a = indexed({
      'file:///b.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: first\n',
      'file:///a.yaml': text,
    });
    assert.deepEqual(
      a.findServiceAccounts({}).map((h) => `${h.uri} ${h.namespace}/${h.name}`),
      ['file:///a.yaml demo/workload-sa', 'file:///a.yaml default/other', 'file:///b.yaml default/first'],
    );
    assert.deepEqual(
      a.findServiceAccounts({ uri: 'file:///b.yaml' }).map((h) => h.name),
      ['first'],
    );
  });
  it('finds by client ID annotation, ignoring case and blanks', () => {
    const a = indexed({ 'file:///a.yaml': text });
    assert.equal(a.findServiceAccounts({ clientId: ' aaaa-1 ' })[0]?.name, 'workload-sa');
    assert.deepEqual(a.findServiceAccounts({ clientId: 'bbbb-2' }), []);
  });
  it('ignores non-Kubernetes and broken YAML', () => {
    const a = indexed({
      'file:///x.yaml': 'a: [',
      'file:///h.yaml': 'kind: ServiceAccount\nmetadata: {name: {{ .Values.name }}}',
    });
    assert.deepEqual(a.findServiceAccounts({}), []);
  });
  it("answers from index state only: an open editor's text wins, a removed file is gone, and nothing is read from text it was not given", () => {
    const a = indexed({ 'file:///a.yaml': text });
    // The editor's unsaved text moves the ServiceAccount two lines down and renames the other one.
    const edited = `\n\n${text.replace('name: other', 'name: renamed')}`;
    a.analyze('file:///a.yaml', edited);
    assert.equal(a.findServiceAccounts({ namespace: 'demo', name: 'workload-sa' })[0]?.position?.line, 6);
    assert.deepEqual(a.findServiceAccounts({ name: 'other' }), []);
    assert.equal(a.findServiceAccounts({ name: 'renamed' }).length, 1);
    a.removeFile('file:///a.yaml');
    assert.deepEqual(a.findServiceAccounts({}), []);
  });
});
