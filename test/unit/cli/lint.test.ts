import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { runLint } from '../../../src/cli/lint';
import type { LintResult } from '../../../src/cli/lintResult';
import { RULES } from '../../../src/core/ruleCatalog';

const ROOT = path.resolve(__dirname, '../../../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/lint');
const rel = (p: string): string => path.relative(process.cwd(), path.join(FIXTURES, p)).split(path.sep).join('/');

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

async function lint(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  const out = new Sink();
  const err = new Sink();
  const code = await runLint(args, out, err, env);
  return { code, out: out.text, err: err.text };
}

test('json: array of {file, rule, severity, message, range}; cross-file; silent on Helm, workflows, package.json', async () => {
  const { code, out, err } = await lint(['--format', 'json', path.join(FIXTURES, 'workspace')]);
  assert.equal(err, '');
  assert.equal(code, 1, 'an error-severity finding exists');
  const results = JSON.parse(out) as LintResult[];
  assert.deepEqual(
    results.map((r) => [r.file, r.rule, r.severity]),
    [
      [rel('workspace/apps/web.yaml'), 'wi/use-label-missing', 'error'],
      [rel('workspace/iam/s3-reader-trust.json'), 'irsa/trust-policy-mismatch', 'warning'],
    ],
  );
  assert.deepEqual(results[0].range, { start: { line: 11, character: 6 }, end: { line: 11, character: 12 } });
  assert.deepEqual(Object.keys(results[0]).sort(), ['file', 'message', 'range', 'rule', 'severity']);
  assert.match(results[1].message, /apps\/s3-reader/);
  assert.equal(results[1].range.start.line, 9);
});

test('exit 0 without errors; text format lists findings 1-based and a summary', async () => {
  const { code, out } = await lint([path.join(FIXTURES, 'clean/ok.yaml')]);
  assert.equal(code, 0, 'only an info finding');
  assert.match(out, new RegExp(`^${rel('clean/ok.yaml')}:27:23: info wi/service-account-not-found: `, 'm'));
  assert.match(out, /1 problem\(s\) in 1 file\(s\): 0 error\(s\), 0 warning\(s\), 1 info\n$/);
});

test('exit 2 for bad usage and unreadable paths, with a message on stderr', async () => {
  for (const args of [[], ['--format', 'xml', 'x'], ['--bogus', 'x'], ['--format']]) {
    const r = await lint(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, /kwi lint: .*\nUsage: kwi lint/);
    assert.equal(r.out, '');
  }
  const missing = await lint([path.join(FIXTURES, 'does-not-exist.yaml')]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /cannot read .*does-not-exist\.yaml: ENOENT/);
});

test('sarif: 2.1.0 with rule metadata and help, results pointing at rules, 1-based regions, relative uris', async () => {
  const { code, out } = await lint(['--format=sarif', path.join(FIXTURES, 'workspace')]);
  assert.equal(code, 1);
  const sarif = JSON.parse(out);
  assert.equal(sarif.version, '2.1.0');
  assert.match(sarif.$schema, /sarif-2\.1\.0/);
  const run = sarif.runs[0];
  const driver = run.tool.driver;
  assert.equal(driver.name, 'kwi');
  assert.match(driver.informationUri, /^https:\/\//);
  assert.match(driver.version, /^\d+\.\d+\.\d+/);
  assert.equal(driver.rules.length, RULES.length);
  for (const rule of driver.rules) {
    assert.ok(rule.id && rule.name && rule.shortDescription.text && rule.fullDescription.text, rule.id);
    assert.ok(rule.help.text && rule.help.markdown, rule.id);
    assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level), rule.id);
    assert.ok(Array.isArray(rule.properties.tags), rule.id);
  }
  assert.equal(run.results.length, 2);
  const [first] = run.results;
  assert.equal(driver.rules[first.ruleIndex].id, first.ruleId);
  assert.equal(first.ruleId, 'wi/use-label-missing');
  assert.equal(first.level, 'error');
  assert.ok(first.message.text.length > 0);
  const loc = first.locations[0].physicalLocation;
  assert.equal(loc.artifactLocation.uri, rel('workspace/apps/web.yaml'));
  assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
  assert.deepEqual(loc.region, { startLine: 12, startColumn: 7, endLine: 12, endColumn: 13 });
  assert.equal(run.results[1].level, 'warning');
});

test('Korean messages with --locale ko or LANG=ko_KR.UTF-8', async () => {
  const viaFlag = JSON.parse(
    (await lint(['--format', 'json', '--locale', 'ko', path.join(FIXTURES, 'workspace/apps')])).out,
  ) as LintResult[];
  assert.match(viaFlag[0].message, /레이블/);
  const viaEnv = JSON.parse(
    (await lint(['--format', 'json', path.join(FIXTURES, 'workspace/apps')], { LANG: 'ko_KR.UTF-8' })).out,
  ) as LintResult[];
  assert.equal(viaEnv[0].message, viaFlag[0].message);
  const english = JSON.parse(
    (await lint(['--format', 'json', path.join(FIXTURES, 'workspace/apps')], { LANG: 'en_US.UTF-8' })).out,
  ) as LintResult[];
  assert.match(english[0].message, /lacks the label/);
});

