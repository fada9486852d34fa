// `npm start`: VS Code for the Web (code-server on 127.0.0.1) with this extension installed and a
// copy of the sample workspace open, against the sandbox backend (no Azure subscription needed).
// Prints the URL and runs until Ctrl-C.
//
//   npm start                 build, start, print the URL
//   npm start -- --fresh      re-copy the sample workspace and reset the VS Code profile
//   npm start -- --no-build   skip the build (dist/ is already current)
//   PORT=9000 npm start       choose the port (default 8080, or a free one when taken)
//
// State lives in .vscode-test/start/ (gitignored). The extension is installed as a symlink to this
// checkout, so after `npm run build` a window reload (F1 → Developer: Reload Window) runs new code.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startCodeServer } from './codeServer.mjs';
import { bootstrap } from './bootstrap.mjs';
import { installCodeServer } from './installCodeServer.mjs';
import { stageExtension } from './stageExtension.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const state = join(root, '.vscode-test', 'start');
const say = (line) => process.stdout.write(`${line}\n`);

async function choosePort() {
  if (process.env.PORT) return Number(process.env.PORT);
  const { createServer } = await import('node:net');
  const free = await new Promise((r) => {
    const s = createServer();
    s.once('error', () => r(false));
    s.listen(8080, '127.0.0.1', () => s.close(() => r(true)));
  });
  return free ? 8080 : freePort();
}

function writeSettings(userDataDir) {
  const file = join(userDataDir, 'User', 'settings.json');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  let current = {};
  try {
    current = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    /* first run, or hand-edited with comments: start over */
  }
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'chat.disableAIFeatures': true,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        ...current,
        // The sandbox: the explorer and provisioning work offline against the local emulator.
        'kwi.backend': 'sandbox',
        // The sample workspace is ours: trust it, so that everything (provisioning too) is enabled.
        'security.workspace.trust.enabled': false,
        'security.workspace.trust.startupPrompt': 'never',
      },
      null,
      2,
    )}\n`,
  );
}

async function main() {
  const fresh = process.argv.includes('--fresh');
  await bootstrap();
  await installCodeServer({ log: say });
  if (!process.argv.includes('--no-build')) {
    say('building the extension…');
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  }

  if (fresh) rmSync(state, { recursive: true, force: true });
  const workspace = join(state, 'workspace');
  const userDataDir = join(state, 'user-data');
  const extensionsDir = join(state, 'extensions');
  if (!existsSync(workspace)) cpSync(join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const { name, publisher, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  // Installed as the VSIX would be: the packaged files, and a README whose pictures the extension page can show.
  stageExtension(join(extensionsDir, `${publisher}.${name}-${version}`));
  writeSettings(userDataDir);

  const port = await choosePort();
  const server = await startCodeServer({
    port,
    userDataDir,
    extensionsDir,
    folder: workspace,
    extraArgs: ['--disable-workspace-trust'],
    onLine: (line) => {
      if (/error/i.test(line) && !/open-vsx|telemetry/i.test(line)) say(`[code-server] ${line}`);
    },
  });
  const url = `${server.origin}/?folder=${encodeURIComponent(workspace)}`;
  say('');
  say(`VS Code with Workload Identity for Kubernetes: ${url}`);
  say(`sample workspace (a copy of test/fixtures/workspace): ${workspace}`);
  say('Ctrl-C to stop.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    say('\nstopping code-server…');
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const { code, signal } = await server.exited;
  if (!stopping) {
    say(`code-server exited (${signal ?? code})`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  process.stderr.write(`npm start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
