import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { all, rawRequest, restError, startHarness, type Harness } from './sandboxClients';

/** Deletes that cascade, and long-running operations that fail (src/sandbox/arm/deletion.ts, clusters.ts). */
describe('sandbox ARM: resource group delete, identity delete, failed operations', () => {
  let h: Harness;
  let msi: ManagedServiceIdentityClient;
  let aks: ContainerServiceClient;
  let auth: AuthorizationManagementClient;
  let bearer: Record<string, string>;
  const rg = SCENARIO.resourceGroup;
  const rgPath = () => `/subscriptions/${h.sandbox.subscriptionId}/resourcegroups/${rg}?api-version=2021-04-01`;

  before(async () => {
    h = await startHarness({ knobs: { lroSeconds: 0.3 } });
    msi = new ManagedServiceIdentityClient(h.credential, h.sandbox.subscriptionId, h.armOptions);
    auth = new AuthorizationManagementClient(h.credential, h.sandbox.subscriptionId, h.armOptions);
    aks = new ContainerServiceClient(h.credential, h.sandbox.subscriptionId, {
      endpoint: h.sandbox.armEndpoint,
      tlsOptions: { ca: h.sandbox.caPem },
    });
    const token = await h.credential.getToken('https://management.azure.com/.default');
    bearer = { authorization: `Bearer ${token!.token}` };
  });
  after(async () => {
    await h.sandbox.close();
  });

  it('deleting an identity deletes its federated credentials with it', async () => {
    await msi.userAssignedIdentities.createOrUpdate(rg, 'id-short-lived', { location: 'eastus' });
    await msi.federatedIdentityCredentials.createOrUpdate(rg, 'id-short-lived', 'fic-one', {
      issuer: 'https://issuer.example/',
      subject: 'system:serviceaccount:a:b',
      audiences: ['api://AzureADTokenExchange'],
    });
    await msi.userAssignedIdentities.delete(rg, 'id-short-lived');
    assert.equal((await restError(all(msi.federatedIdentityCredentials.list(rg, 'id-short-lived')))).statusCode, 404);
    await msi.userAssignedIdentities.createOrUpdate(rg, 'id-short-lived', { location: 'eastus' });
    assert.deepEqual(
      await all(msi.federatedIdentityCredentials.list(rg, 'id-short-lived')),
      [],
      'a new identity of the same name starts without credentials',
    );
  });

  it('a cluster operation can end Failed (lroFailRate): the SDK rejects with the status error', async () => {
    h.sandbox.setKnobs({ lroFailRate: 1 });
    try {
      const e = await restError(
        aks.managedClusters.beginCreateOrUpdateAndWait(
          rg,
          'aks-doomed',
          { location: 'eastus', dnsPrefix: 'doomed' },
          { updateIntervalInMs: 20 },
        ),
      );
      assert.match(e.message, /ReconcileManagedClusterFailed/);
      assert.match(e.message, /lroFailRate/);
    } finally {
      h.sandbox.setKnobs({ lroFailRate: 0 });
    }
    const failed = await aks.managedClusters.get(rg, 'aks-doomed');
    assert.equal(failed.provisioningState, 'Failed', 'the cluster stays, Failed, as AKS leaves it');
    const retried = await aks.managedClusters.beginCreateOrUpdateAndWait(
      rg,
      'aks-doomed',
      { location: 'eastus', dnsPrefix: 'doomed' },
      { updateIntervalInMs: 20 },
    );
    assert.equal(retried.provisioningState, 'Succeeded', 'with the knob off, a retry succeeds');
  });

  it('the lroFailRate is deterministic: 0.5 fails every second operation', async () => {
    h.sandbox.setKnobs({ lroFailRate: 0.5 });
    try {
      const outcomes: string[] = [];
      for (const name of ['aks-half-1', 'aks-half-2', 'aks-half-3', 'aks-half-4']) {
        try {
          await aks.managedClusters.beginCreateOrUpdateAndWait(
            rg,
            name,
            { location: 'eastus', dnsPrefix: name },
            { updateIntervalInMs: 20 },
          );
          outcomes.push('ok');
        } catch {
          outcomes.push('failed');
        }
      }
      assert.deepEqual(outcomes, ['ok', 'failed', 'ok', 'failed']);
    } finally {
      h.sandbox.setKnobs({ lroFailRate: 0 });
    }
  });

  it('a missing resource group: 404 ResourceGroupNotFound', async () => {
    const res = await rawRequest(
      h.sandbox,
      'DELETE',
      `/subscriptions/${h.sandbox.subscriptionId}/resourcegroups/rg-nowhere?api-version=2021-04-01`,
      { headers: bearer },
    );
    assert.equal(res.status, 404);
    assert.equal((res.json() as { error: { code: string } }).error.code, 'ResourceGroupNotFound');
  });

  it('deletes a resource group as a 202 + Location operation, with everything in it', async () => {
    const vaultScope = `/subscriptions/${h.sandbox.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.KeyVault/vaults/${SCENARIO.vault}`;
    assert.ok(
      (await all(auth.roleAssignments.listForScope(vaultScope, { filter: 'atScope()' }))).some(
        (a) => a.scope === vaultScope,
      ),
    );
    const res = await rawRequest(h.sandbox, 'DELETE', rgPath(), { headers: bearer });
    assert.equal(res.status, 202);
    const location = String(res.headers.location);
    assert.ok(
      location.startsWith(`${h.sandbox.origin}/subscriptions/${h.sandbox.subscriptionId}/operationresults/`),
      'absolute, on the sandbox',
    );
    assert.equal(res.headers['retry-after'], '1');
    assert.equal((await rawRequest(h.sandbox, 'GET', location, { headers: bearer })).status, 202, 'still running');
    await new Promise((r) => setTimeout(r, 350));
    assert.equal((await rawRequest(h.sandbox, 'GET', location, { headers: bearer })).status, 200, 'done');

    assert.equal((await rawRequest(h.sandbox, 'GET', rgPath(), { headers: bearer })).status, 404);
    assert.equal(
      (await restError(msi.userAssignedIdentities.get(rg, SCENARIO.workingIdentity))).code,
      'ResourceGroupNotFound',
    );
    const state = h.sandbox.state();
    assert.deepEqual(
      Object.values(state.identities).map((i) => i.name),
      [],
      'identities gone, the kubelet identities of the MC_ groups too',
    );
    assert.deepEqual(Object.values(state.clusters), []);
    assert.deepEqual(Object.values(state.vaults), []);
    assert.deepEqual(
      Object.values(state.resourceGroups).map((g) => g.name),
      [],
      'node resource groups go with their clusters',
    );
    assert.ok(
      !Object.values(state.roleAssignments).some((a) => a.scope.toLowerCase().includes(`/resourcegroups/${rg}`)),
      'role assignments under the group are gone',
    );
    assert.ok(
      Object.values(state.roleAssignments).some((a) => a.scope === `/subscriptions/${h.sandbox.subscriptionId}`),
      'the subscription-level Owner stays',
    );
    // Recreate: the group starts empty.
    await rawRequest(h.sandbox, 'PUT', rgPath(), { headers: bearer, body: { location: 'eastus' } });
    assert.deepEqual(await all(msi.userAssignedIdentities.listByResourceGroup(rg)), []);
  });
});
