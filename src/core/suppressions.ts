/**
 * Per-file suppressions: `# kwi-disable-next-line RULE[,RULE]` silences the next line,
 * `# kwi-disable-file RULE[,RULE]` the whole file; no rule means every rule.
 */
import type { LineIndex } from './lineIndex';

export interface Suppressions {
  isSuppressed(rule: string, line: number): boolean;
}

const NONE: Suppressions = { isSuppressed: () => false };
const DIRECTIVE_RE = /#\s*kwi-disable-(next-line|file)(?=[\s,]|$)([^\r\n]*)/g;

export function parseSuppressions(text: string, lines: LineIndex): Suppressions {
  if (!text.includes('kwi-disable')) return NONE;
  const fileRules = new Set<string>();
  let fileAll = false;
  const byLine = new Map<number, { all: boolean; rules: Set<string> }>();
  DIRECTIVE_RE.lastIndex = 0;
  for (let m = DIRECTIVE_RE.exec(text); m; m = DIRECTIVE_RE.exec(text)) {
    // A trailing `# comment` after the rule list is not part of it.
    const rules = m[2]
      .split('#')[0]
      .split(/[\s,]+/)
      .filter(Boolean);
    if (m[1] === 'file') {
      if (rules.length === 0) fileAll = true;
      for (const r of rules) fileRules.add(r);
    } else {
      const line = lines.lineOf(m.index) + 1;
      const entry = byLine.get(line) ?? { all: false, rules: new Set<string>() };
      if (rules.length === 0) entry.all = true;
      for (const r of rules) entry.rules.add(r);
      byLine.set(line, entry);
    }
  }
  return {
    isSuppressed(rule: string, line: number): boolean {
      if (fileAll || fileRules.has(rule)) return true;
      const entry = byLine.get(line);
      return entry !== undefined && (entry.all || entry.rules.has(rule));
    },
  };
}
