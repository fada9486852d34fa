/**
 * JSON with source offsets, for findings on trust-policy values (JSON.parse keeps no positions).
 * Runs only on text JSON.parse accepted, so it needs no error handling of its own; one pass over
 * the text, with nesting beyond MAX_DEPTH kept as opaque values (no deep recursion).
 */
export type JsonSpan =
  | {
      readonly kind: 'object';
      readonly entries: ReadonlyArray<readonly [string, JsonSpan]>;
      readonly start: number;
      readonly end: number;
    }
  | { readonly kind: 'array'; readonly items: readonly JsonSpan[]; readonly start: number; readonly end: number }
  | { readonly kind: 'string'; readonly value: string; readonly start: number; readonly end: number }
  | { readonly kind: 'other'; readonly start: number; readonly end: number };

const MAX_DEPTH = 64;

class SpanParser {
  private i = 0;

  constructor(private readonly text: string) {}

  parse(): JsonSpan {
    return this.value(0);
  }

  private ws(): void {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else return;
    }
  }

  private string(): { value: string; start: number; end: number } {
    const t = this.text;
    const start = this.i;
    let j = start + 1;
    let escaped = false;
    for (;;) {
      const c = t.charCodeAt(j);
      if (c === 92) {
        escaped = true;
        j += 2;
        continue;
      }
      if (c === 34 || Number.isNaN(c)) break;
      j++;
    }
    this.i = j + 1;
    const raw = t.slice(start + 1, j);
    return { value: escaped ? (JSON.parse(`"${raw}"`) as string) : raw, start, end: this.i };
  }

  /** Skips a whole collection without building it (nesting too deep to matter for a policy). */
  private skip(): void {
    const t = this.text;
    let depth = 0;
    while (this.i < t.length) {
      const c = t.charCodeAt(this.i);
      if (c === 34) {
        this.string();
        continue;
      }
      this.i++;
      if (c === 123 || c === 91) depth++;
      else if ((c === 125 || c === 93) && --depth === 0) return;
    }
  }

  private scalar(): void {
    const t = this.text;
    while (this.i < t.length) {
      const c = t.charCodeAt(this.i);
      if (c === 44 || c === 125 || c === 93 || c === 32 || c === 9 || c === 10 || c === 13 || c === 58) break;
      this.i++;
    }
  }

  private value(depth: number): JsonSpan {
    this.ws();
    const t = this.text;
    const start = this.i;
    const c = t.charCodeAt(start);
    if (c === 34) return { kind: 'string', ...this.string() };
    if (c !== 123 && c !== 91) {
      this.scalar();
      return { kind: 'other', start, end: this.i };
    }
    if (depth >= MAX_DEPTH) {
      this.skip();
      return { kind: 'other', start, end: this.i };
    }
    this.i++;
    this.ws();
    if (c === 91) {
      const items: JsonSpan[] = [];
      if (t.charCodeAt(this.i) === 93) {
        this.i++;
        return { kind: 'array', items, start, end: this.i };
      }
      for (;;) {
        items.push(this.value(depth + 1));
        this.ws();
        if (t.charCodeAt(this.i++) !== 44) break;
      }
      return { kind: 'array', items, start, end: this.i };
    }
    const entries: Array<readonly [string, JsonSpan]> = [];
    if (t.charCodeAt(this.i) === 125) {
      this.i++;
      return { kind: 'object', entries, start, end: this.i };
    }
    for (;;) {
      this.ws();
      const key = this.string().value;
      this.ws();
      this.i++; // ':'
      entries.push([key, this.value(depth + 1)]);
      this.ws();
      if (t.charCodeAt(this.i++) !== 44) break;
    }
    return { kind: 'object', entries, start, end: this.i };
  }
}

/** The spans of `text`, or undefined when it is not JSON. */
export function parseJsonSpans(text: string): JsonSpan | undefined {
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  return new SpanParser(text).parse();
}

/** The value of `key` (the last one, as JSON.parse keeps), or undefined. */
export function member(node: JsonSpan | undefined, key: string): JsonSpan | undefined {
  if (node?.kind !== 'object') return undefined;
  for (let i = node.entries.length - 1; i >= 0; i--) if (node.entries[i][0] === key) return node.entries[i][1];
  return undefined;
}

/** A value or each element of an array value (IAM accepts both forms). */
export function elements(node: JsonSpan | undefined): readonly JsonSpan[] {
  return node === undefined ? [] : node.kind === 'array' ? node.items : [node];
}
