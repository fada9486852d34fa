import type { Position, Range } from './findings';

/**
 * Offset ↔ 0-based line/UTF-16 character, as LSP and VS Code count (JS strings are UTF-16). Lines
 * end at `\n`, `\r\n` or a lone `\r`, the three line endings of the LSP specification ("Text
 * Documents") and of YAML (yaml.org/spec/1.2.2 §5.4).
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    if (!text.includes('\r')) {
      let i = text.indexOf('\n');
      while (i >= 0) {
        this.starts.push(i + 1);
        i = text.indexOf('\n', i + 1);
      }
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** End of the line's content, before `\n`, `\r\n` or `\r`. */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    const brk = this.starts[line + 1] - 1;
    return this.text.charCodeAt(brk) === 10 && brk > this.lineStart(line) && this.text.charCodeAt(brk - 1) === 13
      ? brk - 1
      : brk;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(o);
    return { line, character: o - this.starts[line] };
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  offsetAt(position: Position): number {
    return Math.min(this.lineStart(position.line) + position.character, this.text.length);
  }

  /** Spaces before the first non-space character of the line holding `offset`. */
  indentOf(offset: number): number {
    const s = this.lineStart(this.lineOf(offset));
    let i = s;
    while (this.text.charCodeAt(i) === 32) i++;
    return i - s;
  }
}
