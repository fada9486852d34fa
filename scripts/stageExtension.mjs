// The extension as VS Code loads it from `npm start`, the integration tests and the VSIX: the files
// .vscodeignore lets into the package, copied from the checkout, plus a README fit for VS Code's
// extension page. That page renders the README in a webview whose sanitizer keeps http(s) images
// only and whose Content-Security-Policy then allows `img-src https: data:` (microsoft/vscode
// src/vs/workbench/contrib/extensions/browser/extensionEditor.ts, renderMarkdown / renderBody), so
// the checkout's relative `docs/images/…` pictures, which GitHub shows, are broken images there.
// vsce rewrites them to the repository's https URL; with a `repository` in package.json this does
// the same, and without one each picture becomes its caption and the path where it is, instead of
// a broken image.
//
//   node scripts/stageExtension.mjs DIR        stage into DIR (used by `npm start` and the tests)
//   node scripts/stageExtension.mjs --readme F only write the page's README to F (`npm run package`)
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** `https://github.com/o/r(.git)` → `https://raw.githubusercontent.com/o/r/HEAD/`, as vsce derives it. */
function rawBase(pkg) {
  const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const m = /github\.com[/:]([^/]+)\/([^/#]+?)(\.git)?(#.*)?$/.exec(url ?? '');
  return m ? `https://raw.githubusercontent.com/${m[1]}/${m[2]}/HEAD/` : undefined;
}

/**
 * The README as the extension page can show it: https: images stay; a relative one becomes its
 * repository URL, or, with no repository, an italic caption naming the file. A relative picture
 * that does not exist is an error, so a broken picture fails the build instead of reaching a page.
 */
export function readmeForExtensionPage(markdown, pkg, baseDir = root) {
  const base = rawBase(pkg);
  return markdown.replace(/!\[([^\]]*)\]\(([^)\s]+)(\s+"[^"]*")?\)/g, (whole, alt, target) => {
    if (/^https:/i.test(target)) return whole;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || isAbsolute(target)) {
      throw new Error(`README image ${target}: only relative paths and https: can be shown`);
    }
    if (!existsSync(resolve(baseDir, decodeURI(target)))) throw new Error(`README image ${target}: no such file`);
    return base ? `![${alt}](${base}${target})` : `*Screenshot: ${alt} (\`${target}\` in the source tree).*`;
  });
}

function pageReadme() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return readmeForExtensionPage(readFileSync(join(root, 'README.md'), 'utf8'), pkg);
}

/** The top-level entries .vscodeignore's allow-list names (`!dist/extension.js` → `dist`). */
function packagedEntries() {
  const lines = readFileSync(join(root, '.vscodeignore'), 'utf8').split(/\r?\n/);
  const tops = new Set();
  for (const line of lines) {
    const m = /^!([^/*\s]+)/.exec(line.trim());
    if (m && m[1] !== 'README.md') tops.add(m[1]);
  }
  // `!package.nls.*.json` names a pattern: link every file it matches.
  const names = new Set();
  for (const top of tops) {
    if (!top.includes('*')) {
      names.add(top);
      continue;
    }
    const re = new RegExp(`^${top.replace(/\./g, '\\.').replace(/\*/g, '.*')}$`);
    for (const f of readdirSync(root)) if (re.test(f)) names.add(f);
  }
  for (const f of readdirSync(root)) if (/^package\.nls\..+\.json$/.test(f)) names.add(f);
  return [...names].filter((n) => existsSync(join(root, n)));
}

/**
 * Builds DIR: the packaged entries, copied, and the page's README.md. Copies, not links: Node
 * loads a module from its real path, and VS Code gives a module outside the extension's folder an
 * API without the extension's `l10n` bundle, so a linked `dist` would show English in every
 * language. Re-run after a build (`npm start` and the integration tests do). Idempotent.
 */
export function stageExtension(dir) {
  if (existsSync(dir) && lstatSync(dir).isSymbolicLink()) rmSync(dir); // an older layout linked the whole checkout
  mkdirSync(dir, { recursive: true });
  for (const name of packagedEntries()) {
    const target = join(dir, name);
    if (existsSync(target) || lstatSafe(target)) rmSync(target, { recursive: true, force: true });
    cpSync(join(root, name), target, { recursive: true });
  }
  writeFileSync(join(dir, 'README.md'), pageReadme());
  return dir;
}

function lstatSafe(p) {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [flag, target] = process.argv.slice(2);
  if (flag === '--readme' && target) {
    mkdirSync(dirname(resolve(target)), { recursive: true });
    writeFileSync(target, pageReadme());
  } else if (flag && !flag.startsWith('-')) {
    stageExtension(resolve(flag));
  } else {
    process.stderr.write('usage: node scripts/stageExtension.mjs DIR | --readme FILE\n');
    process.exitCode = 2;
  }
}
