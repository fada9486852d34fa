import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { FaultInjector, DEFAULT_KNOBS, validateKnobs } from '../../../src/sandbox/knobs';
import { rawRequest, restError, startHarness, type Harness } from './sandboxClients';

describe('sandbox knobs: faults the Azure SDK retries', () => {
  let h: Harness;
  let client: ManagedServiceIdentityClient;
  const get = () => client.userAssignedIdentities.get(SCENARIO.resourceGroup, SCENARIO.workingIdentity);

  before(async () => {
    h = await startHarness({ knobs: { retryAfterSeconds: 0.05 } });
    client = new ManagedServiceIdentityClient(h.credential, h.sandbox.subscriptionId, h.armOptions);
    await get(); // token acquired, caches warm
  });
  after(async () => {
    await h.sandbox.close();
  });

  const armRequests = () => h.sandbox.stats().byService.arm ?? 0;

  it('429 with Retry-After and the ARM throttle body: the SDK retries and succeeds', async () => {
    h.sandbox.setKnobs({ throttleRate: 0.5 });
    try {
      const before = armRequests();
      await get(); // 1st request: fine (the accumulator reaches 0.5)
      await get(); // 2nd: throttled, retried once
      assert.equal(armRequests() - before, 3);
      assert.equal(h.sandbox.stats().faults.throttle, 1);
      h.sandbox.setKnobs({ throttleRate: 1 });
      const token = (await h.credential.getToken('https://management.azure.com/.default'))!.token;
      const raw = await rawRequest(
        h.sandbox,
        'GET',
        `/subscriptions/${h.sandbox.subscriptionId}?api-version=2022-12-01`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      assert.equal(raw.status, 429);
      assert.ok(raw.headers['retry-after']);
      assert.equal((raw.json() as { error: { code: string } }).error.code, 'SubscriptionRequestsThrottled');
    } finally {
      h.sandbox.setKnobs({ throttleRate: 0 });
    }
  });

  it('503: the SDK retries; with every request failing it gives up after its retries', async () => {
    h.sandbox.setKnobs({ errorRate: 1 });
    try {
      const before = armRequests();
      const quick = new ManagedServiceIdentityClient(h.credential, h.sandbox.subscriptionId, {
        ...h.armOptions,
        retryOptions: { maxRetries: 2 },
      });
      const e = await restError(quick.userAssignedIdentities.get(SCENARIO.resourceGroup, SCENARIO.workingIdentity));
      assert.equal(e.statusCode, 503);
      assert.equal(armRequests() - before, 3, 'first try + 2 retries');
    } finally {
      h.sandbox.setKnobs({ errorRate: 0 });
    }
  });

  it('dropped connections: the SDK retries the system error', async () => {
    h.sandbox.setKnobs({ dropRate: 0.5 });
    try {
      await get();
      await get();
      assert.equal(h.sandbox.stats().faults.drop, 1);
    } finally {
      h.sandbox.setKnobs({ dropRate: 0 });
    }
  });

  it('latency is added to each request; the control API is exempt', async () => {
    h.sandbox.setKnobs({ latencyMs: 150 });
    try {
      const start = Date.now();
      await get();
      assert.ok(Date.now() - start >= 150);
      const t = Date.now();
      const knobs = await rawRequest(h.sandbox, 'GET', '/_sandbox/knobs');
      assert.equal((knobs.json() as { latencyMs: number }).latencyMs, 150);
      assert.ok(Date.now() - t < 150);
    } finally {
      h.sandbox.setKnobs({ latencyMs: 0 });
    }
  });

  it('control API: PUT knobs validates, POST reset restores the scenario', async () => {
    const bad = await rawRequest(h.sandbox, 'PUT', '/_sandbox/knobs', { body: { throttleRate: 2 } });
    assert.equal(bad.status, 400);
    const ok = await rawRequest(h.sandbox, 'PUT', '/_sandbox/knobs', { body: { lroSeconds: 2 } });
    assert.equal((ok.json() as { lroSeconds: number }).lroSeconds, 2);
    await client.userAssignedIdentities.createOrUpdate(SCENARIO.resourceGroup, 'id-before-reset', {
      location: 'eastus',
    });
    const reset = await rawRequest(h.sandbox, 'POST', '/_sandbox/reset', { body: {} });
    assert.equal(reset.status, 200);
    assert.equal(
      (await restError(client.userAssignedIdentities.get(SCENARIO.resourceGroup, 'id-before-reset'))).statusCode,
      404,
    );
    assert.ok(await get(), 'same tenant and developer after a reset');
    await rawRequest(h.sandbox, 'POST', '/_sandbox/reset', { body: { empty: true } });
    assert.equal(Object.keys(h.sandbox.state().identities).length, 0);
  });
});

describe('knobs: validation and the deterministic fault schedule', () => {
  it('rejects unknown knobs and out-of-range rates', () => {
    assert.throws(() => validateKnobs({ nope: 1 }), /unknown knob/);
    assert.throws(() => validateKnobs({ dropRate: 1.5 }), /rate/);
    assert.throws(() => validateKnobs({ latencyMs: -1 }), /non-negative/);
    assert.deepEqual(validateKnobs({ latencyMs: 5 }), { latencyMs: 5 });
  });

  it('fails exactly rate × N of N requests', () => {
    const f = new FaultInjector();
    const knobs = { ...DEFAULT_KNOBS, errorRate: 0.25 };
    const faults = Array.from({ length: 100 }, () => f.next(knobs)).filter(Boolean).length;
    assert.equal(faults, 25);
  });
});
