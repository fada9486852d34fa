import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { rawRequest, startHarness, type Harness } from './sandboxClients';

interface Provider {
  id: string;
  namespace: string;
  registrationState?: string;
  resourceTypes: { resourceType: string; locations: string[]; apiVersions: string[] }[];
}

/** Resource provider metadata: every namespace the sandbox emulates, with the api-versions it accepts. */
describe('sandbox resource providers', () => {
  let h: Harness;
  let auth: Record<string, string>;
  let sub: string;
  const get = async (path: string) => {
    const res = await rawRequest(h.sandbox, 'GET', path, { headers: auth });
    return { status: res.status, body: res.json() as Record<string, unknown> };
  };

  before(async () => {
    h = await startHarness();
    auth = { authorization: `Bearer ${(await h.credential.getToken('https://management.azure.com/.default'))!.token}` };
    sub = h.sandbox.subscriptionId;
  });
  after(async () => {
    await h.sandbox.close();
  });

  it('lists the emulated namespaces in the subscription, registered, and the same at tenant level without registration state', async () => {
    const list = await get(`/subscriptions/${sub}/providers?api-version=2021-04-01`);
    assert.equal(list.status, 200);
    const providers = list.body.value as Provider[];
    assert.deepEqual(providers.map((p) => p.namespace).sort(), [
      'Microsoft.Authorization',
      'Microsoft.ContainerService',
      'Microsoft.KeyVault',
      'Microsoft.ManagedIdentity',
      'Microsoft.Resources',
    ]);
    for (const p of providers) {
      assert.equal(p.id, `/subscriptions/${sub}/providers/${p.namespace}`);
      assert.equal(p.registrationState, 'Registered');
    }
    const tenant = await get('/providers?api-version=2021-04-01');
    assert.equal(tenant.status, 200);
    for (const p of tenant.body.value as Provider[]) {
      assert.equal(p.id, `/providers/${p.namespace}`);
      assert.equal(p.registrationState, undefined);
    }
    const one = await get('/providers/microsoft.containerservice?api-version=2021-04-01');
    assert.equal(one.body.namespace, 'Microsoft.ContainerService');
    const unknown = await get(`/subscriptions/${sub}/providers/Microsoft.Nope?api-version=2021-04-01`);
    assert.equal(unknown.status, 404);
    assert.equal((unknown.body.error as { code: string }).code, 'InvalidResourceNamespace');
    const register = await rawRequest(
      h.sandbox,
      'POST',
      `/subscriptions/${sub}/providers/Microsoft.ContainerService/register?api-version=2021-04-01`,
      { headers: auth },
    );
    assert.equal(register.status, 200);
    assert.equal((register.json() as Provider).registrationState, 'Registered');
  });

  it('managedClusters lists the regions and the api-versions clients send', async () => {
    const aks = (await get(`/subscriptions/${sub}/providers/Microsoft.ContainerService?api-version=2021-04-01`))
      .body as unknown as Provider;
    const mc = aks.resourceTypes.find((t) => t.resourceType === 'managedClusters')!;
    assert.ok(mc.locations.includes('East US'));
    // What @azure/arm-containerservice 25.5 / 24.1 send; newest first.
    assert.ok(mc.apiVersions.includes('2026-06-01') && mc.apiVersions.includes('2025-10-01'));
    assert.equal(mc.apiVersions[0], [...mc.apiVersions].sort().reverse()[0]);
  });

  it('every listed api-version is accepted for its type, and a version not listed is refused', async () => {
    const rg = SCENARIO.resourceGroup;
    const paths: Record<string, string> = {
      'Microsoft.ManagedIdentity/userAssignedIdentities': `/subscriptions/${sub}/providers/Microsoft.ManagedIdentity/userAssignedIdentities`,
      'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials': `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${SCENARIO.workingIdentity}/federatedIdentityCredentials`,
      'Microsoft.ContainerService/managedClusters': `/subscriptions/${sub}/providers/Microsoft.ContainerService/managedClusters`,
      'Microsoft.KeyVault/vaults': `/subscriptions/${sub}/providers/Microsoft.KeyVault/vaults`,
      'Microsoft.Authorization/roleAssignments': `/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments`,
      'Microsoft.Authorization/roleDefinitions': `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions`,
      'Microsoft.Resources/tenants': '/tenants',
      'Microsoft.Resources/subscriptions': '/subscriptions',
      'Microsoft.Resources/providers': '/providers',
      'Microsoft.Resources/resourceGroups': `/subscriptions/${sub}/resourcegroups`,
      'Microsoft.Resources/resources': `/subscriptions/${sub}/resources`,
      'Microsoft.Resources/subscriptions/providers': `/subscriptions/${sub}/providers`,
    };
    const providers = (await get(`/subscriptions/${sub}/providers?api-version=2021-04-01`)).body.value as Provider[];
    let checked = 0;
    for (const p of providers) {
      for (const t of p.resourceTypes) {
        const path = paths[`${p.namespace}/${t.resourceType}`];
        if (!path) continue;
        for (const v of t.apiVersions) {
          const res = await get(`${path}?api-version=${v}`);
          assert.equal(res.status, 200, `${p.namespace}/${t.resourceType} ${v}: ${JSON.stringify(res.body)}`);
          checked++;
        }
        const bad = await get(`${path}?api-version=2000-01-01`);
        assert.equal(bad.status, 400, `${p.namespace}/${t.resourceType} refuses 2000-01-01`);
      }
    }
    assert.ok(checked > 100, `checked ${checked} versions`);
  });

  it('answers 401 without a token, like every ARM read', async () => {
    const res = await rawRequest(h.sandbox, 'GET', `/subscriptions/${sub}/providers?api-version=2021-04-01`);
    assert.equal(res.status, 401);
  });
});
