import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { startHarness, type Harness } from './sandboxClients';

/** A client polling at its default interval (2 s here) waits what `lroSeconds` says, because the sandbox sends Retry-After: without it this create took 4.05 s. */
describe('sandbox long-running operations: Retry-After', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ knobs: { lroSeconds: 3 } });
  });
  after(async () => {
    await h.sandbox.close();
  });

  it('the real @azure/arm-containerservice poller (default interval) finishes a 3 s create in about 3 s', async () => {
    const client = new ContainerServiceClient(h.credential, h.sandbox.subscriptionId, {
      endpoint: h.sandbox.armEndpoint,
      tlsOptions: { ca: h.sandbox.caPem },
    });
    const started = Date.now();
    const cluster = await client.managedClusters.createOrUpdate(SCENARIO.resourceGroup, 'aks-timed', {
      location: 'eastus',
      dnsPrefix: 'akstimed',
    });
    const elapsed = (Date.now() - started) / 1000;
    assert.equal(cluster.provisioningState, 'Succeeded');
    assert.ok(elapsed >= 2.9 && elapsed < 3.8, `took ${elapsed.toFixed(2)} s`);
  });
});
