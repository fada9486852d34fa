// Activation must not parse the Azure SDKs, @kubernetes/client-node or the sandbox: they live in
// dist/explorerBackend.js, reached through `import()` of src/vscode/explorer/backend.ts only
// (scripts/build.mjs). A static import anywhere in src/vscode pulls them into dist/extension.js
// silently; the bundle's source map lists every file that went in, so that is what is checked.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '../../../..');
const HEAVY =
  /node_modules\/(@azure\/|@kubernetes\/|@typespec\/|node-forge\/|ws\/|jose\/)|\/src\/(sandbox|provision|diagnosis)\//;

function sourcesOf(bundle: string): string[] {
  const map = path.join(ROOT, 'dist', `${bundle}.map`);
  assert.ok(existsSync(map), `${map} missing: npm test builds it (node scripts/build.mjs) before the unit tests`);
  return (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources.map((s) =>
    path.resolve(path.join(ROOT, 'dist'), s),
  );
}

test('dist/extension.js holds no SDK, no Kubernetes client and no sandbox, provisioning or diagnosis engine', () => {
  const heavy = sourcesOf('extension.js').filter((s) => HEAVY.test(s));
  assert.deepEqual(
    heavy.map((s) => path.relative(ROOT, s)),
    [],
  );
});

test('dist/explorerBackend.js does hold them (the check above would pass vacuously otherwise)', () => {
  const sources = sourcesOf('explorerBackend.js');
  for (const needle of [
    'node_modules/@azure/arm-msi/',
    'node_modules/@kubernetes/client-node/',
    '/src/sandbox/server.ts',
    '/src/diagnosis/session.ts',
  ]) {
    assert.ok(
      sources.some((s) => s.includes(needle)),
      needle,
    );
  }
});
