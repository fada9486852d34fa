/**
 * `kwi lint [--format text|json|sarif] [--locale en|ko] [--fix] PATH...`: the editor's analysis for CI.
 * Exit 1 when any error-severity finding exists, else 0; 2 for bad usage, an unreadable path (the
 * other files are still reported) or a failed `--fix` write (then no file is changed).
 * Non-regular files (FIFOs, devices) and files too large to analyse are skipped with a line on stderr.
 * `--fix` first writes the editor's "fix all" edits to the files, all or none, then reports what is
 * left; it leaves files that are not valid UTF-8 alone.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Analyzer } from '../core/analyzer';
import type { Finding } from '../core/findings';
import { applyTextEdits, fixAll } from '../core/fixAll';
import { message } from '../core/messages';
import type { Locale } from '../core/messages';
import { looksLikeTrustPolicy } from '../core/rules/trustPolicyRules';
import { MAX_FILE_CHARS } from '../core/yamlDocuments';
import { FixTransaction, FixWriteError } from './fixWriter';
import { collectFiles, readSource } from './lintFiles';
import type { CollectProblem } from './lintFiles';
import type { LintResult } from './lintResult';
import { toSarif } from './sarif';
import { escapeControl } from './textEscape';

const USAGE = 'Usage: kwi lint [--format text|json|sarif] [--locale en|ko] [--fix] PATH...\n';
type Format = 'text' | 'json' | 'sarif';

class UsageError extends Error {}

interface LintArgs {
  format: Format;
  locale: Locale;
  fix: boolean;
  paths: string[];
}

/**
 * Node's `util.parseArgs` splits the words (`--format=json`, `-f json`, `--`); the tokens are then
 * read in order, so the first problem is the one reported and `--help` wins only when it comes first.
 */
