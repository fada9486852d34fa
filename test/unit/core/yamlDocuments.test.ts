import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isAlias, isMap, isPair, isScalar, isSeq, parse, parseDocument, stringify } from 'yaml';
import { scanBlockYaml } from '../../../src/core/fastYaml';
import { DocumentCache, parseDocumentText, splitDocuments, wantsAnalysis } from '../../../src/core/yamlDocuments';
import { toJS } from '../../../src/core/yamlModel';
import type { YNode } from '../../../src/core/yamlModel';

/** Compares our ranges with `yaml`'s own for keys and single-line scalars. */
/** A block scalar ends, for us, at the end of its last content line; `yaml`'s value range also
 * takes that line's break. Without `text` the block scalars' ends are not compared. */
function blockScalarEnd(text: string, yamlEnd: number): number {
  let end = yamlEnd;
  if (text.charCodeAt(end - 1) === 10) end--;
  if (text.charCodeAt(end - 1) === 13) end--;
  return end;
}

function sameRanges(ours: YNode | null, theirs: unknown, text?: string): void {
  if (ours === null || theirs === null || theirs === undefined || isAlias(theirs)) return;
  if (isScalar(theirs)) {
    assert.equal(ours.kind, 'scalar');
    if (ours.kind !== 'scalar' || !theirs.range) return;
    if (ours.style !== 'block') assert.deepEqual([ours.start, ours.end], [theirs.range[0], theirs.range[1]]);
    else if (text !== undefined) {
      assert.deepEqual(
        [ours.start, ours.end],
        [theirs.range[0], blockScalarEnd(text, theirs.range[1])],
        'block scalar range',
      );
    }
    return;
  }
  if (isMap(theirs)) {
    assert.equal(ours.kind, 'map');
    if (ours.kind !== 'map') return;
    theirs.items.forEach((item, i) => {
      if (!isPair(item) || !isScalar(item.key)) return;
      const pair = ours.pairs[i];
      assert.deepEqual([pair.keyStart, pair.keyEnd], [item.key.range?.[0], item.key.range?.[1]]);
      sameRanges(pair.value, item.value, text);
    });
    return;
  }
  if (isSeq(theirs)) {
    assert.equal(ours.kind, 'seq');
    if (ours.kind === 'seq') theirs.items.forEach((item, i) => sameRanges(ours.items[i], item, text));
  }
}

const key = fc.oneof(
  fc.constantFrom(
    'apiVersion',
    'kind',
    'metadata',
    'name',
    'labels',
    'azure.workload.identity/use',
    'app.kubernetes.io/name',
    'spec',
    'containers',
    'a b',
    'x-y_z',
  ),
  fc.string({ minLength: 1, maxLength: 8 }),
);
const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    'true',
    'True',
    'yes',
    'null',
    '~',
    '3600',
    '0x1F',
    '1e3',
    'a: b',
    'a #b',
    '- x',
    '{x}',
    "it's",
    'multi\nline',
    ' pad ',
  ),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
);
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('map'), tie('seq')),
  map: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
  seq: fc.array(tie('node'), { maxLength: 4 }),
})).map;

test('fast scanner = yaml on generated documents (values and ranges); mostly on the fast path', () => {
  let fast = 0;
  let total = 0;
  fc.assert(
    fc.property(
      tree,
      fc.constantFrom(2, 4),
      fc.boolean(),
      fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE') as fc.Arbitrary<
        'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE'
      >,
      fc.boolean(),
      (value, indent, indentSeq, stringType, flowLeaves) => {
        let text = stringify(value, {
          indent,
          indentSeq,
          defaultStringType: stringType,
          defaultKeyType: 'PLAIN',
          lineWidth: 0,
          minContentWidth: 0,
        });
        if (flowLeaves) text = text.replace(/: \[\]\n/g, ': [ ]\n');
        total++;
        const scanned = scanBlockYaml(text);
        if (!scanned) return;
        fast++;
        assert.deepEqual(toJS(scanned.root), parse(text), text);
        sameRanges(scanned.root, parseDocument(text).contents);
      },
    ),
    { numRuns: 400 },
  );
  assert.ok(fast / total > 0.8, `fast path on ${fast}/${total}`);
});

test('fast scanner = yaml on hand-written manifest shapes', () => {
  const samples = [
    'a: 1\nb: "two"\nc: \'th\'\'ree\'\nd:\n  - x\n  - y: 1\n    z: [1, "2", {k: v}]\ne: {}\nf: []\n',
    'key:\n- a\n- b\nnext: c # comment\n',
    'script: |\n  line 1\n    indented\n\n  # not a comment\n  last\nfolded: >-\n  one\n  two\n\n  three\nafter: x\n',
    'empty:\nalso_empty: # c\nlist:\n  -\n  - b\n',
    '--- # doc\nk: v\r\nw: "x"\r\n',
    'url: http://example.com/a#b\nport: "8080"\nneg: -1\nfloat: 1.5\nhex: 0x10\noct: 0o17\ninf: .inf\n',
    '"quoted key": 1\n\'single\': 2\n"esc": "a\\tb\\u00e9"\n',
  ];
  for (const s of samples) {
    const scanned = scanBlockYaml(s);
    assert.ok(scanned, s);
    assert.deepEqual(toJS(scanned.root), parse(s), s);
    sameRanges(scanned.root, parseDocument(s).contents);
  }
});

