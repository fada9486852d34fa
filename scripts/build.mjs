// Bundles the extension and the CLI with esbuild. `vscode` stays external: VS Code provides it.
import { resolve } from 'node:path';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: true,
  logLevel: 'warning',
};
const production = process.argv.includes('--production');
// keepNames: the SDKs and our typed errors read constructor and error names at run time.
const release = production ? { minify: true, keepNames: true } : {};

// The backend (Azure SDKs, @kubernetes/client-node, the sandbox, the provisioning and diagnosis
// engines: ~20 MB) is a bundle of its own, src/vscode/explorer/backend.ts, reached only through
// `import()` of that module from anywhere in src/vscode, so activation never parses it.
const BACKEND = resolve('src/vscode/explorer/backend');
const explorerBackendApart = {
  name: 'explorer-backend-apart',
  setup(b) {
    b.onResolve({ filter: /(^|[\\/])backend$/ }, (args) =>
      resolve(args.resolveDir, args.path) === BACKEND && args.importer !== ''
        ? { path: './explorerBackend.js', external: true }
        : undefined,
    );
  },
};

await Promise.all([
  build({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    ...release,
    plugins: [explorerBackendApart],
  }),
  build({
    ...common,
    entryPoints: ['src/vscode/explorer/backend.ts'],
    outfile: 'dist/explorerBackend.js',
    external: ['vscode'],
    ...release,
  }),
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
]);