function parseLintArgs(args: readonly string[], env: NodeJS.ProcessEnv): LintArgs | 'help' {
  let format: Format = 'text';
  let locale: Locale = /^ko/i.test(env.LC_ALL || env.LC_MESSAGES || env.LANG || '') ? 'ko' : 'en';
  const paths: string[] = [];
  let fix = false;
  const { tokens } = parseArgs({
    args: [...args],
    options: {
      format: { type: 'string', short: 'f' },
      locale: { type: 'string' },
      fix: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === 'positional') {
      paths.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') continue;
    const flag = token.rawName;
    const value = (): string => {
      if (token.value === undefined) throw new UsageError(`kwi lint: ${flag} needs a value`);
      return token.value;
    };
    if (token.name === 'help') return 'help';
    if (token.name === 'format') {
      const v = value();
      if (v !== 'text' && v !== 'json' && v !== 'sarif') throw new UsageError(`kwi lint: unknown format '${v}'`);
      format = v;
    } else if (token.name === 'locale') {
      const v = value();
      if (v !== 'en' && v !== 'ko') throw new UsageError(`kwi lint: unknown locale '${v}'`);
      locale = v;
    } else if (token.name === 'fix' && !token.inlineValue) {
      fix = true;
    } else {
      throw new UsageError(`kwi lint: unknown option '${flag}'`);
    }
  }
  if (paths.length === 0) throw new UsageError('kwi lint: no PATH given');
  return { format, locale, fix, paths };
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
      const pkg = JSON.parse(await fs.readFile(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'workload-identity-k8s' && pkg.version) return pkg.version;
    } catch {
      // keep looking upwards
    }
    dir = path.dirname(dir);
  }
  return '0.0.0';
}

export async function runLint(
  args: string[],
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let parsed: LintArgs | 'help';
  try {
    parsed = parseLintArgs(args, env);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    stderr.write(`${e.message}\n${USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    stdout.write(USAGE);
    return 0;
  }
  const say = (file: string, what: string): void => {
    stderr.write(`kwi lint: ${escapeControl(displayPath(file))}: ${escapeControl(what)}\n`);
  };
  let unreadable = false;
  const problems: CollectProblem[] = [];
  const collected = await collectFiles(parsed.paths, problems);
  for (const p of problems) {
    if (p.kind === 'error') {
      stderr.write(`kwi lint: cannot read ${escapeControl(displayPath(p.path))}: ${p.code}\n`);
      unreadable = true;
    } else {
      say(p.path, `skipped: ${p.what} is not a regular file`);
    }
  }
  const files = [...new Set(collected.map((f) => path.resolve(f)))];
  const locale = parsed.locale;
  /** Reads a file for one pass; undefined (and a line on stderr the first time) when it cannot be analysed. */
  const read = async (file: string, first: boolean): Promise<{ text: string; utf8: boolean } | undefined> => {
    const r = await readSource(file);
    if (r.kind === 'text') return r;
    if (!first) {
      // It changed between passes: say so, whatever it became.
      unreadable = true;
    }
    if (r.kind === 'error') {
      stderr.write(`kwi lint: cannot read ${escapeControl(displayPath(file))}: ${r.code}\n`);
      unreadable = true;
    } else if (r.kind === 'special') {
      say(file, `skipped: ${r.what} is not a regular file`);
    } else {
      say(
        file,
        message(locale, 'skipped.fileBytes', r.bytes.toLocaleString('en-US'), MAX_FILE_CHARS.toLocaleString('en-US')),
      );
    }
    return undefined;
  };

  const analyzer = new Analyzer({ locale });
  // Pass 1, the cross-file index. Files are read one at a time: only what the index keeps stays in memory.
  const relevant: string[] = [];
  for (const file of files) {
    const source = await read(file, true);
    // JSON files count only when they are IAM trust policies (package.json etc. are skipped).
    if (!source || (/\.json$/i.test(file) && !looksLikeTrustPolicy(source.text))) continue;
    analyzer.indexFile(file, source.text);
    relevant.push(file);
  }
  if (parsed.fix) {
    const code = await fixFiles(analyzer, relevant, read, stderr);
    if (code !== 0) return code;
  }
  // The report: what is on disk now (after --fix, the fixed files).
  const results: LintResult[] = [];
  let analysed = 0;
  for (const file of relevant) {
    const source = await read(file, false);
    if (!source) continue;
    analysed++;
    const analysis = analyzer.analyze(file, source.text);
    if (analysis.skipped) say(file, analysis.skipped);
    for (const f of analysis.findings) {
      results.push({ file: displayPath(file), rule: f.rule, severity: f.severity, message: f.message, range: f.range });
    }
  }
  if (parsed.format === 'json') stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else if (parsed.format === 'sarif') {
    stdout.write(`${JSON.stringify(toSarif(results, await packageVersion()), null, 2)}\n`);
  } else stdout.write(formatText(results, analysed));
  if (unreadable) return 2;
  return results.some((r) => r.severity === 'error') ? 1 : 0;
}

/** Fix passes per file: a fix skipped for a conflict is picked up by the next pass. */
const FIX_PASSES = 3;

const findingKey = (f: Finding): string => `${f.rule}\u0000${f.message}`;

/** How many of `before` are gone from `after` (matched by rule and message, as positions move). */
function goneCount(before: readonly Finding[], after: readonly Finding[]): number {
  const left = new Map<string, number>();
  for (const f of after) left.set(findingKey(f), (left.get(findingKey(f)) ?? 0) + 1);
  let gone = 0;
  for (const f of before) {
    const k = findingKey(f);
    const n = left.get(k) ?? 0;
    if (n > 0) left.set(k, n - 1);
    else gone++;
  }
  return gone;
}

type Reader = (file: string, first: boolean) => Promise<{ text: string; utf8: boolean } | undefined>;

/**
 * Computes every file's "fix all" edits and stages the fixed texts; renames them over the
 * originals only when all were written (FixTransaction). Counts as fixed only the findings that
 * are gone after the edits, so a fix that changes nothing is never claimed. 0, or 2 on failure.
 */
async function fixFiles(
  analyzer: Analyzer,
  files: readonly string[],
  read: Reader,
  stderr: NodeJS.WritableStream,
): Promise<number> {
  let fixedFindings = 0;
  const tx = new FixTransaction();
  try {
    for (const file of files) {
      const source = await read(file, false);
      if (!source) continue;
      const original = source.text;
      const before = analyzer.analyze(file, original).findings;
      let findings = before;
      let text = original;
      for (let pass = 0; pass < FIX_PASSES; pass++) {
        const { edits } = fixAll(findings);
        if (edits.length === 0) break;
        const next = applyTextEdits(text, edits);
        if (next === text) break;
        text = next;
        findings = analyzer.analyze(file, text).findings;
      }
      if (text === original) continue;
      if (!source.utf8) {
        // Writing the decoded text back would turn every invalid byte into U+FFFD.
        stderr.write(`kwi lint: ${escapeControl(displayPath(file))}: not valid UTF-8; not fixing it\n`);
        analyzer.analyze(file, original);
        continue;
      }
      await tx.stage(file, text);
      fixedFindings += goneCount(before, findings);
    }
    const changed = tx.size;
    await tx.commit();
    stderr.write(`kwi lint: fixed ${fixedFindings} finding(s) in ${changed} file(s)\n`);
    return 0;
  } catch (e) {
    await tx.abort();
    if (!FixWriteError.is(e)) throw e;
    stderr.write(`kwi lint: cannot write ${escapeControl(displayPath(e.file))}: ${e.code}\n`);
    return 2;
  }
}

function formatText(results: readonly LintResult[], fileCount: number): string {
  let out = '';
  for (const r of results) {
    out += `${escapeControl(r.file)}:${r.range.start.line + 1}:${r.range.start.character + 1}: ${r.severity} ${r.rule}: ${escapeControl(r.message)}\n`;
  }
  const count = (s: string): number => results.filter((r) => r.severity === s).length;
  out += `${results.length} problem(s) in ${fileCount} file(s): ${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info\n`;
  return out;
}
