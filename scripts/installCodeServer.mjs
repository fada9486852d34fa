// Installs code-server (VS Code for the Web) into .vscode-test/code-server, a folder with its own
// package.json so the project's own node_modules stays untouched. It runs on the project's Node 24
// (bootstrap.mjs). `--ignore-scripts` because argon2's install script fails without a network
// toolchain (and argon2 only serves password login, unused with `--auth none`); then code-server's
// own postinstall.sh with Node 24 first on PATH and node-gyp pointed at its headers, which builds
// VS Code's native modules (https://github.com/coder/code-server/blob/main/ci/build/npm-postinstall.sh).
// Idempotent: a marker file records what was installed; a matching marker means nothing to do.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureProjectNode, NODE_VERSION, nodeDir, projectNode } from './bootstrap.mjs';

export const CODE_SERVER_VERSION = '4.139.1';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const installDir = join(root, '.vscode-test', 'code-server');
export const node24 = projectNode;
export const codeServerEntry = join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const marker = join(installDir, '.installed.json');
const wanted = { codeServer: CODE_SERVER_VERSION, node: NODE_VERSION };

export function isInstalled() {
  try {
    const got = JSON.parse(readFileSync(marker, 'utf8'));
    return (
      got.codeServer === wanted.codeServer &&
      got.node === wanted.node &&
      existsSync(codeServerEntry) &&
      existsSync(node24)
    );
  } catch {
    return false;
  }
}

function run(command, args, options) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolveRun() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

export async function installCodeServer({ log = (line) => process.stdout.write(`${line}\n`) } = {}) {
  if (isInstalled()) {
    log(`code-server ${CODE_SERVER_VERSION} already installed in ${installDir}`);
    return;
  }
  const started = Date.now();
  await ensureProjectNode();
  log(
    `[setup] installing code-server ${CODE_SERVER_VERSION} (VS Code ${CODE_SERVER_VERSION.replace(/^4\./, '1.')} for the Web, about 600 MB, 3–5 minutes on 2 cores) into ${installDir}`,
  );
  log('[setup]   1/2 npm install code-server (downloads, ~1 minute)');
  mkdirSync(installDir, { recursive: true });
  writeFileSync(
    join(installDir, 'package.json'),
    `${JSON.stringify({ name: 'kwi-code-server', private: true, description: 'VS Code for the Web for integration tests and npm start', dependencies: { 'code-server': CODE_SERVER_VERSION } }, null, 2)}\n`,
  );
  // The machine's npm config may set nodedir=/usr (Node 20 headers); native modules of
  // code-server must be built for Node 24's ABI instead.
  const env = {
    ...process.env,
    PATH: `${join(nodeDir, 'bin')}:${process.env.PATH ?? ''}`,
    npm_config_nodedir: nodeDir,
    // code-server's postinstall.sh refuses to run unless npm's user agent names Node 24.
    npm_config_user_agent: `npm/11.0.0 node/v${NODE_VERSION} linux x64 workspaces/false`,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  await run(
    'npm',
    ['install', '--ignore-scripts', '--no-package-lock', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'],
    { cwd: installDir, env: { ...env, npm_config_user_agent: undefined } },
  );
  log("[setup]   2/2 code-server postinstall: VS Code's own dependencies and native modules (2–4 minutes)");
  await run('sh', ['./postinstall.sh'], { cwd: join(installDir, 'node_modules', 'code-server'), env });
  writeFileSync(marker, `${JSON.stringify(wanted)}\n`);
  log(`[setup] code-server installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  installCodeServer().catch((err) => {
    process.stderr.write(`installCodeServer: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
