/**
 * A fast scanner for the block-style YAML subset that Kubernetes manifests are written in: block
 * maps and sequences, single-line plain and quoted scalars, single-line flow collections, literal
 * and folded block scalars, comments. Anything else (anchors, aliases, tags, multi-line plain or
 * quoted scalars, complex keys, directives, tabs in indentation) makes it return undefined and the
 * caller falls back to the `yaml` package (yamlFallback.ts), so the result is never a guess.
 *
 * Why not always `yaml`? The rules read a dozen paths per document, and building `yaml`'s full
 * CST + AST costs about 20x this line scan (measured by scripts/benchLint.mjs).
 */
import { resolvePlain } from './scalars';
import type { YMap, YNode, YPair, YScalar, YSeq, ScalarStyle } from './yamlModel';

class Unsupported {
  // A sentinel, thrown to unwind to scanBlockYaml; never escapes this module.
}
const UNSUPPORTED = new Unsupported();

function bail(): never {
  throw UNSUPPORTED;
}

const MAX_DEPTH = 100;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const CR = 13; // '\r'
const EXCLAMATION = 33; // '!'
const DOUBLE_QUOTE = 34; // '"'
const PERCENT = 37; // '%'
const AMPERSAND = 38; // '&'
const SINGLE_QUOTE = 39; // "'"
const ASTERISK = 42; // '*'
const PLUS = 43; // '+'
const COMMA = 44; // ','
const DIGIT_0 = 48; // '0'
const DIGIT_9 = 57; // '9'
const GREATER_THAN = 62; // '>'
const QUESTION = 63; // '?'
const AT = 64; // '@'
const LEFT_BRACKET = 91; // '['
const BACKSLASH = 92; // '\\'
const RIGHT_BRACKET = 93; // ']'
const BACKTICK = 96; // '`'
const LEFT_BRACE = 123; // '{'
const PIPE = 124; // '|'
const RIGHT_BRACE = 125; // '}'

interface Flow {
  node: YNode;
  next: number;
}

class Scanner {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Column of the first non-space character, or -1 for blank and comment-only lines. */
  private readonly indents: number[] = [];
  private li = 0;
  private depth = 0;

  constructor(private readonly text: string) {
    const n = text.length;
    let pos = 0;
    while (pos <= n) {
      let nl = text.indexOf('\n', pos);
      if (nl < 0) nl = n;
      let end = nl;
      if (end > pos && text.charCodeAt(end - 1) === CR) end--;
      let i = pos;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      let indent = i - pos;
      if (i === end) indent = -1;
      else {
        const c = text.charCodeAt(i);
        if (c === HASH) indent = -1;
        else if (c === TAB) {
          // A tab after the indentation is harmless only on an otherwise blank line.
          let j = i;
          while (j < end && (text.charCodeAt(j) === TAB || text.charCodeAt(j) === SPACE)) j++;
          if (j === end || text.charCodeAt(j) === HASH) indent = -1;
          else bail();
        }
      }
      this.starts.push(pos);
      this.ends.push(end);
      this.indents.push(indent);
      pos = nl + 1;
    }
    const first = this.nextContent(0);
    if (first < this.starts.length) {
      const s = this.starts[first];
      if (this.indents[first] === 0 && text.startsWith('---', s)) {
        // The document marker line; anything after it on the line (a node, a tag) is unsupported.
        const rest = text.slice(s + 3, this.ends[first]).trim();
        if (rest.length > 0 && !rest.startsWith('#')) bail();
        if (s + 3 < this.ends[first] && text.charCodeAt(s + 3) !== SPACE && text.charCodeAt(s + 3) !== TAB) bail();
        this.indents[first] = -1;
      }
    }
    for (let k = 0; k < this.indents.length; k++) {
      if (this.indents[k] === 0) {
        const c = text.charCodeAt(this.starts[k]);
        if (c === PERCENT || text.startsWith('---', this.starts[k]) || text.startsWith('...', this.starts[k])) bail();
      }
    }
  }

