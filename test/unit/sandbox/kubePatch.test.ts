import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLabelSelector, matchesLabels } from '../../../src/sandbox/kube/labelSelector';
import { fieldsOf, fromFieldsV1, pathToString, toFieldsV1 } from '../../../src/sandbox/kube/managedFields';
import { jsonPatch, mergePatch, strategicMergePatch } from '../../../src/sandbox/kube/patch';
import { KubeStatusError } from '../../../src/sandbox/kube/status';
import { humanDuration } from '../../../src/sandbox/kube/tables';
import { unknownFields } from '../../../src/sandbox/kube/knownFields';

/** The pure pieces of the sandbox API server: patch formats, selectors, field sets, printing. */
describe('sandbox Kubernetes patch formats', () => {
  const pod = {
    metadata: { labels: { a: '1' }, finalizers: ['x'] },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'app:1',
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
        },
        { name: 'side', image: 'side:1' },
      ],
      tolerations: [{ key: 't1' }],
    },
  };

  it('merge patch: RFC 7386', () => {
    assert.deepEqual(mergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { b: { c: null, e: 4 }, l: [3] }), {
      a: 1,
      b: { d: 3, e: 4 },
      l: [3],
    });
  });

  it('strategic merge: keyed lists merge, atomic lists replace, set lists union', () => {
    const out = strategicMergePatch(pod, {
      metadata: { finalizers: ['y'] },
      spec: {
        containers: [
          {
            name: 'app',
            env: [
              { name: 'C', value: '3' },
              { name: 'A', value: 'one' },
            ],
          },
        ],
        tolerations: [{ key: 't2' }],
      },
    }) as typeof pod;
    assert.deepEqual(out.spec.containers[0]?.env, [
      { name: 'A', value: 'one' },
      { name: 'B', value: '2' },
      { name: 'C', value: '3' },
    ]);
    assert.equal(out.spec.containers[1]?.name, 'side');
    assert.deepEqual(out.spec.tolerations, [{ key: 't2' }]);
    assert.deepEqual(out.metadata.finalizers, ['x', 'y']);
  });

  it('strategic merge directives: $patch delete/replace, $retainKeys, $deleteFromPrimitiveList, $setElementOrder', () => {
    const deleted = strategicMergePatch(pod, {
      spec: { containers: [{ name: 'side', $patch: 'delete' }] },
    }) as typeof pod;
    assert.deepEqual(
      deleted.spec.containers.map((c) => c.name),
      ['app'],
    );
    const replaced = strategicMergePatch(pod, {
      spec: { containers: [{ name: 'only', image: 'o' }, { $patch: 'replace' }] },
    }) as typeof pod;
    assert.deepEqual(replaced.spec.containers, [{ name: 'only', image: 'o' }]);
    const mapReplaced = strategicMergePatch(pod, { metadata: { labels: { b: '2', $patch: 'replace' } } }) as typeof pod;
    assert.deepEqual(mapReplaced.metadata.labels, { b: '2' });
    const retained = strategicMergePatch({ spec: { a: 1, b: 2 } }, { spec: { $retainKeys: ['b', 'c'], c: 3 } });
    assert.deepEqual(retained, { spec: { b: 2, c: 3 } });
    const prim = strategicMergePatch(pod, { metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] } }) as typeof pod;
    assert.deepEqual(prim.metadata.finalizers, []);
    const ordered = strategicMergePatch(pod, {
      spec: { '$setElementOrder/containers': [{ name: 'side' }, { name: 'app' }] },
    }) as typeof pod;
    assert.deepEqual(
      ordered.spec.containers.map((c) => c.name),
      ['side', 'app'],
    );
  });

  it('JSON patch: RFC 6902 operations and failures', () => {
    const doc = { a: { b: [1, 2] }, 'x/y': 1 };
    assert.deepEqual(
      jsonPatch(doc, [
        { op: 'add', path: '/a/b/-', value: 3 },
        { op: 'add', path: '/a/b/0', value: 0 },
        { op: 'remove', path: '/x~1y' },
        { op: 'copy', from: '/a/b', path: '/c' },
        { op: 'move', from: '/c', path: '/d' },
        { op: 'replace', path: '/a/b/1', value: 9 },
      ]),
      { a: { b: [0, 9, 2, 3] }, d: [0, 1, 2, 3] },
    );
    assert.deepEqual(doc, { a: { b: [1, 2] }, 'x/y': 1 }, 'input untouched');
    assert.throws(
      () => jsonPatch(doc, [{ op: 'replace', path: '/nope', value: 1 }]),
      (e: unknown) => KubeStatusError.is(e) && e.code === 422,
    );
    assert.throws(
      () => jsonPatch(doc, [{ op: 'test', path: '/x~1y', value: 2 }]),
      (e: unknown) => KubeStatusError.is(e) && e.code === 422,
    );
  });
});

describe('sandbox label selectors', () => {
  const labels = { app: 'web', tier: 'front' };
  const m = (s: string): boolean => matchesLabels(parseLabelSelector(s), labels);
  it('parses and matches every operator', () => {
    assert.ok(m(''));
    assert.ok(m('app=web'));
    assert.ok(m('app==web,tier'));
    assert.ok(!m('app!=web'));
    assert.ok(m('missing!=x'));
    assert.ok(m('app in (db, web)'));
    assert.ok(!m('app notin (web)'));
    assert.ok(m('!missing'));
    assert.ok(!m('!app'));
  });
  it('rejects garbage with a 400', () => {
    assert.throws(
      () => parseLabelSelector('app in web'),
      (e: unknown) => KubeStatusError.is(e) && e.code === 400,
    );
    assert.throws(
      () => parseLabelSelector('a=b,,c'),
      (e: unknown) => KubeStatusError.is(e) && e.code === 400,
    );
  });
});

