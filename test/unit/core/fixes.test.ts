import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../../src/core/analyzer';
import { analyzeWith, applyEdits, applyFix, applyFixToFiles, CLIENT, only, sa } from './helpers';

const files = (text: string, extra: Record<string, string> = { 'sa.yaml': sa('wi-sa') }): Record<string, string> => ({
  ...extra,
  'd.yaml': text,
});
const fixOf = (text: string, rule: string, extra?: Record<string, string>, i = 0) =>
  only(analyzeWith(files(text, extra), 'd.yaml'), rule)[i]?.fixes[0];

test('add label: appended to existing template labels, comments and other documents untouched', () => {
  const text = `# leading comment
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # the name
spec:
  template:
    metadata:
      labels:
        app: web # keep me
    spec:
      serviceAccountName: wi-sa
---
kind: Other
apiVersion: v1
`;
  const fixed = applyFix(text, fixOf(text, 'wi/use-label-missing'));
  assert.equal(
    fixed,
    text.replace(
      '        app: web # keep me\n',
      '        app: web # keep me\n        azure.workload.identity/use: "true"\n',
    ),
  );
  assert.equal(
    only(analyzeWith(files(fixed), 'd.yaml'), 'wi/use-label-missing').length,
    0,
    'the fix removes the finding',
  );
});

test("add label: creates labels with the document's 4-space indentation", () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
    name: web
spec:
    template:
        metadata:
            annotations:
                azure.workload.identity/skip-containers: main
        spec:
            serviceAccountName: wi-sa
            containers:
            -   name: main
`;
  const fixed = applyFix(text, fixOf(text, 'wi/use-label-missing'));
  assert.equal(
    fixed,
    text.replace(
      'skip-containers: main\n',
      'skip-containers: main\n            labels:\n                azure.workload.identity/use: "true"\n',
    ),
  );
});

test('add label: creates metadata.labels when the template has no metadata', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      serviceAccountName: wi-sa
`;
  const fixed = applyFix(text, fixOf(text, 'wi/use-label-missing'));
  assert.equal(fixed, `${text}    metadata:\n      labels:\n        azure.workload.identity/use: "true"\n`);
});

test('add label: flow-style labels', () => {
  const text = `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: {app: web}
spec:
  serviceAccountName: wi-sa
`;
  const fixed = applyFix(text, fixOf(text, 'wi/use-label-missing'));
  assert.equal(fixed, text.replace('{app: web}', '{app: web, azure.workload.identity/use: "true"}'));
});

test('move label from the Deployment metadata to the template labels', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    azure.workload.identity/use: "true"
    app: web
spec:
  template:
    metadata:
      labels:
        app: web
    spec:
      serviceAccountName: wi-sa
`;
  const fixed = applyFix(text, fixOf(text, 'wi/use-label-misplaced'));
  assert.equal(
    fixed,
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  template:
    metadata:
      labels:
        app: web
        azure.workload.identity/use: "true"
    spec:
      serviceAccountName: wi-sa
`,
  );
});

test('move label from the template annotations (the last map of metadata) to new labels', () => {
  const text = `apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    note: x
    azure.workload.identity/use: "true"
spec:
  serviceAccountName: wi-sa
`;
  const fixed = applyFix(text, fixOf(text, 'wi/use-label-misplaced'));
  assert.equal(
    fixed,
    `apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    note: x
  labels:
    azure.workload.identity/use: "true"
spec:
  serviceAccountName: wi-sa
`,
  );
});

test('move the only annotation: the empty annotations map goes too (comment of the next key kept)', () => {
  const text = `apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    azure.workload.identity/use: "true" # misplaced
  # the ServiceAccount
spec:
  serviceAccountName: wi-sa
`;
  const fixed = applyFix(text, fixOf(text, 'wi/use-label-misplaced'));
  assert.equal(
    fixed,
    `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    azure.workload.identity/use: "true"
  # the ServiceAccount
spec:
  serviceAccountName: wi-sa
`,
  );
});

