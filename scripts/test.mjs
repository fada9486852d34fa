// `npm test`: lint, type-check, build, unit tests (node --test), integration tests in a real
// VS Code. Every stage runs even when an earlier one failed, so one run shows everything; the
// last line is the plain summary CI reads: `N passed, N failed`.
import { spawn } from 'node:child_process';

function run(name, command, args, env = {}) {
  return new Promise((resolve) => {
    process.stdout.write(`\n=== ${name}: ${command} ${args.join(' ')}\n`);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { out += d; process.stderr.write(d); });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

const last = (re, text) => { const all = [...text.matchAll(re)]; return all.length ? Number(all.at(-1)[1]) : undefined; };

let passed = 0;
let failed = 0;
const stages = [];

async function gate(name, command, args) {
  const { code } = await run(name, command, args);
  stages.push(`${name}: ${code === 0 ? 'ok' : 'FAILED'}`);
  if (code === 0) passed++; else failed++;
  return code === 0;
}

await gate('lint', 'npx', ['eslint', 'src', 'test', 'scripts']);
await gate('typecheck', 'npx', ['tsc', '-p', '.', '--noEmit']);
const built = await gate('build', 'node', ['scripts/build.mjs']);
const compiled = await gate('compile tests', 'npx', ['tsc', '-p', 'tsconfig.test.json']);

if (compiled) {
  // node's spec reporter closes with "ℹ pass N" / "ℹ fail N".
  const unit = await run('unit', 'node', ['--test', '--test-concurrency=2', '--test-reporter=spec', 'out/test/unit/']);
  const p = last(/^ℹ pass (\d+)/gm, unit.out) ?? 0;
  const f = last(/^ℹ fail (\d+)/gm, unit.out) ?? (unit.code === 0 ? 0 : 1);
  passed += p; failed += f + (unit.code !== 0 && f === 0 ? 1 : 0);
  stages.push(`unit: ${p} passed, ${f} failed`);
}

if (built && compiled && !process.argv.includes('--unit-only')) {
  // The integration runner prints "integration: N passed, N failed" as its last summary.
  const integ = await run('integration', 'node', ['scripts/integration.mjs']);
  const p = last(/^integration: (\d+) passed/gm, integ.out) ?? 0;
  const f = last(/^integration: \d+ passed, (\d+) failed/gm, integ.out) ?? (integ.code === 0 ? 0 : 1);
  passed += p; failed += f + (integ.code !== 0 && f === 0 ? 1 : 0);
  stages.push(`integration: ${p} passed, ${f} failed`);
}

process.stdout.write(`\n${stages.join('\n')}\n${passed} passed, ${failed} failed\n`);
process.exitCode = failed === 0 ? 0 : 1;