  parse(): YNode | null {
    this.li = this.nextContent(0);
    if (this.li >= this.starts.length) return null;
    const col = this.indents[this.li];
    const off = this.starts[this.li] + col;
    // A root that is neither a block map nor a block sequence: a flow collection or a scalar.
    const node =
      this.isSeqIndicator(this.li, col) || this.looksLikePair(off, this.ends[this.li])
        ? this.parseCollectionAt(col)
        : this.parseInlineValue(off, -1);
    this.li = this.nextContent(this.li);
    if (this.li < this.starts.length) bail();
    return node;
  }

  private nextContent(li: number): number {
    const n = this.indents.length;
    while (li < n && this.indents[li] < 0) li++;
    return li;
  }

  private isSeqIndicator(li: number, col: number): boolean {
    const off = this.starts[li] + col;
    if (this.text.charCodeAt(off) !== DASH) return false;
    if (off + 1 >= this.ends[li]) return true;
    const c = this.text.charCodeAt(off + 1);
    return c === SPACE || c === TAB;
  }

  /** A block node on the following lines, more indented than parentCol (or a sequence at it). */
  private parseNestedNode(parentCol: number, seqAtParent: boolean): YNode | null {
    const li = this.nextContent(this.li);
    this.li = li;
    if (li >= this.starts.length) return null;
    const col = this.indents[li];
    if (col > parentCol) return this.parseCollectionAt(col);
    if (seqAtParent && col === parentCol && this.isSeqIndicator(li, col)) return this.parseSeq(col);
    return null;
  }

  private parseCollectionAt(col: number): YNode {
    // Deeper than any manifest: leave it to `yaml` (and keep our recursion bounded).
    if (++this.depth > MAX_DEPTH) bail();
    const node = this.isSeqIndicator(this.li, col)
      ? this.parseSeq(col)
      : this.parseMap(col, this.starts[this.li] + col);
    this.depth--;
    return node;
  }

  private parseMap(col: number, firstOff: number): YMap {
    const pairs: YPair[] = [];
    let off = firstOff;
    let end = firstOff;
    for (;;) {
      const [pair, pairEnd] = this.parsePair(off, col);
      pairs.push(pair);
      end = pairEnd;
      const li = this.nextContent(this.li);
      this.li = li;
      if (li >= this.starts.length) break;
      const indent = this.indents[li];
      if (indent === col && !this.isSeqIndicator(li, col)) {
        off = this.starts[li] + col;
        continue;
      }
      if (indent > col) bail();
      if (indent === col) bail(); // a `- ` where a key was expected
      break;
    }
    return { kind: 'map', pairs, flow: false, start: firstOff, end };
  }