test('move the only label of a Deployment: its empty labels map goes too', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    azure.workload.identity/use: "true"
spec:
  template:
    metadata:
      labels:
        app: web
    spec:
      serviceAccountName: wi-sa
`;
  const fixed = applyFix(text, fixOf(text, 'wi/use-label-misplaced'));
  assert.equal(
    fixed,
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels:
        app: web
        azure.workload.identity/use: "true"
    spec:
      serviceAccountName: wi-sa
`,
  );
});

test('label only in the selector: the fix adds it to the template and keeps the selector', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      azure.workload.identity/use: "true"
  template:
    metadata:
      labels:
        app: web
    spec:
      serviceAccountName: wi-sa
`;
  const fixed = applyFix(text, fixOf(text, 'wi/use-label-misplaced'));
  assert.equal(
    fixed,
    text.replace('        app: web\n', '        app: web\n        azure.workload.identity/use: "true"\n'),
  );
});

test('quote the label value; other quoting in the file is untouched', () => {
  const text = `apiVersion: v1
kind: Pod
metadata:
  name: 'p'
  labels:
    azure.workload.identity/use: true   # was a boolean
spec:
  serviceAccountName: "wi-sa"
`;
  const fixed = applyFix(text, fixOf(text, 'wi/use-label-not-true'));
  assert.equal(fixed, text.replace('use: true ', 'use: "true" '));
});

test('rename a misspelled key keeps its quoting', () => {
  const text = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: wi-sa
  annotations:
    "azure.workload.identity/client_id": "${CLIENT}"
`;
  const f = only(analyzeWith({ 's.yaml': text }, 's.yaml'), 'wi/unknown-key')[0];
  assert.equal(applyFix(text, f.fixes[0]), text.replace('client_id', 'client-id'));
});

test('set serviceAccountName to an annotated ServiceAccount of the namespace', () => {
  const text = `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    azure.workload.identity/use: "true"
spec:
  containers:
    - name: main
      image: nginx
`;
  const f = only(analyzeWith(files(text), 'd.yaml'), 'wi/service-account-default')[0];
  assert.equal(f.fixes[0].title, 'Set serviceAccountName: wi-sa');
  assert.equal(applyFix(text, f.fixes[0]), `${text}  serviceAccountName: wi-sa\n`);
  const explicit = text.replace('spec:\n', 'spec:\n  serviceAccountName: default\n');
  const g = only(analyzeWith(files(explicit), 'd.yaml'), 'wi/service-account-default')[0];
  assert.equal(
    applyFix(explicit, g.fixes[0]),
    explicit.replace('serviceAccountName: default', 'serviceAccountName: wi-sa'),
  );
});

