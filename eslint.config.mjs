// Flat ESLint config. Syntax-only typescript-eslint rules (no type information) keep lint fast on
// small machines; `tsc --noEmit` does the type checking. Every layer rule of docs/architecture.md
// is enforced here: only the VS Code layer may import `vscode` (no-restricted-imports), and the
// `kwi/layers` rule below resolves each relative import to the layer folder it lands in.
import { dirname, relative, resolve } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Which of our layers each layer may import (docs/architecture.md, "dependencies point one way").
// The sandbox is an independent implementation of the wire protocols: it may use core's shared
// formats, never the clients it is there to test. Packages are checked by `packageBans`.
const LAYERS = {
  core: ['core'],
  azure: ['core', 'azure'],
  kube: ['core', 'kube'],
  sandbox: ['core', 'sandbox'],
  // The façades that run provisioning plans and diagnosis checks over both clouds' calls.
  provision: ['core', 'azure', 'kube', 'sandbox', 'provision'],
  diagnosis: ['core', 'azure', 'kube', 'sandbox', 'diagnosis'],
  cli: ['core', 'azure', 'kube', 'sandbox', 'provision', 'diagnosis', 'cli'],
  vscode: ['core', 'azure', 'kube', 'sandbox', 'provision', 'diagnosis', 'vscode'],
};
const packageBans = {
  core: [/^@azure\//, /^@kubernetes\//, /^node-forge$/],
  sandbox: [/^@azure\//, /^@kubernetes\//],
};
const srcRoot = resolve(import.meta.dirname, 'src');
const layerOf = (file) => {
  const rel = relative(srcRoot, file);
  if (rel.startsWith('..')) return undefined;
  const top = rel.split(/[\\/]/)[0];
  return top in LAYERS ? top : undefined;
};
const layersPlugin = {
  rules: {
    layers: {
      meta: {
        type: 'problem',
        schema: [],
        messages: {
          layer: "src/{{from}} may not import src/{{to}} ('{{spec}}'): see the layer rules in docs/architecture.md.",
          pkg: "src/{{from}} may not import the package '{{spec}}': see the layer rules in docs/architecture.md.",
        },
      },
      create(context) {
        const from = layerOf(context.filename);
        if (!from) return {};
        const check = (node, spec) => {
          if (typeof spec !== 'string') return;
          if (spec.startsWith('.')) {
            const to = layerOf(resolve(dirname(context.filename), spec));
            if (to && !LAYERS[from].includes(to))
              context.report({ node, messageId: 'layer', data: { from, to, spec } });
          } else if ((packageBans[from] ?? []).some((re) => re.test(spec))) {
            context.report({ node, messageId: 'pkg', data: { from, spec } });
          }
        };
        return {
          ImportDeclaration: (node) => check(node, node.source.value),
          ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
          ExportAllDeclaration: (node) => check(node, node.source.value),
          ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
        };
      },
    },
  },
};

const nodeGlobals = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'URL',
    'URLSearchParams',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'clearImmediate',
    'queueMicrotask',
    'structuredClone',
    'fetch',
    'AbortController',
    'AbortSignal',
    'TextEncoder',
    'TextDecoder',
    'performance',
    'globalThis',
    '__dirname',
    '__filename',
    'require',
    'module',
  ].map((name) => [name, 'readonly']),
);

const vscodeImportBan = {
  paths: [
    {
      name: 'vscode',
      message: 'Only src/vscode/** and src/extension.ts may import vscode (see docs/architecture.md).',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      '.vscode-test/**',
      'test-results/**',
      'bench/**/*.json',
      'test/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: nodeGlobals },
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    plugins: { kwi: layersPlugin },
    rules: {
      'no-restricted-imports': ['error', vscodeImportBan],
      'kwi/layers': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'warn',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': 'error',
      'no-throw-literal': 'error',
      curly: ['error', 'multi-line'],
      // Named exports only, so a symbol has one name everywhere (config files that tools require a
      // default export from are exempt below).
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    // The VS Code layer, the composition root and the in-VS-Code test suite.
    files: ['src/vscode/**', 'src/extension.ts', 'test/integration/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['eslint.config.mjs'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
