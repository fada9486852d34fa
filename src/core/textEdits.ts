/**
 * Minimal text edits on YAML source: insert a pair (creating missing parent maps), remove a pair,
 * replace a span. Everything outside the edited span stays byte-for-byte: we never re-serialize a
 * document. Offsets are absolute (file); YAML nodes are relative to their document's `base`.
 */
import type { TextEdit } from './findings';
import type { LineIndex } from './lineIndex';
import { getPair, isMap, isScalar } from './yamlModel';
import type { YMap, YPair } from './yamlModel';

export interface SourceText {
  readonly text: string;
  readonly lines: LineIndex;
  readonly eol: string;
}

export interface OffsetEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export function toTextEdit(src: SourceText, edit: OffsetEdit): TextEdit {
  return { range: src.lines.rangeOf(edit.start, edit.end), newText: edit.newText };
}

/** The style of the first line break: `\n`, `\r\n`, or `\r` (old Mac files). */
export function detectEol(text: string): string {
  const n = text.indexOf('\n');
  const r = text.indexOf('\r');
  if (r < 0 || (n >= 0 && n < r)) return '\n';
  return r + 1 === n ? '\r\n' : '\r';
}

/**
 * The text with each lone `\r` turned into `\n`: the same length and offsets, and the same lines,
 * for the scanners (ours and the `yaml` package) that only know `\n` and `\r\n`.
 */
export function normalizeLoneCr(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** The document's indentation step: the first increase of indentation between two key lines. */
export function indentUnit(src: SourceText, base: number, end: number): number {
  const re = /^( *)([^ \r\n#-][^\r\n]*)$/gm;
  re.lastIndex = base;
  let prev = -1;
  for (let m = re.exec(src.text); m && m.index < end; m = re.exec(src.text)) {
    const indent = m[1].length;
    if (prev >= 0 && indent > prev) return Math.min(indent - prev, 8);
    prev = indent;
  }
  return 2;
}

function column(src: SourceText, offset: number): number {
  return offset - src.lines.lineStart(src.lines.lineOf(offset));
}

/** The line holding the last character of [start, end). */
function lastLine(src: SourceText, start: number, end: number): number {
  return src.lines.lineOf(Math.max(start, end - 1));
}

function blockLines(
  keys: readonly string[],
  leaf: readonly [string, string],
  col: number,
  unit: number,
  eol: string,
): string {
  let out = '';
  keys.forEach((k, i) => {
    out += `${eol}${' '.repeat(col + i * unit)}${k}:`;
  });
  out += `${eol}${' '.repeat(col + keys.length * unit)}${leaf[0]}: ${leaf[1]}`;
  return out;
}

function flowText(keys: readonly string[], leaf: readonly [string, string]): string {
  let out = `${leaf[0]}: ${leaf[1]}`;
  for (let i = keys.length - 1; i >= 0; i--) out = `${keys[i]}: {${out}}`;
  return out;
}

/** Insert `keys[0]: {keys[1]: … {leaf}}` as the last entry of `map`. */
function insertNested(
  src: SourceText,
  base: number,
  map: YMap,
  keys: readonly string[],
  leaf: readonly [string, string],
): OffsetEdit {
  if (map.flow) {
    const last = map.pairs[map.pairs.length - 1];
    if (last) {
      const at = base + (last.value ? last.value.end : last.keyEnd);
      return { start: at, end: at, newText: `, ${flowText(keys, leaf)}` };
    }
    return { start: base + map.start + 1, end: base + map.start + 1, newText: flowText(keys, leaf) };
  }
  const col = column(src, base + map.start);
  const unit = indentUnit(src, base, base + map.end);
  const at = src.lines.lineEnd(lastLine(src, base + map.start, base + map.end));
  return { start: at, end: at, newText: blockLines(keys, leaf, col, unit, src.eol) };
}

/**
 * Make `map.path…` hold `leaf`: insert what is missing (with the document's indentation), or
 * replace the leaf's value when the key is already there. Undefined when a path element is a
 * scalar (nothing sensible to do).
 */
export function ensurePath(
  src: SourceText,
  base: number,
  map: YMap,
  path: readonly string[],
  leaf: readonly [string, string],
): OffsetEdit | undefined {
  let current = map;
  for (let i = 0; i < path.length; i++) {
    const pair = getPair(current, path[i]);
    if (!pair) return insertNested(src, base, current, path.slice(i), leaf);
    if (isMap(pair.value)) {
      current = pair.value;
      continue;
    }
    if (pair.value === null || (isScalar(pair.value) && pair.value.value === null && pair.value.style === 'plain')) {
      // `labels:` with no value (or `~`/`null`): put the children under the key's line.
      const col = column(src, base + pair.keyStart);
      const unit = indentUnit(src, base, base + current.end);
      if (pair.value && pair.value.end > pair.value.start) {
        return {
          start: base + pair.value.start,
          end: base + pair.value.end,
          newText: `{${flowText(path.slice(i + 1), leaf)}}`,
        };
      }
      const at = src.lines.lineEnd(src.lines.lineOf(base + pair.keyEnd));
      return { start: at, end: at, newText: blockLines(path.slice(i + 1), leaf, col + unit, unit, src.eol) };
    }
    return undefined;
  }
  const existing = getPair(current, leaf[0]);
  if (existing) {
    if (existing.value) return { start: base + existing.value.start, end: base + existing.value.end, newText: leaf[1] };
    const at = base + existing.keyEnd + 1;
    return { start: at, end: at, newText: ` ${leaf[1]}` };
  }
  return insertNested(src, base, current, [], leaf);
}

/** Remove a pair with its whole line(s); undefined when it shares a line with other content. */
export function removePair(src: SourceText, base: number, map: YMap, pair: YPair): OffsetEdit | undefined {
  const keyStart = base + pair.keyStart;
  const pairEnd = base + (pair.value ? pair.value.end : pair.keyEnd + 1);
  if (map.flow) {
    const idx = map.pairs.indexOf(pair);
    const next = map.pairs[idx + 1];
    const prev = map.pairs[idx - 1];
    if (next) return { start: keyStart, end: base + next.keyStart, newText: '' };
    if (prev) return { start: base + (prev.value ? prev.value.end : prev.keyEnd), end: pairEnd, newText: '' };
    return { start: keyStart, end: pairEnd, newText: '' };
  }
  const line = src.lines.lineOf(keyStart);
  const lineStart = src.lines.lineStart(line);
  if (src.text.slice(lineStart, keyStart).trim() !== '') return undefined;
  const endLine = lastLine(src, keyStart, pairEnd);
  const end = endLine + 1 < src.lines.lineCount ? src.lines.lineStart(endLine + 1) : src.text.length;
  const start = end === src.text.length && lineStart > 0 ? src.lines.lineEnd(line - 1) : lineStart;
  return { start, end, newText: '' };
}

/** `"value"` in the double-quoted style (JSON escapes are valid YAML double-quoted escapes). */
export function quoted(value: string): string {
  return JSON.stringify(value);
}