test('outside the subset the scanner declines, and the yaml fallback gives the same tree shape', () => {
  const declined = [
    'a: &x 1\nb: *x\n',
    '!!map\na: 1\n',
    'a: multi\n  line plain\n',
    'a: "multi\n  line"\n',
    '? complex\n: key\n',
    'a:\n\t- tab\n',
    '%YAML 1.2\n---\na: 1\n',
    'a: |+\n  keep\n\n',
    'a: |2\n   x\n',
    'a: "\\x41"\n',
    'a: [1,\n  2]\n',
  ];
  for (const s of declined) {
    assert.equal(scanBlockYaml(s), undefined, s);
    const parsed = parseDocumentText(s);
    assert.equal(parsed.fast, false);
    if (parsed.ok) assert.deepEqual(toJS(parsed.root), parse(s, { uniqueKeys: false }), s);
  }
  assert.deepEqual(toJS(parseDocumentText('a: &x [1, 2]\nb: *x\n').root), { a: [1, 2], b: [1, 2] });
});

test('a typical Deployment takes the fast path', () => {
  const text = `# comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels: {app: web, azure.workload.identity/use: "true"}
    spec:
      containers:
        - name: main
          image: "nginx:1.27"
          args: ["--port", "8080"]
          command:
            - sh
            - -c
            - |
              echo hi
          resources:
            limits: { cpu: 500m, memory: 256Mi }
`;
  assert.equal(parseDocumentText(text).fast, true);
});

test('splitDocuments: only column-0 markers split; markers stay with their document', () => {
  const text = 'a: 1\n---\nb: |\n  ---\n  x\n--- # two\nc: 3\n----\nd: 4\n';
  const docs = splitDocuments(text);
  assert.deepEqual(
    docs.map((d) => d.text),
    ['a: 1\n', '---\nb: |\n  ---\n  x\n', '--- # two\nc: 3\n----\nd: 4\n'],
  );
  assert.deepEqual(
    docs.map((d) => d.base),
    [0, 5, 24],
  );
  assert.deepEqual(
    splitDocuments('---\na: 1\r\n---\r\nb: 2').map((d) => d.text),
    ['---\na: 1\r\n', '---\r\nb: 2'],
  );
});

test('cache: after an edit only the edited document is parsed again', () => {
  const cache = new DocumentCache();
  const doc = (n: number, v: string): string =>
    `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa${n}\n  labels: {v: "${v}"}\n`;
  const before = cache.parseFile('u', [doc(1, 'a'), doc(2, 'a'), doc(3, 'a')].join('---\n'));
  const after = cache.parseFile('u', [doc(1, 'a'), doc(2, 'b'), doc(3, 'a')].join('---\n'));
  assert.equal(after[0].parsed, before[0].parsed);
  assert.notEqual(after[1].parsed, before[1].parsed);
  assert.equal(after[2].parsed, before[2].parsed);
  const other = cache.parseFile('other', doc(1, 'a'));
  assert.notEqual(other[0].parsed, before[0].parsed, 'caches are per uri');
});

test('pre-filter: documents without any marker are not parsed', () => {
  const cache = new DocumentCache();
  const slices = cache.parseFile(
    'u',
    'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n---\napiVersion: v1\nkind: Service\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: x}\n',
  );
  assert.deepEqual(
    slices.map((s) => s.parsed !== undefined),
    [false, false, true],
  );
  assert.equal(wantsAnalysis('kind: Deployment'), true);
  assert.equal(wantsAnalysis('kind: Pod\nname: {{ .Values.x }}'), false);
});

/** A hand-rolled emitter with the freedoms real manifests take: comments, spacing, CRLF, flow leaves, block scalars. */
interface Style {
  indent: number;
  seqIndent: boolean;
  comments: boolean;
  crlf: boolean;
  extraSpace: boolean;
  flowLeaves: boolean;
}

