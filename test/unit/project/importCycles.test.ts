// No two modules of src import each other, directly or through others: a cycle makes load order
// decide which module sees the other's exports as undefined. This test reads the static value
// imports of every file under src (type-only imports and lazy `import()` are erased or deferred,
// so they cannot form a load-time cycle) and fails naming the first cycle it finds.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const SRC = path.resolve(__dirname, '../../../../src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

const STATIC_IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;

/** Relative value imports of one module, resolved to files. */
export function valueImports(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(STATIC_IMPORT)) {
    if (m[1]) continue;
    // `import { type A, type B } from` imports nothing at run time either.
    const names = /^\s*(?:import|export)\s+\{([^}]*)\}/.exec(m[0])?.[1];
    if (names?.split(',').every((n) => n.trim() === '' || /^type\s/.test(n.trim()))) continue;
    const base = path.resolve(path.dirname(file), m[2]);
    const target = [`${base}.ts`, path.join(base, 'index.ts')].find(existsSync);
    if (target) out.push(target);
  }
  return out;
}

export function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    if (!state.has(node)) {
      const cycle = visit(node);
      if (cycle) return cycle;
    }
  }
  return undefined;
}

test('the walker sees value imports and skips type-only ones', () => {
  const file = path.join(SRC, 'sandbox/arm/clusters.ts');
  const imports = valueImports(
    file,
    "import type { A } from './errors';\nimport { type B } from './paging';\nimport { page } from './deletion';\n",
  );
  assert.deepEqual(imports, [path.join(SRC, 'sandbox/arm/deletion.ts')]);
  assert.deepEqual(
    findCycle(
      new Map([
        ['a', ['b']],
        ['b', ['c']],
        ['c', ['a']],
      ]),
    ),
    ['a', 'b', 'c', 'a'],
  );
  assert.equal(
    findCycle(
      new Map([
        ['a', ['b']],
        ['b', []],
        ['c', ['a', 'b']],
      ]),
    ),
    undefined,
  );
});

test('no import cycle in src', () => {
  const graph = new Map(tsFiles(SRC).map((f) => [f, valueImports(f, readFileSync(f, 'utf8'))]));
  const cycle = findCycle(graph);
  assert.equal(cycle?.map((f) => path.relative(SRC, f)).join(' → '), undefined);
});
