// Every user-visible string exists in English and Korean: the strings the code passes to
// vscode.l10n.t, and the %keys% package.json refers to. A string added without its Korean entry
// would show in English to Korean users, silently; this test is where that is caught.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '../../../..');
const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, unknown>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : name.endsWith('.ts') ? [full] : [];
  });
}

/** The first argument of each `l10n.t(...)` call when it is a literal ('…', "…" or `…` without ${}). */
function l10nLiterals(text: string): string[] {
  const found: string[] = [];
  const call = /\bl10n\.t\(\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\$]|\\.)*`)/g;
  for (const m of text.matchAll(call)) {
    const lit = m[1];
    const body = lit.slice(1, -1);
    // The literal is a JavaScript string; read its escapes the way the compiler does.
    found.push(lit[0] === '"' ? JSON.parse(lit) as string : JSON.parse(`"${body.replace(/\\'/g, "'").replace(/\\`/g, '`').replace(/"/g, '\\"')}"`) as string);
  }
  return found;
}

const hasLetters = (s: string): boolean => /[A-Za-z]{2}/.test(s.replace(/\{\d+\}/g, ''));
/** Product and Kubernetes names that Korean documentation keeps in English too. */
const SAME_IN_KOREAN = new Set(['Azure CLI', 'ServiceAccount {0}/{1}', 'kubeconfig']);

test('every vscode.l10n.t string has an English and a Korean bundle entry', () => {
  const en = readJson('l10n/bundle.l10n.json');
  const ko = readJson('l10n/bundle.l10n.ko.json');
  const used = new Set(sourceFiles(path.join(ROOT, 'src')).flatMap((f) => l10nLiterals(readFileSync(f, 'utf8'))));
  assert.ok(used.size > 50, `found only ${used.size} l10n.t strings: the scan is broken`);
  const missingEn = [...used].filter((s) => !(s in en));
  const missingKo = [...used].filter((s) => !(s in ko));
  assert.deepEqual(missingEn, [], 'l10n.t strings missing from l10n/bundle.l10n.json');
  assert.deepEqual(missingKo, [], 'l10n.t strings missing from l10n/bundle.l10n.ko.json');
  const untranslated = [...used].filter((s) => hasLetters(s) && ko[s] === s && !SAME_IN_KOREAN.has(s));
  assert.deepEqual(untranslated, [], 'Korean entries that are still the English text');
  // Placeholders survive translation: a lost {1} shows the user a sentence without its value.
  const placeholders = (s: string): string => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort().join();
  const broken = [...used].filter((s) => typeof ko[s] === 'string' && placeholders(ko[s] as string) !== placeholders(s));
  assert.deepEqual(broken, [], 'Korean entries whose {n} placeholders differ from the English');
});

test('every %key% of package.json is in package.nls.json and package.nls.ko.json', () => {
  const manifest = readFileSync(path.join(ROOT, 'package.json'), 'utf8');
  const keys = new Set([...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]));
  assert.ok(keys.size > 20, `found only ${keys.size} %keys%`);
  const en = readJson('package.nls.json');
  const ko = readJson('package.nls.ko.json');
  assert.deepEqual([...keys].filter((k) => !(k in en)), [], 'missing from package.nls.json');
  assert.deepEqual([...keys].filter((k) => !(k in ko)), [], 'missing from package.nls.ko.json');
  assert.deepEqual(Object.keys(ko).filter((k) => !(k in en)), [], 'Korean keys with no English original');
  assert.deepEqual([...keys].filter((k) => hasLetters(String(en[k])) && ko[k] === en[k]), [], 'Korean text identical to the English');
});

test('every walkthrough step shows a Markdown page in English and another in Korean', () => {
  const manifest = readJson('package.json') as {
    contributes: { walkthroughs: { steps: { id: string; media: { markdown?: string } }[] }[] };
  };
  const en = readJson('package.nls.json');
  const ko = readJson('package.nls.ko.json');
  const steps = manifest.contributes.walkthroughs.flatMap((w) => w.steps);
  assert.ok(steps.length >= 5, `found only ${steps.length} steps`);
  for (const step of steps) {
    const key = /^%(.+)%$/.exec(step.media.markdown ?? '')?.[1];
    assert.ok(key, `${step.id}: its media is a %key%`);
    const [enFile, koFile] = [String(en[key]), String(ko[key])];
    assert.notEqual(enFile, koFile, `${step.id}: the Korean page is its own file`);
    for (const file of [enFile, koFile]) {
      assert.ok(statSync(path.join(ROOT, file)).isFile(), `${step.id}: ${file} exists`);
    }
  }
});