const plainSafe = /^[A-Za-z][A-Za-z0-9._/-]*$/;
function emitScalar(v: unknown): string {
  if (typeof v === 'string') {
    return plainSafe.test(v) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(v) ? v : JSON.stringify(v);
  }
  return v === null ? 'null' : String(v);
}
function emitFlow(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(emitFlow).join(', ')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.entries(v)
      .map(([k, x]) => `${emitScalar(k)}: ${emitFlow(x)}`)
      .join(', ')}}`;
  }
  return emitScalar(v);
}
function isLeafCollection(v: unknown): boolean {
  return Array.isArray(v)
    ? v.every((x) => x === null || typeof x !== 'object')
    : Object.values(v as object).every((x) => x === null || typeof x !== 'object');
}
function emit(v: unknown, col: number, s: Style, out: string[], rnd: () => number): void {
  const pad = ' '.repeat(col);
  const comment = (): string => (s.comments && rnd() < 0.3 ? '  # note: x - y' : '');
  const valueText = (x: unknown): string | undefined => {
    if (x === null || typeof x !== 'object') {
      if (typeof x === 'string' && x.includes('\n')) return undefined;
      return emitScalar(x);
    }
    if ((Array.isArray(x) ? x.length === 0 : Object.keys(x).length === 0) || (s.flowLeaves && isLeafCollection(x))) {
      return emitFlow(x);
    }
    return undefined;
  };
  const child = (x: unknown, childCol: number): void => {
    if (typeof x === 'string') {
      out.push(
        ...x
          .replace(/\n$/, '')
          .split('\n')
          .map((l) => (l ? `${' '.repeat(childCol)}${l}` : '')),
      );
    } else emit(x, childCol, s, out, rnd);
  };
  const sep = s.extraSpace ? ':   ' : ': ';
  if (Array.isArray(v)) {
    for (const item of v) {
      const inline = valueText(item);
      if (inline !== undefined) out.push(`${pad}- ${inline}${comment()}`);
      else if (typeof item === 'string') {
        out.push(`${pad}- |${item.endsWith('\n') ? '' : '-'}`);
        child(item, col + s.indent);
      } else {
        out.push(`${pad}-${comment()}`);
        child(item, col + s.indent);
      }
    }
    return;
  }
  for (const [k, x] of Object.entries(v as object)) {
    if (s.comments && rnd() < 0.2) out.push(`${pad}# about ${k}:`);
    const inline = valueText(x);
    if (inline !== undefined) out.push(`${pad}${emitScalar(k)}${sep}${inline}${comment()}`);
    else if (typeof x === 'string') {
      out.push(`${pad}${emitScalar(k)}: |${x.endsWith('\n') ? '' : '-'}${comment()}`);
      child(x, col + s.indent);
    } else {
      out.push(`${pad}${emitScalar(k)}:${comment()}`);
      child(x, Array.isArray(x) && !s.seqIndent ? col : col + s.indent);
    }
  }
}

const manifestKey = fc.constantFrom(
  'apiVersion',
  'kind',
  'metadata',
  'name',
  'labels',
  'annotations',
  'azure.workload.identity/use',
  'spec',
  'template',
  'containers',
  'image',
  'env',
  'value',
  'x_y',
  'a.b/c-d',
);
const manifestScalar = fc.oneof(
  fc.constantFrom(
    'true',
    'nginx:1.2',
    'a b # c',
    "it's",
    '#x',
    'x: y',
    '',
    ' lead',
    'http://h/p#f',
    '6f1c2a4e-1234-4bcd-9ef0-0123456f9f01',
    'line 1\nline 2\n',
    'one\n  two\n\nthree',
  ),
  fc.string({ maxLength: 10 }),
  fc.integer({ min: -5, max: 100000 }),
  fc.boolean(),
  fc.constant(null),
);
const manifestTree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, manifestScalar, tie('map'), tie('seq')),
  map: fc.dictionary(manifestKey, tie('node'), { minKeys: 1, maxKeys: 4 }),
  seq: fc.array(tie('node'), { minLength: 1, maxLength: 3 }),
})).map;

test('fast scanner = yaml on manifests with comments, odd spacing, CRLF, flow leaves and block scalars', () => {
  let fast = 0;
  let total = 0;
  fc.assert(
    fc.property(
      manifestTree,
      fc.record({
        indent: fc.constantFrom(2, 4),
        seqIndent: fc.boolean(),
        comments: fc.boolean(),
        crlf: fc.boolean(),
        extraSpace: fc.boolean(),
        flowLeaves: fc.boolean(),
      }),
      fc.integer(),
      (value, style, seed) => {
        let state = seed;
        const rnd = (): number => {
          state = (state * 1103515245 + 12345) & 0x7fffffff;
          return state / 0x7fffffff;
        };
        const lines: string[] = [];
        emit(value, 0, style, lines, rnd);
        const text = lines.join(style.crlf ? '\r\n' : '\n') + (style.crlf ? '\r\n' : '\n');
        let expected: unknown;
        try {
          expected = parse(text);
        } catch {
          return;
        }
        total++;
        const scanned = scanBlockYaml(text, true);
        if (!scanned) return;
        fast++;
        assert.deepEqual(toJS(scanned.root), expected, JSON.stringify(text));
        if (!style.crlf) sameRanges(scanned.root, parseDocument(text).contents, text);
      },
    ),
    { numRuns: 400 },
  );
  assert.ok(fast / total > 0.8, `fast path on ${fast}/${total}`);
});
