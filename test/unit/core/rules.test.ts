import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeWith, CLIENT, covered, only, rules, sa } from './helpers';

const deployment = (
  opts: {
    templateLabels?: string;
    meta?: string;
    spec?: string;
    annotations?: string;
    selector?: string;
    ns?: string;
  } = {},
): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web${opts.ns ? `\n  namespace: ${opts.ns}` : ''}${opts.meta ?? ''}
spec:
  selector:
    matchLabels:
      app: web${opts.selector ?? ''}
  template:
    metadata:
      labels:
        app: web${opts.templateLabels ?? ''}${opts.annotations ? `\n      annotations:${opts.annotations}` : ''}
    spec:${opts.spec ?? '\n      serviceAccountName: wi-sa'}
      containers:
        - name: main
          image: nginx
        - name: sidecar
          image: envoy
`;
const LABEL = '\n        azure.workload.identity/use: "true"';

test('wi/use-label-missing: the resolved ServiceAccount has a client ID but the template has no label', () => {
  const text = deployment();
  const r = analyzeWith({ 'sa.yaml': sa('wi-sa'), 'd.yaml': text }, 'd.yaml');
  const f = only(r, 'wi/use-label-missing');
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'error');
  assert.equal(covered(text, f[0]), 'labels');
  assert.deepEqual(f[0].range, { start: { line: 10, character: 6 }, end: { line: 10, character: 12 } });
  assert.match(f[0].message, /wi-sa/);
});

test('wi/use-label-missing: not reported when the ServiceAccount is not annotated, or the label is there', () => {
  assert.deepEqual(
    rules(analyzeWith({ 'sa.yaml': sa('wi-sa', { clientId: null }), 'd.yaml': deployment() }, 'd.yaml')),
    [],
  );
  assert.deepEqual(
    rules(analyzeWith({ 'sa.yaml': sa('wi-sa'), 'd.yaml': deployment({ templateLabels: LABEL }) }, 'd.yaml')),
    [],
  );
});

test('wi/use-label-missing: pod annotations of workload identity without the label', () => {
  const text = deployment({ annotations: '\n        azure.workload.identity/skip-containers: sidecar' });
  const r = analyzeWith({ 'sa.yaml': sa('wi-sa', { clientId: null }), 'd.yaml': text }, 'd.yaml');
  assert.equal(only(r, 'wi/use-label-missing').length, 1);
});

test('wi/use-label-missing: resolution is by namespace; a missing namespace means default on both sides', () => {
  const files = { 'sa.yaml': sa('wi-sa', { ns: 'team-a' }), 'd.yaml': deployment() };
  assert.equal(only(analyzeWith(files, 'd.yaml'), 'wi/use-label-missing').length, 0);
  const files2 = { 'sa.yaml': sa('wi-sa', { ns: 'default' }), 'd.yaml': deployment() };
  assert.equal(only(analyzeWith(files2, 'd.yaml'), 'wi/use-label-missing').length, 1);
  const files3 = { 'sa.yaml': sa('wi-sa'), 'd.yaml': deployment({ ns: 'default' }) };
  assert.equal(only(analyzeWith(files3, 'd.yaml'), 'wi/use-label-missing').length, 1);
});

test('wi/use-label-misplaced: on the Deployment metadata, in template annotations, only in the selector', () => {
  const onMeta = deployment({ meta: '\n  labels:\n    azure.workload.identity/use: "true"' });
  let r = analyzeWith({ 'sa.yaml': sa('wi-sa'), 'd.yaml': onMeta }, 'd.yaml');
  let f = only(r, 'wi/use-label-misplaced');
  assert.equal(f.length, 1);
  assert.equal(covered(onMeta, f[0]), 'azure.workload.identity/use');
  assert.equal(f[0].range.start.line, 5);
  assert.match(f[0].message, /Deployment/);
  assert.equal(only(r, 'wi/use-label-missing').length, 0);

  const inAnnotations = deployment({ annotations: '\n        azure.workload.identity/use: "true"' });
  r = analyzeWith({ 'sa.yaml': sa('wi-sa'), 'd.yaml': inAnnotations }, 'd.yaml');
  f = only(r, 'wi/use-label-misplaced');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /label, not an annotation/);

  const inSelector = deployment({ selector: '\n      azure.workload.identity/use: "true"' });
  r = analyzeWith({ 'sa.yaml': sa('wi-sa'), 'd.yaml': inSelector }, 'd.yaml');
  f = only(r, 'wi/use-label-misplaced');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /selector/);
});

test('wi/use-label-misplaced: not reported when the template also has the label', () => {
  const text = deployment({ meta: '\n  labels:\n    azure.workload.identity/use: "true"', templateLabels: LABEL });
  assert.deepEqual(rules(analyzeWith({ 'sa.yaml': sa('wi-sa'), 'd.yaml': text }, 'd.yaml')), []);
});

test('wi/use-label-not-true: unquoted boolean, "True", yes; quoted "true" and \'true\' pass', () => {
  for (const [value, re] of [
    ['true', /YAML boolean/],
    ['"True"', /"True"/],
    ['yes', /YAML 1\.1 boolean/],
    ['"yes"', /"yes"/],
    ['"1"', /"1"/],
  ] as const) {
    const text = deployment({ templateLabels: `\n        azure.workload.identity/use: ${value}` });
    const f = only(analyzeWith({ 'sa.yaml': sa('wi-sa'), 'd.yaml': text }, 'd.yaml'), 'wi/use-label-not-true');
    assert.equal(f.length, 1, value);
    assert.equal(covered(text, f[0]), value);
    assert.match(f[0].message, re);
  }
  for (const value of ['"true"', "'true'"]) {
    const text = deployment({ templateLabels: `\n        azure.workload.identity/use: ${value}` });
    assert.deepEqual(rules(analyzeWith({ 'sa.yaml': sa('wi-sa'), 'd.yaml': text }, 'd.yaml')), [], value);
  }
});

test('wi/service-account-default: no serviceAccountName, or default', () => {
  let text = deployment({ templateLabels: LABEL, spec: '' });
  let f = only(analyzeWith({ 'd.yaml': text }, 'd.yaml'), 'wi/service-account-default');
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'warning');
  assert.equal(covered(text, f[0]), 'spec');
  assert.equal(f[0].range.start.line, 13);
  text = deployment({ templateLabels: LABEL, spec: '\n      serviceAccountName: default' });
  f = only(analyzeWith({ 'd.yaml': text }, 'd.yaml'), 'wi/service-account-default');
  assert.equal(f.length, 1);
  assert.equal(covered(text, f[0]), 'default');
  // Negative: unlabelled pods may use the default ServiceAccount.
  assert.deepEqual(rules(analyzeWith({ 'd.yaml': deployment({ spec: '' }) }, 'd.yaml')), []);
});

test('wi/service-account-default: suggests the ServiceAccount named like the workload first, then by name', () => {
  const text = deployment({ templateLabels: LABEL, spec: '' });
  const sas = ['zeta', 'web', 'alpha', 'mid'].map((n) => sa(n)).join('---\n');
  const f = only(analyzeWith({ 'sa.yaml': sas, 'd.yaml': text }, 'd.yaml'), 'wi/service-account-default');
  assert.deepEqual(
    f[0].fixes.map((x) => x.title),
    ['Set serviceAccountName: web', 'Set serviceAccountName: alpha', 'Set serviceAccountName: mid'],
  );
  assert.equal(f[0].fixes[0].isPreferred, true);
});

test('wi/service-account-not-annotated: the resolved ServiceAccount lacks the client-id annotation', () => {
  const text = deployment({ templateLabels: LABEL });
  const f = only(
    analyzeWith({ 'sa.yaml': sa('wi-sa', { clientId: null }), 'd.yaml': text }, 'd.yaml'),
    'wi/service-account-not-annotated',
  );
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'error');
  assert.equal(covered(text, f[0]), 'wi-sa');
  assert.ok(f[0].fixes[0].input, 'the fix asks for the client ID');
  assert.equal(f[0].fixes[0].uri, 'sa.yaml', 'the fix edits the file that defines the ServiceAccount');
});

test('wi/service-account-not-found: info, and where one of that name exists', () => {
  const text = deployment({ templateLabels: LABEL });
  let f = only(analyzeWith({ 'd.yaml': text }, 'd.yaml'), 'wi/service-account-not-found');
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'info');
  assert.equal(covered(text, f[0]), 'wi-sa');
  f = only(
    analyzeWith({ 'sa.yaml': sa('wi-sa', { ns: 'team-a' }), 'd.yaml': text }, 'd.yaml'),
    'wi/service-account-not-found',
  );
  assert.equal(f.length, 1);
  assert.match(f[0].message, /namespace team-a \(sa\.yaml\)/);
  f = only(
    analyzeWith({ 'file:///home/me/repo/team%20a/sa.yaml': sa('wi-sa', { ns: 'team-a' }), 'd.yaml': text }, 'd.yaml'),
    'wi/service-account-not-found',
  );
  assert.match(f[0].message, /\(team a\/sa\.yaml\)/, 'a URI is shown as its folder and file name, decoded');
  assert.equal(
    only(analyzeWith({ 'sa.yaml': sa('wi-sa'), 'd.yaml': text }, 'd.yaml'), 'wi/service-account-not-found').length,
    0,
  );
});

test('the ServiceAccount in the same file resolves too', () => {
  const text = `${sa('wi-sa')}---\n${deployment({ templateLabels: LABEL })}`;
  assert.deepEqual(rules(analyzeWith({ 'd.yaml': text }, 'd.yaml')), []);
});

test('wi/client-id-invalid and wi/tenant-id-invalid', () => {
  const bad = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: wi-sa
  annotations:
    azure.workload.identity/client-id: my-identity
    azure.workload.identity/tenant-id: "\${TENANT_ID}"
`;
  const r = analyzeWith({ 'sa.yaml': bad }, 'sa.yaml');
  const c = only(r, 'wi/client-id-invalid');
  assert.equal(c.length, 1);
  assert.equal(covered(bad, c[0]), 'my-identity');
  const t = only(r, 'wi/tenant-id-invalid');
  assert.equal(t.length, 1);
  assert.equal(covered(bad, t[0]), '"${TENANT_ID}"');
  const variable = bad.replace('my-identity', '${CLIENT_ID}');
  assert.match(
    only(analyzeWith({ 'sa.yaml': variable }, 'sa.yaml'), 'wi/client-id-invalid')[0].message,
    /unexpanded variable/,
  );
  const good = sa('wi-sa', { extra: '    azure.workload.identity/tenant-id: 72f988bf-86f1-41af-91ab-2d7cd011db47' });
  assert.deepEqual(rules(analyzeWith({ 'sa.yaml': good }, 'sa.yaml')), []);
});

