import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { isWrite } from '../../../src/sandbox/requestStats';
import { startHarness, type Harness } from './sandboxClients';

describe('sandbox stats: requests by method and the writes count', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.sandbox.close();
  });

  it('counts ARM reads by method and ARM writes in writes; token requests are not writes', async () => {
    const client = new ManagedServiceIdentityClient(h.credential, h.sandbox.subscriptionId, h.armOptions);
    const before = h.sandbox.stats();
    await client.userAssignedIdentities.get(SCENARIO.resourceGroup, SCENARIO.workingIdentity);
    const afterRead = h.sandbox.stats();
    assert.equal(afterRead.writes, before.writes, 'a GET (and the token POST before it) is not a write');
    assert.ok(
      (afterRead.byMethod.GET ?? 0) - (before.byMethod.GET ?? 0) >= 1,
      'the ARM GET (and any discovery GET of the credential)',
    );
    assert.ok(
      (afterRead.byMethod.POST ?? 0) >= (before.byMethod.POST ?? 0) + 1,
      'the token request is counted by method',
    );
    await client.userAssignedIdentities.createOrUpdate(SCENARIO.resourceGroup, 'id-stats', { location: 'eastus' });
    await client.userAssignedIdentities.delete(SCENARIO.resourceGroup, 'id-stats');
    const afterWrite = h.sandbox.stats();
    assert.equal(afterWrite.writes - afterRead.writes, 2);
    assert.equal((afterWrite.byMethod.PUT ?? 0) - (afterRead.byMethod.PUT ?? 0), 1);
    assert.equal((afterWrite.byMethod.DELETE ?? 0) - (afterRead.byMethod.DELETE ?? 0), 1);
    const total = Object.values(afterWrite.byMethod).reduce((a, b) => a + b, 0);
    assert.equal(total, afterWrite.requests);
  });

  it('classifies list actions, TokenRequest and reviews as reads', () => {
    assert.equal(
      isWrite(
        'arm',
        'POST',
        '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c/listClusterUserCredential',
      ),
      false,
    );
    assert.equal(
      isWrite(
        'arm',
        'POST',
        '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c/rotateClusterCertificates',
      ),
      true,
    );
    assert.equal(isWrite('kube', 'POST', '/k8s/g/api/v1/namespaces/default/serviceaccounts/sa/token'), false);
    assert.equal(isWrite('kube', 'POST', '/k8s/g/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'), false);
    assert.equal(isWrite('kube', 'POST', '/k8s/g/api/v1/namespaces/default/serviceaccounts'), true);
    assert.equal(isWrite('kube', 'PATCH', '/k8s/g/api/v1/namespaces/default/serviceaccounts/sa'), true);
    assert.equal(isWrite('entra', 'POST', '/t/oauth2/v2.0/token'), false);
    assert.equal(isWrite('control', 'POST', '/_sandbox/reset'), false);
    assert.equal(isWrite('keyvault', 'PUT', '/secrets/x'), false);
  });
});
