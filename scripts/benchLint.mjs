// Benchmark of the analysis core. Run after `npx tsc -p tsconfig.test.json`.
// Every figure is a ratio against a floor measured in the same run, on the same text:
//   parseRatio                 full analysis (index + rules, cross-file) / bare yaml parseAllDocuments   (target <= 1.0)
//   yamlLanguageServerSpeedup  yaml-language-server doValidation (small schema) / full analysis        (target >= 1.5)
//   keystrokeMedianMs          indexFile + analyze of a 1,000-line multi-document file after a one-document edit (target <= 3)
//   coldIndexFilesPerSecond    indexFile over 5,000 mostly irrelevant manifests read from a temp dir
// Results merge into bench/results.json under `lint`.
import { createRequire } from 'node:module';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const root = new URL('..', import.meta.url).pathname;
const { Analyzer } = require(join(root, 'out/src/core/analyzer.js'));
const { parseStats } = require(join(root, 'out/src/core/yamlDocuments.js'));
const { parseAllDocuments } = require('yaml');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
function time(fn, reps) {
  const out = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return median(out);
}
async function timeAsync(fn, reps) {
  const out = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return median(out);
}

// ---- inputs -------------------------------------------------------------------------------
const guid = (i) =>
  `6f1c${((i * 7919) % 0xffff).toString(16).padStart(4, '0')}-1234-4bcd-9ef0-${(i * 104729).toString(16).padStart(12, '0').slice(-12)}`;
function serviceAccount(i) {
  return `apiVersion: v1
kind: ServiceAccount
metadata:
  name: app-${i}
  namespace: team-${i % 20}
  labels:
    app.kubernetes.io/name: app-${i}
  annotations:
    azure.workload.identity/client-id: "${guid(i)}"
    azure.workload.identity/tenant-id: "72f988bf-86f1-41af-91ab-2d7cd011db47"
`;
}
function deployment(i) {
  const labelled = i % 5 !== 0; // some findings, as in a real workspace
  return `# Deployment ${i}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: team-${i % 20}
  labels:
    app.kubernetes.io/name: app-${i}
spec:
  replicas: ${1 + (i % 3)}
  selector:
    matchLabels:
      app.kubernetes.io/name: app-${i}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: app-${i}${labelled ? '\n        azure.workload.identity/use: "true"' : ''}
      annotations:
        prometheus.io/scrape: 'true'
    spec:
      serviceAccountName: app-${i}
      containers:
        - name: main
          image: "registry.example.com/app-${i}:1.${i}.0"
          args: ["--port", "8080", --verbose]
          ports:
            - containerPort: 8080
              name: http
          env:
            - name: KEYVAULT_URL
              value: https://kv-${i}.vault.azure.net/ # vault of team ${i % 20}
            - name: LOG_LEVEL
              value: info
          resources:
            limits: { cpu: 500m, memory: 256Mi }
            requests: { cpu: 100m, memory: 128Mi }
          readinessProbe:
            httpGet: { path: /healthz, port: http }
          command:
            - /bin/sh
            - -c
            - |
              echo starting ${i}
              exec /app/server
`;
}
// 2,000 documents in 100 files: ServiceAccounts in their own files, so resolution is cross-file.
const files = [];
for (let f = 0; f < 50; f++) {
  const sas = [];
  const deps = [];
  for (let k = 0; k < 20; k++) {
    const i = f * 20 + k;
    sas.push(serviceAccount(i));
    deps.push(deployment(i));
  }
  files.push([`file:///ws/sa-${f}.yaml`, sas.join('---\n')]);
  files.push([`file:///ws/deploy-${f}.yaml`, deps.join('---\n')]);
}
const totalLines = files.reduce((n, [, t]) => n + t.split('\n').length, 0);
const totalDocs = files.reduce((n, [, t]) => n + t.split(/^---$/m).length, 0);

function fullAnalysis() {
  const a = new Analyzer();
  for (const [uri, text] of files) a.indexFile(uri, text);
  let findings = 0;
  for (const [uri, text] of files) findings += a.analyze(uri, text).findings.length;
  return findings;
}
function bareParse() {
  let n = 0;
  for (const [, text] of files) n += parseAllDocuments(text).length;
  return n;
}