  private parsePair(off: number, col: number): [YPair, number] {
    const text = this.text;
    const lineEnd = this.ends[this.li];
    const c = text.charCodeAt(off);
    let key: string;
    let keyEnd: number;
    let keyStyle: ScalarStyle = 'plain';
    let colon: number;
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const q = this.scanQuoted(off, lineEnd);
      key = q.value;
      keyEnd = q.end;
      keyStyle = c === DOUBLE_QUOTE ? 'double' : 'single';
      colon = keyEnd;
      while (colon < lineEnd && text.charCodeAt(colon) === SPACE) colon++;
      if (text.charCodeAt(colon) !== COLON) bail();
      const after = colon + 1 < lineEnd ? text.charCodeAt(colon + 1) : SPACE;
      if (after !== SPACE && after !== TAB) bail();
    } else {
      if (isIndicator(c)) bail();
      colon = findPlainColon(text, off, lineEnd);
      if (colon < 0) bail();
      keyEnd = colon;
      while (keyEnd > off && (text.charCodeAt(keyEnd - 1) === SPACE || text.charCodeAt(keyEnd - 1) === TAB)) keyEnd--;
      if (keyEnd === off) bail();
      key = text.slice(off, keyEnd);
      if (key === '<<') bail(); // a merge key: `yaml` and yamlFallback.ts resolve it
    }
    let v = colon + 1;
    while (v < lineEnd && (text.charCodeAt(v) === SPACE || text.charCodeAt(v) === TAB)) v++;
    let value: YNode | null;
    let end: number;
    if (v >= lineEnd || text.charCodeAt(v) === HASH) {
      this.li++;
      value = this.parseNestedNode(col, true);
      end = value ? value.end : colon + 1;
    } else {
      value = this.parseInlineValue(v, col);
      end = value.end;
    }
    return [{ key, keyStart: off, keyEnd, keyStyle, value }, end];
  }

  private parseSeq(col: number): YSeq {
    const items: YNode[] = [];
    const start = this.starts[this.li] + col;
    let end = start + 1;
    for (;;) {
      const lineStart = this.starts[this.li];
      const lineEnd = this.ends[this.li];
      let off = lineStart + col + 1;
      while (off < lineEnd && (this.text.charCodeAt(off) === SPACE || this.text.charCodeAt(off) === TAB)) off++;
      let item: YNode;
      if (off >= lineEnd || this.text.charCodeAt(off) === HASH) {
        const dash = lineStart + col;
        this.li++;
        item = this.parseNestedNode(col, false) ?? {
          kind: 'scalar',
          value: null,
          style: 'plain',
          start: dash + 1,
          end: dash + 1,
        };
      } else if (
        this.text.charCodeAt(off) === DASH &&
        (off + 1 >= lineEnd || this.text.charCodeAt(off + 1) === SPACE)
      ) {
        if (++this.depth > MAX_DEPTH) bail();
        item = this.parseSeq(off - lineStart); // `- - x`: a compact nested sequence
        this.depth--;
      } else if (this.looksLikePair(off, lineEnd)) {
        if (++this.depth > MAX_DEPTH) bail();
        item = this.parseMap(off - lineStart, off);
        this.depth--;
      } else {
        item = this.parseInlineValue(off, col);
      }
      items.push(item);
      end = item.end;
      const li = this.nextContent(this.li);
      this.li = li;
      if (li >= this.starts.length) break;
      const indent = this.indents[li];
      if (indent === col && this.isSeqIndicator(li, col)) continue;
      if (indent > col) bail();
      break;
    }
    return { kind: 'seq', items, flow: false, start, end };
  }

  private looksLikePair(off: number, lineEnd: number): boolean {
    const text = this.text;
    const c = text.charCodeAt(off);
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const q = this.scanQuoted(off, lineEnd);
      let k = q.end;
      while (k < lineEnd && text.charCodeAt(k) === SPACE) k++;
      if (text.charCodeAt(k) !== COLON) return false;
      return k + 1 >= lineEnd || text.charCodeAt(k + 1) === SPACE || text.charCodeAt(k + 1) === TAB;
    }
    if (isIndicator(c)) return false;
    return findPlainColon(text, off, lineEnd) >= 0;
  }

  /** A value that starts on the current line at off. Advances past its last line. */
  private parseInlineValue(off: number, parentCol: number): YNode {
    const text = this.text;
    const lineEnd = this.ends[this.li];
    const c = text.charCodeAt(off);
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const q = this.scanQuoted(off, lineEnd);
      this.expectLineRestEmpty(q.end, lineEnd);
      this.li++;
      return {
        kind: 'scalar',
        value: q.value,
        style: c === DOUBLE_QUOTE ? 'double' : 'single',
        start: off,
        end: q.end,
      };
    }
    if (c === PIPE || c === GREATER_THAN) return this.parseBlockScalar(off, lineEnd, parentCol, c === GREATER_THAN);
    if (c === LEFT_BRACKET || c === LEFT_BRACE) {
      const flow = this.parseFlowNode(off, lineEnd);
      this.expectLineRestEmpty(flow.next, lineEnd);
      this.li++;
      return flow.node;
    }
    if (isIndicator(c) || (c === DASH && (off + 1 >= lineEnd || text.charCodeAt(off + 1) === SPACE))) bail();
    if ((c === QUESTION || c === COLON) && (off + 1 >= lineEnd || text.charCodeAt(off + 1) === SPACE)) bail();
    let end = off;
    let i = off;
    while (i < lineEnd) {
      const ch = text.charCodeAt(i);
      if (ch === HASH && (text.charCodeAt(i - 1) === SPACE || text.charCodeAt(i - 1) === TAB)) break;
      if (ch === COLON && (i + 1 >= lineEnd || text.charCodeAt(i + 1) === SPACE || text.charCodeAt(i + 1) === TAB)) {
        bail();
      }
      if (ch !== SPACE && ch !== TAB) end = i + 1;
      i++;
    }
    this.li++;
    return { kind: 'scalar', value: resolvePlain(text.slice(off, end)), style: 'plain', start: off, end };
  }

  private expectLineRestEmpty(from: number, lineEnd: number): void {
    let i = from;
    const text = this.text;
    if (i < lineEnd && text.charCodeAt(i) !== SPACE && text.charCodeAt(i) !== TAB) bail();
    while (i < lineEnd && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
    if (i < lineEnd && text.charCodeAt(i) !== HASH) bail();
  }

  /** Quoted scalar closed on the same line (multi-line quoted scalars fold: left to `yaml`). */
  private scanQuoted(off: number, lineEnd: number): { value: string; end: number } {
    const text = this.text;
    const q = text.charCodeAt(off);
    let i = off + 1;
    if (q === SINGLE_QUOTE) {
      let value = '';
      let from = i;
      for (;;) {
        const j = text.indexOf("'", i);
        if (j < 0 || j >= lineEnd) bail();
        if (text.charCodeAt(j + 1) === SINGLE_QUOTE) {
          value += text.slice(from, j + 1);
          i = j + 2;
          from = i;
          continue;
        }
        value += text.slice(from, j);
        return { value, end: j + 1 };
      }
    }
    let escaped = false;
    while (i < lineEnd) {
      const ch = text.charCodeAt(i);
      if (ch === BACKSLASH) {
        escaped = true;
        i += 2;
        continue;
      }
      if (ch === DOUBLE_QUOTE) {
        const raw = text.slice(off + 1, i);
        if (!escaped) return { value: raw, end: i + 1 };
        // JSON escapes are a subset of YAML's; anything JSON rejects (\x, \e, \N…) goes to `yaml`.
        try {
          return { value: JSON.parse(`"${raw}"`) as string, end: i + 1 };
        } catch {
          bail();
        }
      }
      i++;
    }
    bail();
  }

  private parseBlockScalar(off: number, lineEnd: number, parentCol: number, folded: boolean): YScalar {
    const text = this.text;
    let i = off + 1;
    let chomp: 'clip' | 'strip' = 'clip';
    if (text.charCodeAt(i) === DASH) {
      chomp = 'strip';
      i++;
    } else if (text.charCodeAt(i) === PLUS) bail();
    const h = text.charCodeAt(i);
    if (h >= DIGIT_0 && h <= DIGIT_9) bail(); // explicit indentation indicator
    this.expectLineRestEmpty(i, lineEnd);
    // Content lines are read raw: `#` starts content here, not a comment.
    let li = this.li + 1;
    const n = this.starts.length;
    let contentIndent = -1;
    let leadingEmptyMax = 0;
    const lines: string[] = [];
    let lastContent = -1;
    let lastLi = this.li;
    let end = i;
    for (; li < n; li++) {
      const s = this.starts[li];
      const e = this.ends[li];
      let k = s;
      while (k < e && text.charCodeAt(k) === SPACE) k++;
      const blank = k === e;
      if (contentIndent < 0) {
        if (blank) {
          leadingEmptyMax = Math.max(leadingEmptyMax, k - s);
          lines.push('');
          continue;
        }
        if (k - s <= parentCol) break;
        if (text.charCodeAt(k) === TAB) bail();
        contentIndent = k - s;
        if (leadingEmptyMax > contentIndent) bail();
      } else if (!blank && k - s < contentIndent) {
        break;
      }
      if (blank) {
        lines.push('');
        continue;
      }
      const line = text.slice(s + contentIndent, e);
      if (folded && (k - s > contentIndent || line.charCodeAt(0) === TAB)) bail(); // more-indented folded lines
      lines.push(line);
      lastContent = lines.length - 1;
      lastLi = li;
      end = e;
    }
    let value: string;
    if (lastContent < 0) {
      value = '';
      this.li = this.li + 1;
    } else {
      const body = lines.slice(0, lastContent + 1);
      if (folded) {
        let out = '';
        let pendingEmpty = 0;
        let seenText = false;
        for (const line of body) {
          if (line === '') {
            pendingEmpty++;
            continue;
          }
          if (seenText) out += pendingEmpty > 0 ? '\n'.repeat(pendingEmpty) : ' ';
          else out += '\n'.repeat(pendingEmpty);
          out += line;
          pendingEmpty = 0;
          seenText = true;
        }
        value = out;
      } else {
        value = body.join('\n');
      }
      if (chomp === 'clip') value += '\n';
      this.li = lastLi + 1;
    }
    return { kind: 'scalar', value, style: 'block', start: off, end };
  }

  private parseFlowNode(off: number, lineEnd: number): Flow {
    if (++this.depth > MAX_DEPTH) bail();
    try {
      return this.parseFlowNodeInner(off, lineEnd);
    } finally {
      this.depth--;
    }
  }

  private parseFlowNodeInner(off: number, lineEnd: number): Flow {
    const text = this.text;
    let i = skipSpaces(text, off, lineEnd);
    const c = text.charCodeAt(i);
    if (c === LEFT_BRACKET || c === LEFT_BRACE) {
      const isMapNode = c === LEFT_BRACE;
      const close = isMapNode ? RIGHT_BRACE : RIGHT_BRACKET;
      const start = i;
      i++;
      const items: YNode[] = [];
      const pairs: YPair[] = [];
      for (;;) {
        i = skipSpaces(text, i, lineEnd);
        if (i >= lineEnd) bail();
        if (text.charCodeAt(i) === close) {
          i++;
          break;
        }
        if (isMapNode) {
          const k = this.parseFlowScalar(i, lineEnd, true);
          let j = skipSpaces(text, k.node.end, lineEnd);
          if (text.charCodeAt(j) !== COLON) bail();
          j = skipSpaces(text, j + 1, lineEnd);
          const v = this.parseFlowNode(j, lineEnd);
          const key = k.node as YScalar;
          if (key.style === 'plain' && key.value === '<<') bail(); // a merge key
          if (typeof key.value !== 'string') {
            pairs.push({
              key: String(key.value),
              keyStart: key.start,
              keyEnd: key.end,
              keyStyle: key.style,
              value: v.node,
            });
          } else {
            pairs.push({ key: key.value, keyStart: key.start, keyEnd: key.end, keyStyle: key.style, value: v.node });
          }
          i = v.next;
        } else {
          const v = this.parseFlowNode(i, lineEnd);
          items.push(v.node);
          i = v.next;
        }
        i = skipSpaces(text, i, lineEnd);
        const d = text.charCodeAt(i);
        if (d === COMMA) {
          i++;
          continue;
        }
        if (d === close) {
          i++;
          break;
        }
        bail();
      }
      const node: YNode = isMapNode
        ? { kind: 'map', pairs, flow: true, start, end: i }
        : { kind: 'seq', items, flow: true, start, end: i };
      return { node, next: i };
    }
    const s = this.parseFlowScalar(i, lineEnd, false);
    return { node: s.node, next: s.node.end };
  }

  private parseFlowScalar(off: number, lineEnd: number, isKey: boolean): { node: YScalar } {
    const text = this.text;
    const c = text.charCodeAt(off);
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const q = this.scanQuoted(off, lineEnd);
      return {
        node: {
          kind: 'scalar',
          value: q.value,
          style: c === DOUBLE_QUOTE ? 'double' : 'single',
          start: off,
          end: q.end,
        },
      };
    }
    if (
      isIndicator(c) ||
      c === LEFT_BRACKET ||
      c === LEFT_BRACE ||
      (c === DASH && text.charCodeAt(off + 1) === SPACE)
    ) {
      bail();
    }
    let i = off;
    let end = off;
    while (i < lineEnd) {
      const ch = text.charCodeAt(i);
      if (ch === COMMA || ch === LEFT_BRACKET || ch === RIGHT_BRACKET || ch === LEFT_BRACE || ch === RIGHT_BRACE) break;
      if (ch === HASH && text.charCodeAt(i - 1) === SPACE) bail();
      if (ch === COLON) {
        const nx = text.charCodeAt(i + 1);
        if (i + 1 >= lineEnd || nx === SPACE || nx === COMMA || nx === RIGHT_BRACKET || nx === RIGHT_BRACE) {
          if (!isKey) bail();
          break;
        }
      }
      if (ch !== SPACE && ch !== TAB) end = i + 1;
      i++;
    }
    if (end === off) bail();
    return {
      node: {
        kind: 'scalar',
        value: isKey ? text.slice(off, end) : resolvePlain(text.slice(off, end)),
        style: 'plain',
        start: off,
        end,
      },
    };
  }
}

