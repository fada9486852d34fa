// Diagnostics on real fixture files: rule code, severity and the exact text under each squiggle.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describeDiagnostics, diagnosticsWhere, kwi, kwiDiagnostics, open, ruleOf, sleep } from './helpers';
import { log, test } from './runner';

type Expected = readonly [rule: string, line: number, text: string, severity?: 'error' | 'warning' | 'info'];

const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Lines are 0-based, as in the API. The fixtures are ours, so the positions are stable. */
const EXPECTED: Record<string, readonly Expected[]> = {
  'app/deployment-unquoted.yaml': [['wi/use-label-not-true', 14, 'true', 'error']],
  'app/deployment-label-misplaced.yaml': [['wi/use-label-misplaced', 9, 'azure.workload.identity/use', 'error']],
  'app/deployment-label-missing.yaml': [['wi/use-label-missing', 13, 'labels', 'error']],
  'app/cronjob.yaml': [['wi/use-label-misplaced', 13, 'azure.workload.identity/use']],
  'app/list.yaml': [['wi/use-label-missing', 23, 'labels']],
  'app/edge-cases.yaml': [
    ['wi/use-label-misplaced', 11, 'azure.workload.identity/use', 'error'],
    ['wi/use-label-missing', 24, 'Pod', 'error'],
    ['wi/service-account-default', 30, 'spec', 'warning'],
    ['wi/skip-containers-unknown', 44, '"istio-proxy,app"', 'warning'],
    ['wi/proxy-sidecar-invalid', 62, 'azure.workload.identity/inject-proxy-sidecar', 'error'],
    ['wi/token-expiration-invalid', 63, '7200', 'error'],
    ['wi/client-id-wrong-kind', 78, 'azure.workload.identity/use', 'error'],
    ['podidentity/deprecated-resource', 85, 'AzurePodIdentityException', 'warning'],
  ],
  'app/pods.yaml': [
    ['wi/use-label-not-true', 7, '"True"', 'error'],
    ['wi/service-account-default', 22, 'spec', 'warning'],
    ['wi/service-account-not-annotated', 35, 'plain', 'error'],
    ['wi/service-account-not-found', 48, 'batch-runner', 'info'],
    ['wi/token-expiration-invalid', 61, '"100000"', 'error'],
    ['wi/skip-containers-unknown', 62, '"app;sidecar"', 'warning'],
    ['wi/proxy-sidecar-invalid', 63, '"false"', 'warning'],
    ['wi/proxy-sidecar-invalid', 64, '"http"', 'error'],
    ['wi/unknown-key', 65, 'azure.workload.identity/used', 'warning'],
  ],
  'app/serviceaccounts.yaml': [
    ['wi/client-id-invalid', 24, 'id-kv-reader', 'error'],
    ['wi/client-id-invalid', 32, '"${CLIENT_ID}"', 'error'],
    ['wi/tenant-id-invalid', 33, '"contoso.onmicrosoft.com"', 'error'],
    ['wi/unknown-key', 41, 'azure.workload.identity/client_id', 'warning'],
    ['wi/token-expiration-invalid', 50, '"600"', 'error'],
  ],
  'app/wrong-kind.yaml': [
    ['wi/client-id-wrong-kind', 7, 'azure.workload.identity/client-id', 'error'],
    ['wi/client-id-wrong-kind', 27, 'azure.workload.identity/client-id', 'error'],
  ],
  'podidentity/azureidentity.yaml': [
    ['podidentity/deprecated-resource', 2, 'AzureIdentity', 'warning'],
    ['podidentity/deprecated-resource', 12, 'AzureIdentityBinding', 'warning'],
  ],
  'podidentity/legacy-app.yaml': [['podidentity/binding-label', 15, 'aadpodidbinding', 'warning']],
  'irsa/serviceaccounts.yaml': [['irsa/role-arn-invalid', 15, 'arn:aws:iam::1111222233:role/s3-writer', 'error']],
  'irsa/trust-policy-mismatch.json': [
    ['irsa/trust-policy-mismatch', 11, 'system:serviceaccount:data:s3-writer', 'warning'],
    ['irsa/trust-policy-mismatch', 12, 'sts.amazon.com', 'warning'],
  ],
};