// ---- (1) workspace analysis vs the yaml floor and vs yaml-language-server ----------------------
const stats0 = { ...parseStats };
fullAnalysis();
const fastShare =
  (parseStats.fast - stats0.fast) / (parseStats.fast - stats0.fast + parseStats.fallback - stats0.fallback);
for (let i = 0; i < 3; i++) {
  fullAnalysis();
  bareParse();
}
const reps = 7;
const tAnalysis = time(fullAnalysis, reps);
const tParse = time(bareParse, reps);
const parseRatio = tAnalysis / tParse;

// Honesty check: the same workspace with an anchor in every document, which sends every document
// to the `yaml` fallback. Not a target; it shows what the fast scanner buys.
const anchored = files.map(([uri, text]) => [uri, text.replace(/^metadata:$/gm, 'metadata: &meta')]);
const fullAnalysisAnchored = () => {
  const a = new Analyzer();
  for (const [u, t] of anchored) a.indexFile(u, t);
  for (const [u, t] of anchored) a.analyze(u, t);
};
const bareParseAnchored = () => {
  for (const [, t] of anchored) parseAllDocuments(t);
};
fullAnalysisAnchored();
bareParseAnchored();
const parseRatioFallbackOnly = time(fullAnalysisAnchored, 3) / time(bareParseAnchored, 3);

