import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { createArmConnection } from '../../../src/azure/clients';
import { listSubscriptions } from '../../../src/azure/subscriptions';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { all, rawRequest, startHarness, type Harness } from './sandboxClients';

/** The `pageSize` knob forces ARM lists onto several pages; the SDK iterators must follow the absolute nextLinks. */
describe('sandbox ARM: paging with nextLink', () => {
  let h: Harness;
  let msi: ManagedServiceIdentityClient;
  const rg = SCENARIO.resourceGroup;
  const listCalls = (pathPart: string) =>
    h.sandbox.stats().recent.filter((r) => r.method === 'GET' && r.path.endsWith(pathPart)).length;

  before(async () => {
    h = await startHarness({ knobs: { pageSize: 7 }, scale: { subscriptions: 4 } });
    msi = new ManagedServiceIdentityClient(h.credential, h.sandbox.subscriptionId, h.armOptions);
  });
  after(async () => {
    await h.sandbox.close();
  });

  it('pages 20 federated credentials 7 at a time', async () => {
    await msi.userAssignedIdentities.createOrUpdate(rg, 'id-many', { location: 'eastus' });
    for (let i = 0; i < 20; i++) {
      await msi.federatedIdentityCredentials.createOrUpdate(rg, 'id-many', `fic-${String(i).padStart(2, '0')}`, {
        issuer: 'https://issuer.example/',
        subject: `system:serviceaccount:ns:sa-${i}`,
        audiences: ['api://AzureADTokenExchange'],
      });
    }
    const before = listCalls('/federatedIdentityCredentials');
    const fics = await all(msi.federatedIdentityCredentials.list(rg, 'id-many'));
    assert.equal(fics.length, 20);
    assert.equal(new Set(fics.map((f) => f.name)).size, 20, 'no item twice');
    assert.equal(listCalls('/federatedIdentityCredentials') - before, 3, '7 + 7 + 6');
  });

  it('sends an absolute nextLink that keeps the api-version', async () => {
    const token = await h.credential.getToken('https://management.azure.com/.default');
    const res = await rawRequest(
      h.sandbox,
      'GET',
      `/subscriptions/${h.sandbox.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-many/federatedIdentityCredentials?api-version=2024-11-30`,
      { headers: { authorization: `Bearer ${token!.token}` } },
    );
    const body = res.json() as { value: unknown[]; nextLink?: string };
    assert.equal(body.value.length, 7);
    assert.ok(body.nextLink?.startsWith(`${h.sandbox.origin}/subscriptions/`));
    assert.match(body.nextLink ?? '', /api-version=2024-11-30/);
  });

  it('pages identities (subscription-wide list) and subscriptions', async () => {
    for (let i = 0; i < 10; i++) {
      await msi.userAssignedIdentities.createOrUpdate(rg, `id-page-${i}`, { location: 'eastus' });
    }
    const expected = Object.values(h.sandbox.state().identities).length;
    assert.ok(expected > 14, 'more than two pages');
    const identities = await all(msi.userAssignedIdentities.listBySubscription());
    assert.equal(identities.length, expected);

    const before = listCalls('/subscriptions');
    const connection = createArmConnection({
      credential: h.credential,
      endpoint: h.sandbox.armEndpoint,
      tlsCa: h.sandbox.caPem,
    });
    const subs = await listSubscriptions(connection);
    assert.equal(subs.length, 5);
    assert.ok(subs.some((s) => s.subscriptionId === h.sandbox.subscriptionId));
    h.sandbox.setKnobs({ pageSize: 2 });
    try {
      const again = await listSubscriptions(connection);
      assert.equal(again.length, 5);
      assert.equal(listCalls('/subscriptions') - before, 1 + 3, 'one page of 7, then three of 2');
    } finally {
      h.sandbox.setKnobs({ pageSize: 7 });
    }
  });
});