function skipSpaces(text: string, i: number, end: number): number {
  while (i < end && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
  return i;
}

/** Characters that cannot start a plain scalar we handle (yaml.org/spec/1.2.2 §7.3.3, c-indicator). */
function isIndicator(c: number): boolean {
  switch (c) {
    case QUESTION:
    case COLON:
    case COMMA:
    case LEFT_BRACKET:
    case RIGHT_BRACKET:
    case LEFT_BRACE:
    case RIGHT_BRACE:
    case HASH:
    case AMPERSAND:
    case ASTERISK:
    case EXCLAMATION:
    case PIPE:
    case GREATER_THAN:
    case DOUBLE_QUOTE:
    case SINGLE_QUOTE:
    case PERCENT:
    case AT:
    case BACKTICK:
      return true;
    default:
      return false;
  }
}

/** The `:` that ends a plain key on this line, or -1 (also -1 when a comment comes first). */
function findPlainColon(text: string, off: number, lineEnd: number): number {
  for (let i = off; i < lineEnd; i++) {
    const ch = text.charCodeAt(i);
    if (ch === COLON) {
      if (i + 1 >= lineEnd) return i;
      const nx = text.charCodeAt(i + 1);
      if (nx === SPACE || nx === TAB) return i;
    } else if (ch === HASH && i > off && (text.charCodeAt(i - 1) === SPACE || text.charCodeAt(i - 1) === TAB)) {
      return -1;
    }
  }
  return -1;
}

/**
 * Scans one YAML document. Returns the root node (null for an empty document), or undefined when
 * the text uses something outside the supported subset.
 */
export function scanBlockYaml(text: string, strict = false): { root: YNode | null } | undefined {
  try {
    return { root: new Scanner(text).parse() };
  } catch (e) {
    if (e === UNSUPPORTED) return undefined;
    // A bug must not cost the user anything: let the `yaml` fallback decide. The fuzz tests run
    // with `strict` to see such errors.
    if (strict) throw e;
    return undefined;
  }
}
