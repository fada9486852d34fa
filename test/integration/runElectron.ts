// Runs the same integration suite in a desktop VS Code downloaded by @vscode/test-electron, for
// machines that can reach update.code.visualstudio.com (this project's CI cannot; it uses
// scripts/integration.mjs with code-server instead). Usage after `npm run build`:
//   npx tsc -p tsconfig.test.json && node out/test/integration/runElectron.js
// The suite reports through console lines ending with `integration: N passed, N failed`.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  // out/test/integration/runElectron.js → the repository root is three levels up.
  const root = resolve(__dirname, '..', '..', '..');
  const suite = join(root, 'out', 'integration', 'suite.js');
  await build({
    entryPoints: [join(root, 'test', 'integration', 'suite', 'index.ts')],
    outfile: suite,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: 'inline',
  });
  const tmp = mkdtempSync(join(tmpdir(), 'kwi-electron-'));
  const workspace = join(tmp, 'workspace');
  cpSync(join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  const userDataDir = join(tmp, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ 'kwi.backend': 'sandbox', 'workbench.startupEditor': 'none' }),
  );
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: suite,
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--user-data-dir',
        userDataDir,
      ],
      extensionTestsEnv: { KWI_TEST_WORKSPACE: workspace },
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