describe('sandbox managed fields', () => {
  it('builds fieldsV1 with list keys, set values and map ownership', () => {
    const obj = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', uid: 'u', labels: { app: 'x' }, finalizers: ['f'] },
      spec: { containers: [{ name: 'app', image: 'i', ports: [{ containerPort: 80 }] }] },
      status: { phase: 'Running' },
    };
    const v1 = toFieldsV1(fieldsOf(obj));
    assert.deepEqual(v1, {
      'f:metadata': { 'f:finalizers': { 'v:"f"': {} }, 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"app"}': {
            '.': {},
            'f:image': {},
            'f:name': {},
            'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
          },
        },
      },
    });
    assert.deepEqual(toFieldsV1(fromFieldsV1(v1)), v1, 'round-trips');
    assert.equal(
      pathToString(['f:spec', 'f:containers', 'k:{"name":"app"}', 'f:image']),
      '.spec.containers[name="app"].image',
    );
    assert.deepEqual(toFieldsV1(fieldsOf(obj, { apply: true }))['f:metadata'], {
      'f:finalizers': { 'v:"f"': {} },
      'f:labels': { 'f:app': {} },
    });
  });
});

describe('sandbox field validation and printing', () => {
  it('finds unknown fields with the strict decoder paths', () => {
    assert.deepEqual(
      unknownFields('Pod', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', annotation: {} },
        spec: {
          serviceAcountName: 'x',
          containers: [
            { name: 'a', envv: [] },
            { name: 'b', env: [{ name: 'X', vaule: '1' }] },
          ],
        },
      }),
      ['metadata.annotation', 'spec.serviceAcountName', 'spec.containers[0].envv', 'spec.containers[1].env[0].vaule'],
    );
    assert.deepEqual(
      unknownFields('ServiceAccount', { metadata: { name: 'x' }, automountServiceAccountToken: false }),
      [],
    );
  });

  it('formats ages like kubectl (HumanDuration)', () => {
    const s = 1000;
    assert.equal(humanDuration(5 * s), '5s');
    assert.equal(humanDuration(119 * s), '119s');
    assert.equal(humanDuration(150 * s), '2m30s');
    assert.equal(humanDuration(600 * s), '10m');
    assert.equal(humanDuration(3 * 3600 * s + 60 * s), '3h1m');
    assert.equal(humanDuration(30 * 3600 * s), '30h');
    assert.equal(humanDuration(3 * 24 * 3600 * s), '3d');
    assert.equal(humanDuration(-5 * s), '<invalid>');
  });
});

describe('sandbox patch and selector properties (fast-check)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fc = require('fast-check') as typeof import('fast-check');
  const key = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/);
  const doc = fc.dictionary(key, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }) as import('fast-check').Arbitrary<
    Record<string, unknown>
  >;

  // Compared as JSON text: generated objects may have a null prototype or -0, which request
  // bodies (JSON.parse) never have.
  const same = (a: unknown, b: unknown): void => assert.equal(JSON.stringify(a), JSON.stringify(b));

  it('merge patch: the empty patch changes nothing, and applying a patch twice equals once', () => {
    fc.assert(
      fc.property(doc, doc, (d, p) => {
        same(mergePatch(d, {}), d);
        const once = mergePatch(d, p);
        same(mergePatch(once, p), once);
      }),
      { numRuns: 200 },
    );
  });

  it('strategic merge equals merge patch on documents without lists', () => {
    const noLists = fc.dictionary(
      key,
      fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.dictionary(key, fc.string(), { maxKeys: 3 })),
      { maxKeys: 5 },
    );
    fc.assert(
      fc.property(noLists, noLists, (d, p) => same(strategicMergePatch(d, p), mergePatch(d, p))),
      { numRuns: 200 },
    );
  });

  it('JSON patch: add then remove of a new key is the identity', () => {
    fc.assert(
      fc.property(doc, fc.jsonValue({ maxDepth: 2 }), (d, v) => {
        const k = 'zz-new';
        const out = jsonPatch(d, [
          { op: 'add', path: `/${k}`, value: v },
          { op: 'remove', path: `/${k}` },
        ]);
        same(out, d);
      }),
      { numRuns: 200 },
    );
  });

  it('label selector `k=v` matches exactly the label maps holding v at k', () => {
    const labels = fc.dictionary(key, key, { maxKeys: 4 });
    fc.assert(
      fc.property(labels, key, key, (l, k, v) => {
        assert.equal(matchesLabels(parseLabelSelector(`${k}=${v}`), l), l[k] === v);
        assert.equal(matchesLabels(parseLabelSelector(`${k}!=${v}`), l), l[k] !== v);
        assert.equal(matchesLabels(parseLabelSelector(`!${k}`), l), !(k in l));
      }),
      { numRuns: 300 },
    );
  });

  it('fieldsV1 round-trips through a field set', () => {
    fc.assert(
      fc.property(doc, (d) => {
        const v1 = toFieldsV1(fieldsOf({ spec: d }));
        same(toFieldsV1(fromFieldsV1(v1)), v1);
      }),
      { numRuns: 200 },
    );
  });
});