test('the built entry point: `node out/src/cli/main.js lint` exits 1 and prints JSON', () => {
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'out/src/cli/main.js'), 'lint', '--format', 'json', 'test/fixtures/lint/workspace'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  assert.equal(r.status, 1, r.stderr);
  const results = JSON.parse(r.stdout) as LintResult[];
  assert.equal(results[0].file, 'test/fixtures/lint/workspace/apps/web.yaml');
  const clean = spawnSync(
    process.execPath,
    [path.join(ROOT, 'out/src/cli/main.js'), 'lint', 'test/fixtures/lint/clean'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  assert.equal(clean.status, 0, clean.stderr);
  const bad = spawnSync(process.execPath, [path.join(ROOT, 'out/src/cli/main.js'), 'lint'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /no PATH given/);
});

test('every rule of the catalog fires on the all-rules fixture, with its default severity', async () => {
  const { code, out } = await lint(['--format', 'json', path.join(FIXTURES, 'all-rules')]);
  assert.equal(code, 1);
  const results = JSON.parse(out) as LintResult[];
  const fired = new Set(results.map((r) => r.rule));
  for (const rule of RULES) assert.ok(fired.has(rule.id), `${rule.id} did not fire`);
  for (const r of results) {
    const info = RULES.find((x) => x.id === r.rule);
    assert.ok(info, r.rule);
    // wi/proxy-sidecar-invalid has a warning form; every other rule reports its default severity.
    if (r.rule !== 'wi/proxy-sidecar-invalid') assert.equal(r.severity, info.severity, r.rule);
  }
});

test('folders: recurses into *.yaml/*.yml, skips node_modules and .git', async () => {
  // Built at run time: .gitignore would keep a node_modules fixture out of the repository.
  const dir = mkdtempSync(path.join(tmpdir(), 'kwi-lint-'));
  try {
    const bad =
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n  annotations:\n    azure.workload.identity/client-id: nope\n';
    for (const sub of ['node_modules/pkg', '.git/refs', 'deep/er']) mkdirSync(path.join(dir, sub), { recursive: true });
    writeFileSync(path.join(dir, 'node_modules/pkg/sa.yaml'), bad);
    writeFileSync(path.join(dir, '.git/refs/sa.yml'), bad);
    writeFileSync(path.join(dir, 'deep/er/sa.yml'), bad);
    writeFileSync(path.join(dir, 'deep/notes.txt'), bad);
    const { code, out } = await lint(['--format', 'json', dir]);
    assert.equal(code, 1);
    const results = JSON.parse(out) as LintResult[];
    assert.deepEqual(
      results.map((r) => [path.basename(path.dirname(r.file)), r.rule]),
      [['er', 'wi/client-id-invalid']],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file over the size limit is named on stderr, and the others are still linted', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kwi-lint-'));
  try {
    const bad =
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n  annotations:\n    azure.workload.identity/client-id: nope\n';
    writeFileSync(path.join(dir, 'huge.yaml'), `${bad}---\n`.repeat(Math.ceil(6_000_000 / (bad.length + 4))));
    writeFileSync(path.join(dir, 'small.yaml'), bad);
    const { code, out, err } = await lint(['--format', 'json', dir]);
    assert.match(err, /huge\.yaml: Workload identity analysis skipped this file/);
    assert.doesNotMatch(err, /small\.yaml/);
    assert.equal(code, 1);
    assert.deepEqual(
      (JSON.parse(out) as LintResult[]).map((r) => [path.basename(r.file), r.rule]),
      [['small.yaml', 'wi/client-id-invalid']],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--fix writes the mechanical fixes in place, keeps comments, and reports what is left', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kwi-lint-'));
  try {
    const saText =
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n    azure.workload.identity/client-id: "6f1c2a4e-1234-4bcd-9ef0-0123456f9f01"\n';
    const pod = [
      '# the app pod',
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      '  labels:',
      '    azure.workload.identity/use: true   # unquoted',
      '  annotations:',
      '    azure.workload.identity/clientId: "x"',
      'spec:',
      '  serviceAccountName: app',
      '  containers:',
      '    - name: a',
      '      image: x',
      '',
    ].join('\n');
    const clean = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';
    writeFileSync(path.join(dir, 'sa.yaml'), saText);
    writeFileSync(path.join(dir, 'pod.yaml'), pod);
    writeFileSync(path.join(dir, 'clean.yaml'), clean);
    const { code, out, err } = await lint(['--fix', '--format', 'json', dir]);
    assert.match(err, /fixed 2 finding\(s\) in 1 file\(s\)/);
    assert.equal(
      readFileSync(path.join(dir, 'pod.yaml'), 'utf8'),
      pod
        .replace('use: true   # unquoted', 'use: "true"   # unquoted')
        .replace('identity/clientId: "x"', 'identity/client-id: "x"'),
    );
    assert.equal(readFileSync(path.join(dir, 'clean.yaml'), 'utf8'), clean);
    // The renamed key is a client ID on a pod, holding no GUID: that needs a person, and fails the run.
    assert.deepEqual(
      (JSON.parse(out) as LintResult[]).map((r) => r.rule),
      ['wi/client-id-wrong-kind', 'wi/client-id-invalid'],
    );
    assert.equal(code, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
