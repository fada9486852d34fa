// VS Code's extension page shows https: pictures only; scripts/stageExtension.mjs rewrites the
// README's relative ones for it. Checked on the real README and on planted cases.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(__dirname, '../../../..');
type Rewrite = (markdown: string, pkg: object, baseDir?: string) => string;
// A real dynamic import: TypeScript's CommonJS output would turn `import()` into `require()`, which cannot load an .mjs.
const importModule = new Function('specifier', 'return import(specifier)') as (
  s: string,
) => Promise<{ readmeForExtensionPage: Rewrite }>;
const load = async (): Promise<Rewrite> =>
  (await importModule(pathToFileURL(path.join(ROOT, 'scripts', 'stageExtension.mjs')).href)).readmeForExtensionPage;
const images = (md: string) => [...md.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map((m) => m[1]!);

test('the real README: every picture exists, and none the page cannot load survives', async () => {
  const rewrite = await load();
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  assert.ok(images(readme).length >= 2, 'the README shows pictures on GitHub');
  const page = rewrite(readme, JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as object);
  assert.deepEqual(
    images(page).filter((src) => !src.startsWith('https:')),
    [],
  );
  for (const src of images(readme)) assert.ok(page.includes(src), `${src} is still named`);
});

test('relative pictures become repository URLs, or captions without a repository; https stays; missing files fail', async () => {
  const rewrite = await load();
  const md = '![The tree](docs/images/explorer-tree.png)\n![Badge](https://example.com/b.svg)\n';
  assert.equal(
    rewrite(md, { repository: { url: 'https://github.com/o/r.git' } }),
    '![The tree](https://raw.githubusercontent.com/o/r/HEAD/docs/images/explorer-tree.png)\n![Badge](https://example.com/b.svg)\n',
  );
  assert.equal(
    rewrite(md, {}),
    '*Screenshot: The tree (`docs/images/explorer-tree.png` in the source tree).*\n![Badge](https://example.com/b.svg)\n',
  );
  assert.throws(() => rewrite('![x](docs/images/nope.png)', {}), /no such file/);
  assert.throws(() => rewrite('![x](file:///etc/passwd)', {}), /only relative paths and https/);
});
