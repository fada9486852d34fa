// `npm test`: lint, format check (Prettier), type-check, build, unit tests (node --test), integration tests in a real
// VS Code. Every stage runs even when an earlier one failed, so one run shows everything; the
// last line is the plain summary CI reads: `N passed, N failed`.
// On a fresh clone it first installs what it needs (bootstrap.mjs): Node ≥ 22, node_modules, and,
// for the integration stage, code-server. The tools run from node_modules/.bin, never through
// `npx`, which would fetch an unrelated registry package of the same name when one is missing.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { bootstrap, root } from './bootstrap.mjs';

await bootstrap();
const bin = (name) => join(root, 'node_modules', '.bin', name);

function run(name, command, args, env = {}) {
  return new Promise((resolve) => {
    process.stdout.write(`\n=== ${name}: ${command} ${args.join(' ')}\n`);
    const child = spawn(command, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      out += d;
      process.stderr.write(d);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

const last = (re, text) => {
  const all = [...text.matchAll(re)];
  return all.length ? Number(all.at(-1)[1]) : undefined;
};

let passed = 0;
let failed = 0;
const stages = [];

async function gate(name, command, args) {
  const { code } = await run(name, command, args);
  stages.push(`${name}: ${code === 0 ? 'ok' : 'FAILED'}`);
  if (code === 0) passed++;
  else failed++;
  return code === 0;
}

await gate('lint', bin('eslint'), ['src', 'test', 'scripts']);
await gate('format', bin('prettier'), ['--check', '--log-level', 'warn', '.']);
await gate('typecheck', bin('tsc'), ['-p', '.', '--noEmit']);
const built = await gate('build', process.execPath, ['scripts/build.mjs']);
const compiled = await gate('compile tests', bin('tsc'), ['-p', 'tsconfig.test.json']);

if (compiled) {
  // node's spec reporter closes with "ℹ pass N" / "ℹ fail N".
  const unit = await run('unit', process.execPath, [
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    'out/test/unit/**/*.test.js',
  ]);
  const p = last(/^ℹ pass (\d+)/gm, unit.out) ?? 0;
  const f = last(/^ℹ fail (\d+)/gm, unit.out) ?? (unit.code === 0 ? 0 : 1);
  passed += p;
  failed += f + (unit.code !== 0 && f === 0 ? 1 : 0);
  stages.push(`unit: ${p} passed, ${f} failed`);
}

if (built && compiled && !process.argv.includes('--unit-only')) {
  // The integration runner prints "integration: N passed, N failed" as its last summary.
  const integ = await run('integration', process.execPath, ['scripts/integration.mjs']);
  const p = last(/^integration: (\d+) passed/gm, integ.out) ?? 0;
  const f = last(/^integration: \d+ passed, (\d+) failed/gm, integ.out) ?? (integ.code === 0 ? 0 : 1);
  passed += p;
  failed += f + (integ.code !== 0 && f === 0 ? 1 : 0);
  stages.push(`integration: ${p} passed, ${f} failed`);
}

process.stdout.write(`\n${stages.join('\n')}\n${passed} passed, ${failed} failed\n`);
process.exitCode = failed === 0 ? 0 : 1;