let yamlLanguageServerSpeedup = null;
let tYls = null;
try {
  const { getLanguageService } = require('yaml-language-server/out/src/languageservice/yamlLanguageService.js');
  const { TextDocument } = require('vscode-languageserver-textdocument');
  const schema = {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string', enum: ['ServiceAccount', 'Pod'] }, // Deployments are flagged: proves the schema runs
      metadata: {
        type: 'object',
        required: ['name'],
        properties: {
          name: { type: 'string' },
          namespace: { type: 'string' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          annotations: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
      spec: { type: 'object' },
    },
  };
  const ls = getLanguageService({
    schemaRequestService: async () => JSON.stringify(schema),
    workspaceContext: { resolveRelativePath: (p) => p },
  });
  ls.configure({
    validate: true,
    schemas: [{ uri: 'file:///schema.json', fileMatch: ['*.yaml'], schema }],
    isKubernetes: false,
  });
  // yaml-language-server caches its parse per uri and version: a new version each round, so
  // every round parses and validates from scratch as after an edit.
  let round = 0;
  const validateAll = async () => {
    round++;
    let n = 0;
    for (const [uri, text] of files) {
      n += (await ls.doValidation(TextDocument.create(uri, 'yaml', round, text), false)).length;
    }
    return n;
  };
  const ylsDiagnostics = await validateAll();
  if (ylsDiagnostics === 0) throw new Error('yaml-language-server reported nothing: schema not applied');
  await validateAll();
  tYls = await timeAsync(validateAll, 5);
  yamlLanguageServerSpeedup = tYls / tAnalysis;
} catch (e) {
  process.stdout.write(`yaml-language-server not measured: ${e instanceof Error ? e.message : String(e)}\n`);
}

// ---- (2) keystroke in a 1,000-line multi-document file ---------------------------------------
const kdocs = [];
for (let i = 0; kdocs.join('---\n').split('\n').length < 1000; i++) {
  kdocs.push(i % 2 ? deployment(5000 + i) : serviceAccount(5000 + i));
}
const kuri = 'file:///ws/edited.yaml';
const ka = new Analyzer();
for (const [uri, text] of files) ka.indexFile(uri, text);
const base = kdocs.join('---\n');
ka.analyze(kuri, base);
const strokes = [];
const editDoc = 11; // one Deployment in the middle
for (let i = 0; i < 300; i++) {
  const edited = [...kdocs];
  edited[editDoc] = kdocs[editDoc].replace('replicas: ', `replicas: ${i % 10}`);
  const text = edited.join('---\n');
  // As the VS Code layer does per document version: re-index the open text, then analyze it.
  const t0 = performance.now();
  ka.indexFile(kuri, text);
  ka.analyze(kuri, text);
  strokes.push(performance.now() - t0);
}
const keystrokeMedianMs = median(strokes.slice(50));

// ---- (3) cold index of 5,000 files, mostly irrelevant -----------------------------------------
const dir = mkdtempSync(join(tmpdir(), 'kwi-bench-'));
const coldFiles = [];
let tRead;
let tCold;
let tColdParse;
try {
  for (let i = 0; i < 5000; i++) {
    let text;
    if (i % 20 === 0) text = serviceAccount(i);
    else if (i % 20 === 1) text = deployment(i);
    else if (i % 3 === 0) {
      text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\n  namespace: team-${i % 20}\nspec:\n  selector:\n    app: app-${i}\n  ports:\n    - port: 80\n      targetPort: 8080\n`;
    } else if (i % 3 === 1) {
      text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  config.json: |\n${Array.from({ length: 30 }, (_, k) => `    {"key${k}": "value ${k}"}`).join('\n')}\n`;
    } else {
      text = `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets${i}.example.com\nspec:\n  group: example.com\n  names:\n    kind: Widget${i}\n    plural: widgets${i}\n  scope: Namespaced\n  versions:\n${Array.from({ length: 8 }, (_, k) => `    - name: v${k}\n      served: true\n      storage: ${k === 0}\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            size: { type: integer }`).join('\n')}\n`;
    }
    const sub = join(dir, `d${i % 50}`);
    if (!existsSync(sub)) mkdirSync(sub);
    const file = join(sub, `m${i}.yaml`);
    writeFileSync(file, text);
    coldFiles.push(file);
  }
  const readAll = () => coldFiles.map((f) => [f, readFileSync(f, 'utf8')]);
  const coldIndex = () => {
    const a = new Analyzer();
    for (const [f, t] of readAll()) a.indexFile(f, t);
    return a.indexVersion;
  };
  const coldParse = () => {
    let n = 0;
    for (const [, t] of readAll()) n += parseAllDocuments(t).length;
    return n;
  };
  coldIndex();
  coldParse();
  tRead = time(readAll, 5);
  tCold = time(coldIndex, 5);
  tColdParse = time(coldParse, 3);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const coldIndexFilesPerSecond = 5000 / (tCold / 1000);

// ---- report ------------------------------------------------------------------------------------
const fmt = (x, d = 2) => (x === null ? 'n/a' : x.toFixed(d));
process.stdout.write(
  `lint bench: ${totalDocs} documents, ${totalLines} lines in ${files.length} files; ${(fastShare * 100).toFixed(0)}% of parsed documents on the fast scanner\n`,
);
process.stdout.write(
  `  (1) full analysis ${fmt(tAnalysis, 1)} ms vs yaml parseAllDocuments ${fmt(tParse, 1)} ms: parseRatio ${fmt(parseRatio)} (floor 1.0x = the parse; target <= 1.0)\n`,
);
process.stdout.write(
  `      (every document through the yaml fallback instead: ratio ${fmt(parseRatioFallbackOnly)}, informational)\n`,
);
process.stdout.write(
  `      yaml-language-server validation ${fmt(tYls, 1)} ms: ${fmt(yamlLanguageServerSpeedup)}x slower than our analysis (target >= 1.5)\n`,
);
process.stdout.write(
  `  (2) keystroke in a ${base.split('\n').length}-line, ${kdocs.length}-document file: median ${fmt(keystrokeMedianMs, 3)} ms (target <= 3 ms); ratio to the bare parse of that file ${fmt(keystrokeMedianMs / time(() => parseAllDocuments(base), 9))}\n`,
);
process.stdout.write(
  `  (3) cold index of 5,000 files: ${fmt(tCold, 1)} ms incl. reading (${fmt(tRead, 1)} ms of it is reading: ${fmt(tCold / tRead)}x the read floor); full yaml parse of the same files ${fmt(tColdParse, 1)} ms (${fmt(tColdParse / tCold)}x slower); ${Math.round(coldIndexFilesPerSecond)} files/s\n`,
);

const resultsPath = join(root, 'bench/results.json');
let results = {};
try {
  results = JSON.parse(readFileSync(resultsPath, 'utf8'));
} catch {
  results = {};
}
results.lint = {
  parseRatio: Number(parseRatio.toFixed(3)),
  yamlLanguageServerSpeedup: yamlLanguageServerSpeedup === null ? null : Number(yamlLanguageServerSpeedup.toFixed(2)),
  keystrokeMedianMs: Number(keystrokeMedianMs.toFixed(3)),
  coldIndexFilesPerSecond: Math.round(coldIndexFilesPerSecond),
  parseRatioFallbackOnly: Number(parseRatioFallbackOnly.toFixed(3)),
};
mkdirSync(join(root, 'bench'), { recursive: true });
writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`bench/results.json lint: ${JSON.stringify(results.lint)}\n`);
