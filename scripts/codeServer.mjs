// Starting and stopping code-server (VS Code for the Web), shared by scripts/integration.mjs and
// scripts/start.mjs. A flag whose reason is not obvious carries it beside it.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { codeServerEntry, node24 } from './installCodeServer.mjs';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts code-server on 127.0.0.1 and resolves once it answers /healthz.
 * `onLine` receives its output lines; the returned `stop()` ends its whole process group
 * (code-server forks the VS Code server and extension hosts).
 */
export async function startCodeServer({
  port,
  userDataDir,
  extensionsDir,
  folder,
  env = {},
  extraArgs = [],
  onLine = () => {},
  timeoutMs = 90_000,
}) {
  const args = [
    codeServerEntry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    // Without it VS Code for the Web ignores the `payload` URL parameter (extension development + tests).
    '--vscode-option',
    'enable-smoke-test-driver',
    ...extraArgs,
  ];
  if (folder) args.push(folder);
  const child = spawn(node24, args, {
    detached: true, // its own process group, so stop() reaches the extension hosts too
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let exited = false;
  const exitedPromise = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    }),
  );
  const forward = (stream) => {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
  };
  forward(child.stdout);
  forward(child.stderr);

  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 5_000);
    await exitedPromise;
    clearTimeout(timer);
  };

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error('code-server exited before it answered');
    try {
      const res = await fetch(`${origin}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { origin, pid: child.pid, stop, exited: exitedPromise };
}