test('annotate the ServiceAccount: asks for a GUID, edits the file that defines it', () => {
  const saText = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: wi-sa # the app's identity
  labels:
    app: web
`;
  const pod = `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    azure.workload.identity/use: "true"
spec:
  serviceAccountName: wi-sa
`;
  const f = only(analyzeWith({ 'sa.yaml': saText, 'd.yaml': pod }, 'd.yaml'), 'wi/service-account-not-annotated')[0];
  const fix = f.fixes[0];
  assert.ok(fix.input);
  assert.equal(fix.uri, 'sa.yaml');
  assert.equal(fix.input.kind, 'clientId');
  assert.equal(fix.input.validate(CLIENT), undefined);
  assert.match(fix.input.validate('my-identity') ?? '', /GUID/);
  assert.equal(
    applyEdits(saText, fix.input.complete(` ${CLIENT} `)),
    `${saText}  annotations:\n    azure.workload.identity/client-id: "${CLIENT}"\n`,
  );
});

test('the ServiceAccount lens annotates in place, also in a multi-document file with CRLF line ends', () => {
  const text = [
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    '  name: a',
    '  annotations:',
    '    note: x',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: c',
    '',
  ].join('\r\n');
  const r = new Analyzer().analyze('f.yaml', text);
  assert.equal(r.lenses.length, 1);
  assert.equal(r.lenses[0].title, 'ServiceAccount not annotated — Add client ID…');
  assert.deepEqual(r.lenses[0].range.start, { line: 0, character: 0 });
  const fixed = applyFix(text, r.lenses[0].fix);
  assert.equal(
    fixed,
    text.replace('    note: x\r\n', `    note: x\r\n    azure.workload.identity/client-id: "${CLIENT}"\r\n`),
  );
});

test('remove inject-proxy-sidecar: "false"', () => {
  const text = `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    azure.workload.identity/use: "true"
  annotations:
    azure.workload.identity/inject-proxy-sidecar: "false"
    other: y
spec:
  serviceAccountName: wi-sa
`;
  const f = only(analyzeWith(files(text), 'd.yaml'), 'wi/proxy-sidecar-invalid')[0];
  assert.equal(
    applyFix(text, f.fixes[0]),
    text.replace('    azure.workload.identity/inject-proxy-sidecar: "false"\n', ''),
  );
});

test('skip-containers with commas: rewrite with semicolons', () => {
  const text = `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    azure.workload.identity/use: "true"
  annotations:
    azure.workload.identity/skip-containers: "a,b"
spec:
  serviceAccountName: wi-sa
  containers: [{name: a}, {name: b}]
`;
  const f = only(analyzeWith(files(text), 'd.yaml'), 'wi/skip-containers-unknown')[0];
  assert.equal(applyFix(text, f.fixes[0]), text.replace('"a,b"', '"a;b"'));
});

const podIdentity = `apiVersion: aadpodidentity.k8s.io/v1
kind: AzureIdentity
metadata:
  name: kv-reader
  namespace: apps
spec:
  type: 0
  resourceID: /subscriptions/x/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/kv-reader
  clientID: ${CLIENT}
---
apiVersion: aadpodidentity.k8s.io/v1
kind: AzureIdentityBinding
metadata:
  name: kv-reader-binding
  namespace: apps
spec:
  azureIdentity: kv-reader
  selector: kv-reader
`;

test('migrate an aadpodidbinding Deployment: label, serviceAccountName and a new annotated ServiceAccount', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  template:
    metadata:
      labels:
        app: web
        aadpodidbinding: kv-reader # old way
    spec:
      containers:
        - name: main
          image: nginx
`;
  const r = analyzeWith({ 'identity.yaml': podIdentity, 'd.yaml': text }, 'd.yaml');
  const f = only(r, 'podidentity/binding-label')[0];
  assert.equal(f.fixes[0].title, 'Migrate to workload identity (client ID 6f1c…9f01)');
  assert.equal(r.lenses[0].title, 'AAD Pod Identity (deprecated) — Migrate to workload identity');
  const fixed = applyFix(text, f.fixes[0]);
  assert.equal(
    fixed,
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  template:
    metadata:
      labels:
        app: web
        azure.workload.identity/use: "true" # old way
    spec:
      containers:
        - name: main
          image: nginx
      serviceAccountName: web
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: apps
  annotations:
    azure.workload.identity/client-id: "${CLIENT}"
`,
  );
  // The migrated file analyses clean.
  assert.deepEqual(
    analyzeWith({ 'identity.yaml': podIdentity, 'd.yaml': fixed }, 'd.yaml').findings.map((x) => x.rule),
    [],
  );
});

test('migrate without a known AzureIdentity asks for the client ID; an existing ServiceAccount in the file is annotated', () => {
  const text = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
---
apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    aadpodidbinding: unknown
spec:
  serviceAccountName: app
`;
  const f = only(analyzeWith({ 'd.yaml': text }, 'd.yaml'), 'podidentity/binding-label')[0];
  assert.ok(f.fixes[0].input);
  const fixed = applyFix(text, f.fixes[0], CLIENT);
  assert.equal(
    fixed,
    text
      .replace('  name: app\n', `  name: app\n  annotations:\n    azure.workload.identity/client-id: "${CLIENT}"\n`)
      .replace('aadpodidbinding: unknown', 'azure.workload.identity/use: "true"'),
  );
});

test('migrate a pod whose ServiceAccount is defined in another file: that file is annotated too', () => {
  const saText = `# team ServiceAccounts
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app   # used by p
`;
  const pod = `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    aadpodidbinding: unknown
spec:
  serviceAccountName: app
`;
  const files = { 'sa.yaml': saText, 'd.yaml': pod };
  const f = only(analyzeWith(files, 'd.yaml'), 'podidentity/binding-label')[0];
  const fixed = applyFixToFiles(files, 'd.yaml', f.fixes[0], CLIENT);
  assert.equal(fixed['d.yaml'], pod.replace('aadpodidbinding: unknown', 'azure.workload.identity/use: "true"'));
  assert.equal(
    fixed['sa.yaml'],
    saText.replace(
      '  name: app   # used by p\n',
      `  name: app   # used by p\n  annotations:\n    azure.workload.identity/client-id: "${CLIENT}"\n`,
    ),
  );
  assert.deepEqual(
    analyzeWith(fixed, 'd.yaml').findings.map((x) => x.rule),
    [],
    'both files analyse clean',
  );
});

test('client-id on the pod template moves to the ServiceAccount of the same file; another file gets a copy', () => {
  const saText = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: wi-sa\n';
  const deploy = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels:
        azure.workload.identity/use: "true"
      annotations:
        azure.workload.identity/client-id: "${CLIENT}"
        team: a
    spec:
      serviceAccountName: wi-sa
`;
  const same = `${saText}---\n${deploy}`;
  const f = only(analyzeWith({ 'd.yaml': same }, 'd.yaml'), 'wi/client-id-wrong-kind')[0];
  assert.equal(f.fixes[0].title, "Move the client ID to ServiceAccount 'wi-sa'");
  const fixed = applyFix(same, f.fixes[0]);
  assert.equal(
    fixed,
    same
      .replace('  name: wi-sa\n', `  name: wi-sa\n  annotations:\n    azure.workload.identity/client-id: "${CLIENT}"\n`)
      .replace(`        azure.workload.identity/client-id: "${CLIENT}"\n`, ''),
  );
  assert.deepEqual(
    analyzeWith({ 'd.yaml': fixed }, 'd.yaml').findings.map((x) => x.rule),
    [],
  );
  const other = only(analyzeWith({ 'sa.yaml': saText, 'd.yaml': deploy }, 'd.yaml'), 'wi/client-id-wrong-kind')[0];
  assert.equal(other.fixes[0].uri, 'sa.yaml');
  assert.equal(
    applyEdits(saText, other.fixes[0].edits),
    `${saText}  annotations:\n    azure.workload.identity/client-id: "${CLIENT}"\n`,
  );
});

test('after an edit that keeps the ServiceAccounts, fixes from the index use the newest text', () => {
  const a = new Analyzer();
  const saText = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: wi-sa\n';
  const pod =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    azure.workload.identity/use: "true"\nspec:\n  serviceAccountName: wi-sa\n';
  a.indexFile('sa.yaml', saText);
  a.analyze('p.yaml', pod); // builds the lookup tables
  const edited = `# a new first line\n${saText}`;
  a.indexFile('sa.yaml', edited);
  const fix = a.analyze('p.yaml', pod).findings.find((f) => f.rule === 'wi/service-account-not-annotated')?.fixes[0];
  assert.ok(fix?.input);
  assert.equal(
    applyEdits(edited, fix.input.complete(CLIENT)),
    `${edited}  annotations:\n    azure.workload.identity/client-id: "${CLIENT}"\n`,
  );
});
