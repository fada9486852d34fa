import type { Position, Range } from './findings';

/** Offset ↔ 0-based line/UTF-16 character, as LSP and VS Code count (JS strings are UTF-16). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    let i = text.indexOf('\n');
    while (i >= 0) {
      this.starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
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

  /** End of the line's content, before `\n` or `\r\n`. */
  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    return next > this.lineStart(line) && this.text.charCodeAt(next - 1) === 13 ? next - 1 : next;
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