/** Correct manifests, a correct trust policy, a Helm template and a CI workflow: nothing to report. */
const CLEAN = [
  'app/deployment-ready.yaml',
  'irsa/trust-policy.json',
  'helm/kv-app/templates/deployment.yaml',
  'helm/kv-app/values.yaml',
  '.github/workflows/lint.yaml',
];

for (const [file, expected] of Object.entries(EXPECTED)) {
  const rules = [...new Set(expected.map((e) => e[0]))].join(', ');
  test(`diagnostics: ${file} → ${rules}`, async () => {
    await (await kwi()).whenIndexed();
    const { document } = await open(file);
    const ds = await diagnosticsWhere(
      document.uri,
      (all) => all.length >= expected.length,
      `${expected.length} diagnostics`,
    );
    const actual = ds
      .map((d) => `${ruleOf(d)}@${d.range.start.line} ${JSON.stringify(document.getText(d.range))}`)
      .sort();
    const wanted = expected.map(([rule, line, text]) => `${rule}@${line} ${JSON.stringify(text)}`).sort();
    assert.deepEqual(actual, wanted, `diagnostics of ${file}: ${describeDiagnostics(ds)}`);
    for (const [rule, line, , severity] of expected) {
      if (!severity) continue;
      const d = ds.find((x) => ruleOf(x) === rule && x.range.start.line === line)!;
      assert.equal(d.severity, SEVERITY[severity], `${rule}@${line} severity`);
      assert.equal(d.source, 'kwi');
      assert.ok(d.message.length > 10, 'a message that explains');
    }
  });
}

test('diagnostics: correct manifests, a correct trust policy, Helm templates and CI workflows report nothing', async () => {
  await (await kwi()).whenIndexed();
  for (const file of CLEAN) {
    const { document } = await open(file);
    await sleep(150); // an analysis would have published by now: it runs on open, synchronously
    assert.deepEqual(kwiDiagnostics(document.uri).map(ruleOf), [], file);
  }
});

test("diagnostics: the code links to the rule's own help page, and not-found names the other namespace", async () => {
  await (await kwi()).whenIndexed();
  const { document } = await open('app/pods.yaml');
  const ds = await diagnosticsWhere(
    document.uri,
    (all) => all.some((d) => ruleOf(d) === 'wi/service-account-not-found'),
    'not-found',
  );
  const d = ds.find((x) => ruleOf(x) === 'wi/service-account-not-found')!;
  const code = d.code as { value: string; target: vscode.Uri };
  assert.equal(code.value, 'wi/service-account-not-found');
  assert.equal(code.target.toString(), 'kwi-rule:/wi/service-account-not-found.md');
  assert.match(d.message, /namespace jobs/);
  // Where it is, as a short path: no file:// URI in the message.
  assert.match(d.message, /\(app\/[\w.-]+\.yaml\)/);
  assert.doesNotMatch(d.message, /file:/);
});

test('diagnostics: a keystroke updates them at once (no debounce), and a suppression comment silences a rule', async () => {
  const editor = await open('app/deployment-unquoted.yaml');
  const { document } = editor;
  await diagnosticsWhere(document.uri, (ds) => ds.length === 1, 'the unquoted-true finding');
  // Type the quotes one keystroke at a time, as a person would.
  const line = 14;
  const value = document.lineAt(line).text.indexOf('true');
  await editor.edit((b) => b.insert(new vscode.Position(line, value), '"'));
  const started = Date.now();
  await editor.edit((b) => b.insert(new vscode.Position(line, value + 5), '"'));
  await diagnosticsWhere(document.uri, (ds) => ds.length === 0, 'no finding after quoting');
  log(
    `    diagnostics updated ${Date.now() - started} ms after the keystroke (edit round trip + analysis + 40 ms polling)`,
  );
  await editor.edit((b) => b.replace(new vscode.Range(line, value, line, value + 6), 'true'));
  await diagnosticsWhere(document.uri, (ds) => ds.length === 1, 'the finding back after undoing by hand');
  await editor.edit((b) =>
    b.insert(new vscode.Position(line, 0), '        # kwi-disable-next-line wi/use-label-not-true\n'),
  );
  await diagnosticsWhere(document.uri, (ds) => ds.length === 0, 'suppressed by kwi-disable-next-line');
});
