import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shouldRetry, withRetries } from '../../../src/kube/provision/kubeRetry';

describe('Kubernetes call retries', () => {
  it('retries 429 for every call, 5xx and dropped connections only for reads and the TokenRequest', () => {
    assert.equal(shouldRetry('patchNamespacedServiceAccount', { code: 429 }), true);
    assert.equal(shouldRetry('patchNamespacedServiceAccount', { code: 503 }), false);
    assert.equal(shouldRetry('createNamespacedServiceAccount', new TypeError('fetch failed')), false);
    assert.equal(shouldRetry('listNamespacedPod', { code: 500 }), true);
    assert.equal(shouldRetry('readNamespacedServiceAccount', new TypeError('fetch failed')), true);
    assert.equal(shouldRetry('createNamespacedServiceAccountToken', { code: 503 }), true);
    assert.equal(shouldRetry('readNamespacedServiceAccount', { code: 404 }), false);
  });
  it('sends a read again after a 503 and gives up on a write', async () => {
    let reads = 0;
    let writes = 0;
    const api = withRetries({
      async readThing() {
        reads++;
        if (reads < 3) throw Object.assign(new Error('HTTP-Code: 503'), { code: 503 });
        return 'ok';
      },
      async patchThing() {
        writes++;
        throw Object.assign(new Error('HTTP-Code: 503'), { code: 503 });
      },
    });
    assert.equal(await api.readThing(), 'ok');
    assert.equal(reads, 3);
    await assert.rejects(api.patchThing(), /503/);
    assert.equal(writes, 1);
  });
});
