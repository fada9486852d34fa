// Flat ESLint config. Syntax-only typescript-eslint rules (no type information) keep lint fast on
// small machines; `tsc --noEmit` does the type checking. The layer rule of docs/architecture.md is
// enforced here: only the VS Code layer may import `vscode`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval',
    'setImmediate', 'clearImmediate', 'queueMicrotask', 'structuredClone', 'fetch', 'AbortController', 'AbortSignal',
    'TextEncoder', 'TextDecoder', 'performance', 'globalThis', '__dirname', '__filename', 'require', 'module']
    .map((name) => [name, 'readonly']),
);

const vscodeImportBan = {
  paths: [{ name: 'vscode', message: 'Only src/vscode/** and src/extension.ts may import vscode (docs/architecture.md).' }],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', '.vscode-test/**', 'test-results/**', 'bench/**/*.json', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: nodeGlobals },
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: {
      'no-restricted-imports': ['error', vscodeImportBan],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['warn', { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'eqeqeq': ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': 'error',
      'no-throw-literal': 'error',
      'curly': ['error', 'multi-line'],
      // STYLE.md: no default exports (config files that tools require them from are exempt below).
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports (STYLE.md).' }],
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