test('wi/unknown-key: misspellings get the nearest real key and a rename fix', () => {
  const text = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: wi-sa
  annotations:
    azure.workload.identity/client_id: "${CLIENT}"
    azure.workload.identity/clientId: "${CLIENT}"
    azure.workload.identity/zzzzzzzzzzzzzzzz: x
`;
  const f = only(analyzeWith({ 'sa.yaml': text }, 'sa.yaml'), 'wi/unknown-key');
  assert.equal(f.length, 3);
  assert.equal(f[0].severity, 'warning');
  assert.equal(covered(text, f[0]), 'azure.workload.identity/client_id');
  assert.match(f[0].message, /Did you mean 'azure\.workload\.identity\/client-id'/);
  assert.match(f[1].message, /client-id/);
  assert.equal(f[2].fixes.length, 0, 'no suggestion for a key far from every real one');
  const used = deployment({ templateLabels: '\n        azure.workload.identity/used: "true"' });
  const u = only(analyzeWith({ 'd.yaml': used }, 'd.yaml'), 'wi/unknown-key');
  assert.equal(u.length, 1);
  assert.match(u[0].message, /azure\.workload\.identity\/use'/);
});

test('wi/token-expiration-invalid: integer 3600–86400, as a string', () => {
  const make = (v: string): string =>
    sa('wi-sa', { extra: `    azure.workload.identity/service-account-token-expiration: ${v}` });
  for (const v of ['"3599"', '"86401"', '"1h"', '"-3600"', '""']) {
    const f = only(analyzeWith({ 's.yaml': make(v) }, 's.yaml'), 'wi/token-expiration-invalid');
    assert.equal(f.length, 1, v);
    assert.equal(covered(make(v), f[0]), v);
  }
  for (const v of ['"3600"', '"86400"', "'7200'"]) {
    assert.deepEqual(rules(analyzeWith({ 's.yaml': make(v) }, 's.yaml')), [], v);
  }
  const unquoted = only(analyzeWith({ 's.yaml': make('3600') }, 's.yaml'), 'wi/token-expiration-invalid');
  assert.equal(unquoted.length, 1);
  assert.match(unquoted[0].message, /must be strings/);
});

test('wi/skip-containers-unknown: semicolon-separated names must be containers of the pod', () => {
  const make = (v: string): string =>
    deployment({ templateLabels: LABEL, annotations: `\n        azure.workload.identity/skip-containers: ${v}` });
  const files = (v: string): Record<string, string> => ({ 'sa.yaml': sa('wi-sa'), 'd.yaml': make(v) });
  let f = only(analyzeWith(files('"sidecar;ghost"'), 'd.yaml'), 'wi/skip-containers-unknown');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /'ghost'/);
  f = only(analyzeWith(files('main,sidecar'), 'd.yaml'), 'wi/skip-containers-unknown');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /semicolons/);
  assert.deepEqual(rules(analyzeWith(files('main;sidecar'), 'd.yaml')), []);
  assert.deepEqual(rules(analyzeWith(files('sidecar'), 'd.yaml')), []);
});

test('wi/proxy-sidecar-invalid: port, "false" still injects, hostNetwork', () => {
  const make = (ann: string, spec = '\n      serviceAccountName: wi-sa'): Record<string, string> => ({
    'sa.yaml': sa('wi-sa'),
    'd.yaml': deployment({ templateLabels: LABEL, annotations: ann, spec }),
  });
  let f = only(
    analyzeWith(make('\n        azure.workload.identity/proxy-sidecar-port: "70000"'), 'd.yaml'),
    'wi/proxy-sidecar-invalid',
  );
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'error');
  f = only(
    analyzeWith(make('\n        azure.workload.identity/inject-proxy-sidecar: "false"'), 'd.yaml'),
    'wi/proxy-sidecar-invalid',
  );
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'warning');
  assert.match(f[0].message, /still injects/);
  f = only(
    analyzeWith(
      make(
        '\n        azure.workload.identity/inject-proxy-sidecar: "true"',
        '\n      serviceAccountName: wi-sa\n      hostNetwork: true',
      ),
      'd.yaml',
    ),
    'wi/proxy-sidecar-invalid',
  );
  assert.equal(f.length, 1);
  assert.match(f[0].message, /hostNetwork/);
  assert.deepEqual(
    rules(
      analyzeWith(
        make(
          '\n        azure.workload.identity/inject-proxy-sidecar: "true"\n        azure.workload.identity/proxy-sidecar-port: "8000"',
        ),
        'd.yaml',
      ),
    ),
    [],
  );
});

test('wi/client-id-wrong-kind: client-id on a Deployment, a pod template, a Service; as a label', () => {
  const onDeployment = deployment({
    templateLabels: LABEL,
    meta: `\n  annotations:\n    azure.workload.identity/client-id: "${CLIENT}"`,
  });
  let f = only(analyzeWith({ 'sa.yaml': sa('wi-sa'), 'd.yaml': onDeployment }, 'd.yaml'), 'wi/client-id-wrong-kind');
  assert.equal(f.length, 1);
  assert.equal(covered(onDeployment, f[0]), 'azure.workload.identity/client-id');
  assert.match(f[0].message, /Deployment/);
  const onTemplate = deployment({
    templateLabels: LABEL,
    annotations: `\n        azure.workload.identity/client-id: "${CLIENT}"`,
  });
  f = only(analyzeWith({ 'sa.yaml': sa('wi-sa'), 'd.yaml': onTemplate }, 'd.yaml'), 'wi/client-id-wrong-kind');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /pod template/);
  const service = `apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n    azure.workload.identity/client-id: "${CLIENT}"\n`;
  assert.equal(only(analyzeWith({ 's.yaml': service }, 's.yaml'), 'wi/client-id-wrong-kind').length, 1);
  const asLabel = `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: s\n  labels:\n    azure.workload.identity/client-id: "${CLIENT}"\n`;
  f = only(analyzeWith({ 's.yaml': asLabel }, 's.yaml'), 'wi/client-id-wrong-kind');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /annotation, not a label/);
  const skipOnSa = sa('wi-sa', { extra: '    azure.workload.identity/skip-containers: main' });
  assert.equal(only(analyzeWith({ 's.yaml': skipOnSa }, 's.yaml'), 'wi/client-id-wrong-kind').length, 1);
  assert.deepEqual(rules(analyzeWith({ 's.yaml': sa('wi-sa') }, 's.yaml')), []);
});

test('podidentity/binding-label and podidentity/deprecated-resource', () => {
  const pod = `apiVersion: v1
kind: Pod
metadata:
  name: legacy
  labels:
    aadpodidbinding: my-binding
spec:
  containers:
    - name: main
      image: nginx
`;
  const f = only(analyzeWith({ 'p.yaml': pod }, 'p.yaml'), 'podidentity/binding-label');
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'warning');
  assert.equal(covered(pod, f[0]), 'aadpodidbinding');
  const identity = `apiVersion: aadpodidentity.k8s.io/v1
kind: AzureIdentity
metadata:
  name: id
spec:
  type: 0
  clientID: ${CLIENT}
---
apiVersion: aadpodidentity.k8s.io/v1
kind: AzureIdentityBinding
metadata:
  name: b
spec:
  azureIdentity: id
  selector: my-binding
`;
  const d = only(analyzeWith({ 'i.yaml': identity }, 'i.yaml'), 'podidentity/deprecated-resource');
  assert.equal(d.length, 2);
  assert.equal(covered(identity, d[0]), 'AzureIdentity');
  assert.equal(d[1].range.start.line, 9);
  assert.deepEqual(rules(analyzeWith({ 'p.yaml': pod.replace('aadpodidbinding', 'app') }, 'p.yaml')), []);
});

test('irsa/role-arn-invalid', () => {
  const make = (arn: string): string =>
    `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: s3\n  annotations:\n    eks.amazonaws.com/role-arn: ${arn}\n`;
  for (const bad of [
    'arn:aws:iam::12345:role/x',
    'arn:aws:iam::123456789012:user/x',
    'my-role',
    'arn:aws:s3:::bucket',
  ]) {
    const f = only(analyzeWith({ 's.yaml': make(bad) }, 's.yaml'), 'irsa/role-arn-invalid');
    assert.equal(f.length, 1, bad);
    assert.equal(covered(make(bad), f[0]), bad);
  }
  for (const good of [
    'arn:aws:iam::123456789012:role/s3-reader',
    'arn:aws-cn:iam::123456789012:role/path/to/role',
    'arn:aws-us-gov:iam::123456789012:role/r',
  ]) {
    assert.deepEqual(rules(analyzeWith({ 's.yaml': make(good) }, 's.yaml')), [], good);
  }
});

const policy = (sub: string, aud = 'sts.amazonaws.com'): string =>
  JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              'oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub': sub,
              'oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud': aud,
            },
          },
        },
      ],
    },
    null,
    2,
  );
const irsaSa = (arn?: string): string =>
  `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: s3\n  namespace: apps\n${arn ? `  annotations:\n    eks.amazonaws.com/role-arn: ${arn}\n` : ''}`;

test('irsa/trust-policy-mismatch: sub names a missing or unannotated ServiceAccount; aud', () => {
  const text = policy('system:serviceaccount:apps:s3');
  let f = only(analyzeWith({ 'p.json': text }, 'p.json'), 'irsa/trust-policy-mismatch');
  assert.equal(f.length, 1);
  assert.equal(covered(text, f[0]), 'system:serviceaccount:apps:s3');
  assert.match(f[0].message, /defined nowhere/);
  f = only(analyzeWith({ 'sa.yaml': irsaSa(), 'p.json': text }, 'p.json'), 'irsa/trust-policy-mismatch');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /no eks\.amazonaws\.com\/role-arn/);
  f = only(
    analyzeWith({ 'sa.yaml': irsaSa('arn:aws:iam::999999999999:role/r'), 'p.json': text }, 'p.json'),
    'irsa/trust-policy-mismatch',
  );
  assert.equal(f.length, 1);
  assert.match(f[0].message, /account 999999999999/);
  assert.deepEqual(
    rules(analyzeWith({ 'sa.yaml': irsaSa('arn:aws:iam::123456789012:role/r'), 'p.json': text }, 'p.json')),
    [],
  );
  const aud = policy('system:serviceaccount:apps:s3', 'sts.amazonaws.com/');
  f = only(
    analyzeWith({ 'sa.yaml': irsaSa('arn:aws:iam::123456789012:role/r'), 'p.json': aud }, 'p.json'),
    'irsa/trust-policy-mismatch',
  );
  assert.equal(f.length, 1);
  assert.equal(covered(aud, f[0]), 'sts.amazonaws.com/');
});

test('every pod-template kind is recognised: Pod, workloads, CronJob, List items', () => {
  const labelled = (kind: string, path: 'pod' | 'template' | 'cron'): string => {
    const podMeta = (indent: string): string =>
      `${indent}metadata:\n${indent}  labels:\n${indent}    azure.workload.identity/use: true\n${indent}spec:\n${indent}  containers: [{name: a, image: b}]\n`;
    if (path === 'pod') return `apiVersion: v1\nkind: ${kind}\n${podMeta('')}`;
    if (path === 'template') {
      return `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: x\nspec:\n  template:\n${podMeta('    ')}`;
    }
    return `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: x\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n${podMeta('        ')}`;
  };
  const cases: Array<[string, 'pod' | 'template' | 'cron']> = [
    ['Pod', 'pod'],
    ['Deployment', 'template'],
    ['StatefulSet', 'template'],
    ['DaemonSet', 'template'],
    ['ReplicaSet', 'template'],
    ['Job', 'template'],
    ['CronJob', 'cron'],
  ];
  for (const [kind, path] of cases) {
    const r = analyzeWith({ 'x.yaml': labelled(kind, path) }, 'x.yaml');
    assert.equal(only(r, 'wi/use-label-not-true').length, 1, kind);
    assert.equal(r.lenses.filter((l) => l.kind === 'podTemplate').length, 1, kind);
  }
  const list = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata:\n      labels:\n        azure.workload.identity/use: true\n    spec:\n      serviceAccountName: a\n  - apiVersion: v1\n    kind: ServiceAccount\n    metadata:\n      name: a\n`;
  const r = analyzeWith({ 'l.yaml': list }, 'l.yaml');
  assert.equal(only(r, 'wi/use-label-not-true').length, 1);
  assert.equal(only(r, 'wi/service-account-not-annotated').length, 1);
  assert.equal(r.lenses.length, 2);
  // A Service has no pod template: no lens.
  assert.equal(
    analyzeWith({ 's.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n' }, 's.yaml').lenses.length,
    0,
  );
});
