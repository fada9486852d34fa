import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startSandbox } from '../../../src/sandbox/server';
import { rawRequest } from './sandboxClients';

describe('sandbox request timeline (onRequest)', () => {
  it('reports each answered request with its service, method, path, status and its span', async () => {
    const seen: Array<{
      service: string;
      method: string;
      path: string;
      status: number;
      startedAt: number;
      endedAt: number;
    }> = [];
    const sandbox = await startSandbox({ port: 0, onRequest: (r) => seen.push(r) });
    try {
      const r = await rawRequest(
        sandbox,
        'GET',
        `/subscriptions/${sandbox.subscriptionId}/resourceGroups?api-version=2021-04-01`,
      );
      assert.equal(r.status, 401);
      const arm = seen.filter((x) => x.service === 'arm');
      assert.equal(arm.length, 1);
      assert.equal(arm[0]!.method, 'GET');
      assert.equal(arm[0]!.path, `/subscriptions/${sandbox.subscriptionId}/resourceGroups`);
      assert.equal(arm[0]!.status, 401);
      assert.ok(arm[0]!.endedAt >= arm[0]!.startedAt);
      assert.ok(!JSON.stringify(seen).includes('api-version'), 'no query strings (they could carry tokens elsewhere)');
    } finally {
      await sandbox.close();
    }
  });
});
