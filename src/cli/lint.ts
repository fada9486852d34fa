/**
 * `kwi lint [--format text|json|sarif] [--locale en|ko] [--fix] PATH...`: the editor's analysis for CI.
 * Exit 1 when any error-severity finding exists, else 0; 2 for bad usage or an unreadable path.
 * `--fix` first writes the editor's "fix all" edits to the files, then reports what is left.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Analyzer } from '../core/analyzer';
import { applyTextEdits, fixAll } from '../core/fixAll';
import type { Locale } from '../core/messages';
import { looksLikeTrustPolicy } from '../core/rules/trustPolicyRules';
import type { LintResult } from './lintResult';
import { toSarif } from './sarif';

const USAGE = 'Usage: kwi lint [--format text|json|sarif] [--locale en|ko] [--fix] PATH...\n';
const SKIP_DIRS = new Set(['node_modules', '.git']);
type Format = 'text' | 'json' | 'sarif';

class UsageError extends Error {}

interface LintArgs {
  format: Format;
  locale: Locale;
  fix: boolean;
  paths: string[];
}

function parseArgs(args: readonly string[], env: NodeJS.ProcessEnv): LintArgs | 'help' {
  let format: Format = 'text';
  let locale: Locale = /^ko/i.test(env.LC_ALL || env.LC_MESSAGES || env.LANG || '') ? 'ko' : 'en';
  const paths: string[] = [];
  let fix = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`kwi lint: ${flag} needs a value`);
      return v;
    };
    if (flag === '--help' || flag === '-h') return 'help';
    if (flag === '--format' || flag === '-f') {
      const v = value();
      if (v !== 'text' && v !== 'json' && v !== 'sarif') throw new UsageError(`kwi lint: unknown format '${v}'`);
      format = v;
    } else if (flag === '--locale') {
      const v = value();
      if (v !== 'en' && v !== 'ko') throw new UsageError(`kwi lint: unknown locale '${v}'`);
      locale = v;
    } else if (flag === '--fix' && inline === undefined) {
      fix = true;
    } else if (flag === '--') {
      paths.push(...args.slice(i + 1));
      break;
    } else if (flag.startsWith('-') && flag.length > 1) {
      throw new UsageError(`kwi lint: unknown option '${flag}'`);
    } else {
      paths.push(arg);
    }
  }
  if (paths.length === 0) throw new UsageError('kwi lint: no PATH given');
  return { format, locale, fix, paths };
}

async function collect(root: string, out: string[], explicit: boolean): Promise<void> {
  const stat = await fs.stat(root);
  if (stat.isDirectory()) {
    const entries = await fs.readdir(root, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(root, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) await collect(full, out, false);
      } else if (entry.isFile() && /\.(ya?ml|json)$/i.test(entry.name)) {
        out.push(full);
      }
    }
  } else if (explicit || stat.isFile()) {
    out.push(root);
  }
}

/** Paths in reports: relative to the working directory, with forward slashes (SARIF needs that). */
function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return (rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.resolve(file)).split(path.sep).join('/');
}

async function packageVersion(): Promise<string> {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(await fs.readFile(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'workload-identity-k8s' && pkg.version) return pkg.version;
    } catch {
      // keep looking upwards
    }
    dir = path.dirname(dir);
  }
  return '0.0.0';
}

export async function runLint(args: string[], stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed: LintArgs | 'help';
  try {
    parsed = parseArgs(args, env);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    stderr.write(`${e.message}\n${USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    stdout.write(USAGE);
    return 0;
  }
  const files: string[] = [];
  const texts = new Map<string, string>();
  try {
    for (const p of parsed.paths) await collect(p, files, true);
    for (const f of files) texts.set(f, await fs.readFile(f, 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    stderr.write(`kwi lint: cannot read ${err.path ?? ''}: ${err.code ?? err.message}\n`);
    return 2;
  }
  const analyzer = new Analyzer({ locale: parsed.locale });
  // JSON files count only when they are IAM trust policies (package.json etc. are skipped).
  const relevant = [...texts].filter(([f, t]) => !/\.json$/i.test(f) || looksLikeTrustPolicy(t));
  for (const [file, text] of relevant) analyzer.indexFile(path.resolve(file), text);
  if (parsed.fix) {
    try {
      await fixFiles(analyzer, relevant, stderr);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      stderr.write(`kwi lint: cannot write ${err.path ?? ''}: ${err.code ?? err.message}\n`);
      return 2;
    }
  }
  const results: LintResult[] = [];
  for (const [file, text] of relevant) {
    const analysis = analyzer.analyze(path.resolve(file), text);
    if (analysis.skipped) stderr.write(`kwi lint: ${displayPath(file)}: ${analysis.skipped}\n`);
    for (const f of analysis.findings) {
      results.push({ file: displayPath(file), rule: f.rule, severity: f.severity, message: f.message, range: f.range });
    }
  }
  if (parsed.format === 'json') stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else if (parsed.format === 'sarif') stdout.write(`${JSON.stringify(toSarif(results, await packageVersion()), null, 2)}\n`);
  else stdout.write(formatText(results, relevant.length));
  return results.some((r) => r.severity === 'error') ? 1 : 0;
}

/** Fix passes per file: a fix skipped for a conflict is picked up by the next pass. */
const FIX_PASSES = 3;

/** Applies every file's "fix all" edits in place (updating `files`), and says how many on stderr. */
async function fixFiles(analyzer: Analyzer, files: Array<[string, string]>, stderr: NodeJS.WritableStream): Promise<void> {
  let fixedFindings = 0;
  let changedFiles = 0;
  for (const entry of files) {
    const [file, original] = entry;
    const uri = path.resolve(file);
    let text = original;
    for (let pass = 0; pass < FIX_PASSES; pass++) {
      const { edits, fixed } = fixAll(analyzer.analyze(uri, text).findings);
      if (edits.length === 0) break;
      text = applyTextEdits(text, edits);
      fixedFindings += fixed;
    }
    if (text === original) continue;
    await fs.writeFile(file, text, 'utf8');
    entry[1] = text;
    changedFiles++;
  }
  stderr.write(`kwi lint: fixed ${fixedFindings} finding(s) in ${changedFiles} file(s)\n`);
}

function formatText(results: readonly LintResult[], fileCount: number): string {
  let out = '';
  for (const r of results) {
    out += `${r.file}:${r.range.start.line + 1}:${r.range.start.character + 1}: ${r.severity} ${r.rule}: ${r.message}\n`;
  }
  const count = (s: string): number => results.filter((r) => r.severity === s).length;
  out += `${results.length} problem(s) in ${fileCount} file(s): ${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info\n`;
  return out;
}
