import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PromiseMemo } from '../../../src/core/promiseMemo';

test('concurrent callers share one load; a dropped key loads again', async () => {
  const memo = new PromiseMemo();
  let loads = 0;
  const load = async () => ++loads;
  const [a, b] = await Promise.all([memo.get('k', load), memo.get('k', load)]);
  assert.deepEqual([a, b, loads], [1, 1, 1]);
  memo.delete('k');
  assert.equal(await memo.get('k', load), 2);
});

test('deleteWhere drops only the keys it accepts; clear drops all', async () => {
  const memo = new PromiseMemo();
  let loads = 0;
  const load = async () => ++loads;
  await memo.get('ra|a', load);
  await memo.get('ra|b', load);
  await memo.get('fics|c', load);
  memo.deleteWhere((k) => k.startsWith('ra|'));
  assert.equal(await memo.get('fics|c', load), 3);
  assert.equal(await memo.get('ra|a', load), 4);
  memo.clear();
  assert.equal(await memo.get('fics|c', load), 5);
});
