import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { MAX_NESTING, nestsDeeperThan } from '../../../src/sandbox/requestLimits';
import { rawRequest, startHarness, type Harness } from './sandboxClients';

/** Deep and huge bodies, media types and malformed paths: refused in the service's envelope, and harmless to later requests. */
describe('sandbox request limits', () => {
  let h: Harness;
  let armToken: string;
  let kvToken: string;
  const sub = () => h.sandbox.subscriptionId;
  const cluster = () => Object.values(h.sandbox.state().clusters).find((c) => c.name === SCENARIO.clusterWithIssuer)!;
  const kube = (path: string) => `/k8s/${cluster().guid}${path}`;
  const kubeAuth = () => ({ authorization: `Bearer ${cluster().clientToken!}` });
  const arm = () => ({ authorization: `Bearer ${armToken}` });
  const vaultPath = `/subscriptions/SUB/resourceGroups/${SCENARIO.resourceGroup}/providers/Microsoft.KeyVault/vaults/${SCENARIO.vault}?api-version=2023-07-01`;
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

  before(async () => {
    h = await startHarness();
    armToken = (await h.credential.getToken('https://management.azure.com/.default'))!.token;
    kvToken = (await h.credential.getToken('https://vault.azure.net/.default'))!.token;
  });
  after(async () => {
    await h.sandbox.close();
  });

  const stillHealthy = async () => {
    const sa = await rawRequest(h.sandbox, 'GET', kube('/api/v1/namespaces/default/serviceaccounts'), {
      headers: kubeAuth(),
    });
    assert.equal(sa.status, 200, sa.text);
    const token = await h.credential.getToken('https://management.azure.com/.default', {
      tenantId: h.sandbox.tenantId,
    });
    assert.ok(token?.token);
    const rg = await rawRequest(
      h.sandbox,
      'PUT',
      `/subscriptions/${sub()}/resourcegroups/rg-after-limits?api-version=2021-04-01`,
      { headers: arm(), body: { location: 'eastus' } },
    );
    assert.ok(rg.status === 200 || rg.status === 201, rg.text);
  };

  it('a 2,500-deep Kubernetes body → 400 Status, not stored; later requests still work', async () => {
    const body = `{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"deep","namespace":"default","annotations":{}},"x":${deep(2500)}}`;
    const res = await rawRequest(h.sandbox, 'POST', kube('/api/v1/namespaces/default/serviceaccounts'), {
      headers: { ...kubeAuth(), 'content-type': 'application/json' },
      body,
    });
    assert.equal(res.status, 400);
    assert.equal((res.json() as { kind: string; reason: string }).kind, 'Status');
    assert.equal(cluster().kube.serviceaccounts.default?.deep, undefined);
    await stillHealthy();
  });

  it('a 2,500-deep ARM Key Vault PUT → 400 in the ARM envelope; later requests still work', async () => {
    const body = `{"location":"eastus","properties":{"tenantId":"${h.sandbox.tenantId}","sku":{"family":"A","name":"standard"},"x":${deep(2500)}}}`;
    const res = await rawRequest(h.sandbox, 'PUT', vaultPath.replace('SUB', sub()), {
      headers: { ...arm(), 'content-type': 'application/json' },
      body,
    });
    assert.equal(res.status, 400);
    assert.equal((res.json() as { error: { code: string } }).error.code, 'InvalidRequestContent');
    await stillHealthy();
  });

  it('nesting is counted outside strings only, linearly', () => {
    assert.equal(nestsDeeperThan(Buffer.from(JSON.stringify({ s: '['.repeat(5000) })), MAX_NESTING), false);
    assert.equal(nestsDeeperThan(Buffer.from(JSON.stringify({ s: '\\"[[[' })), 2), false);
    assert.equal(nestsDeeperThan(Buffer.from(deep(MAX_NESTING)), MAX_NESTING), false);
    assert.equal(nestsDeeperThan(Buffer.from(deep(MAX_NESTING + 1)), MAX_NESTING), true);
    const start = process.hrtime.bigint();
    nestsDeeperThan(Buffer.alloc(8 * 1024 * 1024, 0x7b), MAX_NESTING);
    nestsDeeperThan(Buffer.from(`"${'a'.repeat(8 * 1024 * 1024)}"`), MAX_NESTING);
    assert.ok(Number(process.hrtime.bigint() - start) / 1e6 < 2000, 'a guard, not a benchmark');
  });

  it('a 5 MB ARM tag → 413 in the ARM envelope, not stored', async () => {
    const body = JSON.stringify({ location: 'eastus', tags: { big: 'x'.repeat(5 * 1024 * 1024) } });
    const res = await rawRequest(
      h.sandbox,
      'PUT',
      `/subscriptions/${sub()}/resourcegroups/rg-huge?api-version=2021-04-01`,
      { headers: { ...arm(), 'content-type': 'application/json' }, body },
    );
    assert.equal(res.status, 413);
    assert.equal((res.json() as { error: { code: string } }).error.code, 'RequestEntityTooLarge');
    assert.ok(!Object.values(h.sandbox.state().resourceGroups).some((g) => g.name === 'rg-huge'));
  });

  it('a 4 MiB Kubernetes body → 413 Status (kube-apiserver limit 3 MiB); a chunked one too', async () => {
    const body = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'huge', annotations: { a: 'x'.repeat(4 * 1024 * 1024) } },
    });
    const res = await rawRequest(h.sandbox, 'POST', kube('/api/v1/namespaces/default/serviceaccounts'), {
      headers: { ...kubeAuth(), 'content-type': 'application/json' },
      body,
    });
    assert.equal(res.status, 413);
    const status = res.json() as { kind: string; reason: string; message: string };
    assert.equal(status.reason, 'RequestEntityTooLarge');
    assert.equal(status.message, `Request entity too large: limit is ${3 * 1024 * 1024}`);
    // Without Content-Length (chunked): refused once the limit is passed.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${h.sandbox.origin}${kube('/api/v1/namespaces/default/serviceaccounts')}`,
        {
          method: 'POST',
          ca: h.sandbox.caPem,
          headers: { ...kubeAuth(), 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < 8 * 1024 * 1024 && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    assert.equal(chunked, 413);
    assert.equal(cluster().kube.serviceaccounts.default?.huge, undefined);
  });

  it('16 concurrent 50 MB bodies keep memory bounded', async () => {
    const before = process.memoryUsage().rss;
    const declared = 50 * 1024 * 1024;
    const one = () =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          `${h.sandbox.origin}/subscriptions/${sub()}/resourcegroups/rg-flood?api-version=2021-04-01`,
          {
            method: 'PUT',
            ca: h.sandbox.caPem,
            headers: { ...arm(), 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
          },
          (r) => {
            r.resume();
            resolve(r.statusCode ?? 0);
            req.destroy();
          },
        );
        req.on('error', (e) => reject(e));
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        let sent = 0;
        const pump = (): void => {
          while (sent < declared && !req.destroyed) {
            sent += chunk.length;
            if (!req.write(chunk)) {
              req.once('drain', pump);
              return;
            }
          }
        };
        pump();
      });
    const statuses = await Promise.all(Array.from({ length: 16 }, one));
    assert.deepEqual([...new Set(statuses)], [413]);
    const grown = (process.memoryUsage().rss - before) / (1024 * 1024);
    // 16 × 4 MB limit = 64 MB at most held by the server; the clients' own buffers are reused. The old server held all 800 MB.
    assert.ok(grown < 400, `RSS grew by ${grown.toFixed(0)} MB`);
  });

  it('ARM refuses a body that is not JSON: 415 UnsupportedMediaType', async () => {
    const path = `/subscriptions/${sub()}/resourcegroups/rg-text?api-version=2021-04-01`;
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
      const res = await rawRequest(h.sandbox, 'PUT', path, {
        headers: { ...arm(), ...(type ? { 'content-type': type } : {}) },
        body: '{"location":"eastus"}',
      });
      assert.equal(res.status, 415, String(type));
      assert.equal((res.json() as { error: { code: string } }).error.code, 'UnsupportedMediaType');
    }
    const ok = await rawRequest(h.sandbox, 'PUT', path, {
      headers: { ...arm(), 'content-type': 'application/json; charset=utf-8' },
      body: '{"location":"eastus"}',
    });
    assert.equal(ok.status, 201);
  });

  it('Kubernetes: a malformed percent-escape in the path → 400, not 500', async () => {
    const res = await rawRequest(h.sandbox, 'GET', kube('/api/v1/namespaces/%E0%A4%A/serviceaccounts'), {
      headers: kubeAuth(),
    });
    assert.equal(res.status, 400);
    assert.equal((res.json() as { kind: string }).kind, 'Status');
  });

  it('Key Vault: `//secrets//name` is neither the list nor the secret', async () => {
    const port = Object.values(h.sandbox.state().vaults).find((v) => v.name === SCENARIO.vault)!.port!;
    const auth = { authorization: `Bearer ${kvToken}` };
    const res = await rawRequest(
      h.sandbox,
      'GET',
      `https://127.0.0.1:${port}//secrets//${SCENARIO.secret}?api-version=7.5`,
      { headers: auth },
    );
    assert.equal(res.status, 404);
    assert.ok(!('value' in (res.json() as object)));
    const list = await rawRequest(h.sandbox, 'GET', `https://127.0.0.1:${port}/secrets?api-version=7.5`, {
      headers: auth,
    });
    assert.equal(list.status, 200);
    const one = await rawRequest(
      h.sandbox,
      'GET',
      `https://127.0.0.1:${port}//secrets/${SCENARIO.secret}?api-version=7.5`,
      { headers: auth },
    );
    assert.equal((one.json() as { value: string }).value, SCENARIO.secretValue, 'leading slashes are still collapsed');
  });
});
