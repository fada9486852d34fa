import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parse } from 'yaml';
import { Analyzer } from '../../../src/core/analyzer';
import { scanBlockYaml } from '../../../src/core/fastYaml';
import { toJS } from '../../../src/core/yamlModel';
import { CLIENT, sa } from './helpers';

const MANIFESTS = [
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  selector:
    matchLabels:
      azure.workload.identity/use: "true"
  template:
    metadata:
      labels:
        aadpodidbinding: kv
        azure.workload.identity/use: true
      annotations:
        azure.workload.identity/skip-containers: "a;b"
        azure.workload.identity/inject-proxy-sidecar: "false"
        azure.workload.identity/proxy-sidecar-port: "80x"
    spec:
      serviceAccountName: wi-sa
      hostNetwork: true
      containers:
        - name: a
          image: nginx
          command: ["sh", "-c", "echo"]
          args:
            - |
              multi
              line
`,
  `${sa('wi-sa', { extra: '    azure.workload.identity/service-account-token-expiration: "10"\n    eks.amazonaws.com/role-arn: arn:aws:iam::123:role/x' })}---
apiVersion: v1
kind: List
items:
- apiVersion: batch/v1
  kind: CronJob
  spec:
    jobTemplate:
      spec:
        template:
          metadata: {labels: {azure.workload.identity/use: "true"}}
          spec: {serviceAccountName: wi-sa}
- apiVersion: aadpodidentity.k8s.io/v1
  kind: AzureIdentityBinding
  metadata: {name: b}
  spec: {azureIdentity: id, selector: kv}
`,
  `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/x"},
   "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringLike": {"x:sub": "system:serviceaccount:*:wi-sa", "x:aud": "nope"}}}]}`,
];

/** Analyzes and fails the test on any internal error the analyzer would otherwise swallow. */
function analyzeStrict(files: Record<string, string>): void {
  const errors: unknown[] = [];
  const a = new Analyzer({ onError: (e) => errors.push(e) });
  for (const [uri, text] of Object.entries(files)) a.indexFile(uri, text);
  for (const [uri, text] of Object.entries(files)) {
    const r = a.analyze(uri, text);
    for (const f of r.findings) {
      assert.ok(f.range.start.line >= 0 && f.range.start.character >= 0);
      for (const fix of f.fixes) if (fix.input) fix.input.complete(CLIENT);
    }
    for (const l of r.lenses) if (l.fix?.input) l.fix.input.complete(CLIENT);
  }
  if (errors.length) throw errors[0];
}

const mutation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.nat({ max: 20 }) }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom(
        ':',
        '- ',
        '\n',
        '  ',
        '"',
        "'",
        '{',
        '}',
        '[',
        ']',
        '#',
        '&a ',
        '*a',
        '!!str ',
        '|',
        '>',
        '---\n',
        '\t',
        '{{ x }}',
        'true',
        '\r\n',
      ),
    ),
  }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), len: fc.nat({ max: 60 }) }),
);

interface Mutation {
  op: 'delete' | 'insert' | 'duplicate';
  at: number;
  len?: number;
  text?: string;
}

function mutate(text: string, ops: readonly Mutation[]): string {
  let out = text;
  for (const m of ops) {
    const at = out.length ? m.at % out.length : 0;
    if (m.op === 'delete') out = out.slice(0, at) + out.slice(at + (m.len ?? 0));
    else if (m.op === 'insert') out = out.slice(0, at) + (m.text ?? '') + out.slice(at);
    else out = out.slice(0, at) + out.slice(at, at + (m.len ?? 0)) + out.slice(at);
  }
  return out;
}

test('fuzz: mutated manifests never throw, and the fast scanner agrees with yaml whenever it accepts', () => {
  fc.assert(
    fc.property(fc.constantFrom(...MANIFESTS), fc.array(mutation, { minLength: 1, maxLength: 6 }), (base, ops) => {
      const text = mutate(base, ops);
      analyzeStrict({ 'a.yaml': text, 'b.json': text, 'sa.yaml': sa('wi-sa') });
      const scanned = scanBlockYaml(text, true);
      if (scanned) {
        let expected: unknown;
        try {
          expected = parse(text, { uniqueKeys: false });
        } catch {
          return;
        }
        assert.deepEqual(toJS(scanned.root), expected, JSON.stringify(text));
      }
    }),
    { numRuns: 500 },
  );
});

test('fuzz: random text and binary never throw', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
      ),
      (text) => {
        analyzeStrict({ 'x.yaml': text, 'y.yaml': `apiVersion: v1\nkind: Pod\n${text}` });
        scanBlockYaml(text, true);
      },
    ),
    { numRuns: 400 },
  );
});

test('deep nesting, alias bombs, huge files: bounded, no errors', () => {
  const deepFlow = `apiVersion: v1\nkind: Pod\nmetadata: ${'['.repeat(50000)}`;
  const deepBlock = `apiVersion: v1\nkind: Pod\nspec:\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i + 2)}k${i}:`).join('\n')}\n`;
  const deepSeq = `kind: Pod\napiVersion: v1\nx: ${'- '.repeat(20000)}a\n`;
  const laughs = [
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    '  name: lol',
    'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ];
  for (let i = 1; i < 10; i++) {
    laughs.push(
      `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(',')}]`,
    );
  }
  laughs.push('metadata2: *a9');
  const t0 = Date.now();
  for (const text of [deepFlow, deepBlock, deepSeq, laughs.join('\n')]) analyzeStrict({ 'x.yaml': text });
  assert.ok(Date.now() - t0 < 10000, `took ${Date.now() - t0} ms`);

  // 10 MB: beyond the per-file cap, so nothing is reported and little is done.
  const doc = `${sa('wi-sa', { clientId: 'bad' })}---\n`;
  const huge = doc.repeat(Math.ceil(10_500_000 / doc.length));
  const t1 = Date.now();
  const a = new Analyzer();
  a.indexFile('huge.yaml', huge);
  const skipped = a.analyze('huge.yaml', huge);
  assert.deepEqual([skipped.findings, skipped.lenses], [[], []]);
  // It says so, with the sizes, rather than looking clean.
  assert.match(skipped.skipped ?? '', /skipped this file: it has 10,5\d\d,\d{3} characters, more than the 5,000,000/);
  assert.equal(
    new Analyzer().analyze('notes.yaml', `notes: ${'x'.repeat(6_000_000)}\n`).skipped,
    undefined,
    'a huge non-manifest is none of our business',
  );
  assert.ok(Date.now() - t1 < 5000, `10 MB took ${Date.now() - t1} ms`);

  // Under the cap (4 MB, 30,000 documents) it is analysed in full and quickly.
  const big = doc.repeat(Math.floor(4_000_000 / doc.length));
  const t2 = Date.now();
  const r = new Analyzer().analyze('big.yaml', big);
  assert.equal(r.findings.length, Math.floor(4_000_000 / doc.length));
  assert.ok(Date.now() - t2 < 10000, `4 MB took ${Date.now() - t2} ms`);

  // One 1.5 MB document is over the per-document cap: skipped, not parsed.
  const oneDoc = `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n  annotations:\n    azure.workload.identity/client-id: bad\ndata:\n${'  k: v\n'.repeat(220_000)}`;
  assert.deepEqual(new Analyzer().analyze('one.yaml', oneDoc).findings, []);
});
