// `npm run bench`: compiles, then runs each benchmark in its own process (so one's warm caches
// and GC pressure do not colour another's figures). Each writes its section of
// bench/results.json and prints ratios against a floor it measured in the same run.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const step = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;

// The lock file's TypeScript, never whatever `npx` would fetch under that name.
if (step(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.test.json']) !== 0) {
  process.stderr.write('bench: type errors (continuing with emitted output)\n');
}

let failed = 0;
for (const script of [
  'scripts/benchLint.mjs',
  'scripts/benchSandbox.mjs',
  'scripts/benchTree.mjs',
  'scripts/benchDoctor.mjs',
  'scripts/benchProvision.mjs',
]) {
  if (!existsSync(script)) {
    process.stdout.write(`bench: ${script} not present, skipped\n`);
    continue;
  }
  process.stdout.write(`\n=== ${script}\n`);
  if (step(process.execPath, [script]) !== 0) failed++;
}
if (existsSync('bench/results.json')) {
  process.stdout.write(`\nbench/results.json:\n${readFileSync('bench/results.json', 'utf8')}\n`);
}
process.exitCode = failed ? 1 : 0;
