import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { rawRequest, startHarness, type Harness } from './sandboxClients';

describe('sandbox ARM: tenants, subscriptions, resource groups', () => {
  let h: Harness;
  let auth: Record<string, string>;
  const get = async (path: string) => {
    const res = await rawRequest(h.sandbox, 'GET', path, { headers: auth });
    return { status: res.status, body: res.json() as Record<string, unknown> };
  };

  before(async () => {
    h = await startHarness();
    auth = { authorization: `Bearer ${(await h.credential.getToken('https://management.azure.com/.default'))!.token}` };
  });
  after(async () => {
    await h.sandbox.close();
  });

  it('lists the tenant and the subscription', async () => {
    const tenants = await get('/tenants?api-version=2022-12-01');
    assert.equal((tenants.body.value as { tenantId: string }[])[0]!.tenantId, h.sandbox.tenantId);
    const subs = await get('/subscriptions?api-version=2022-12-01');
    assert.deepEqual(
      (subs.body.value as { subscriptionId: string }[]).map((s) => s.subscriptionId),
      [h.sandbox.subscriptionId],
    );
    const missing = await get(
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups?api-version=2021-04-01',
    );
    assert.equal(missing.status, 404);
    assert.equal((missing.body.error as { code: string }).code, 'SubscriptionNotFound');
  });

  it('lists, gets and creates resource groups; the node resource groups exist', async () => {
    const list = await get(`/subscriptions/${h.sandbox.subscriptionId}/resourcegroups?api-version=2021-04-01`);
    const names = (list.body.value as { name: string }[]).map((g) => g.name);
    assert.ok(names.includes(SCENARIO.resourceGroup));
    assert.ok(names.includes(`MC_${SCENARIO.resourceGroup}_${SCENARIO.clusterWithIssuer}_eastus`));
    const one = await get(
      `/subscriptions/${h.sandbox.subscriptionId}/resourceGroups/${SCENARIO.resourceGroup.toUpperCase()}?api-version=2021-04-01`,
    );
    assert.equal(one.status, 200, 'names are case-insensitive');
    const none = await get(`/subscriptions/${h.sandbox.subscriptionId}/resourceGroups/nope?api-version=2021-04-01`);
    assert.equal((none.body.error as { code: string }).code, 'ResourceGroupNotFound');
    const noVersion = await get(`/subscriptions/${h.sandbox.subscriptionId}/resourceGroups`);
    assert.equal((noVersion.body.error as { code: string }).code, 'MissingApiVersionParameter');
  });

  it('pages long lists with absolute nextLinks', async () => {
    const token = auth.authorization!;
    for (let i = 0; i < 120; i++) {
      await rawRequest(
        h.sandbox,
        'PUT',
        `/subscriptions/${h.sandbox.subscriptionId}/resourceGroups/rg-page-${i}?api-version=2021-04-01`,
        { headers: { authorization: token }, body: { location: 'eastus' } },
      );
    }
    let url: string | undefined = `/subscriptions/${h.sandbox.subscriptionId}/resourcegroups?api-version=2021-04-01`;
    let count = 0;
    let pages = 0;
    while (url) {
      const page = await get(url);
      count += (page.body.value as unknown[]).length;
      url = page.body.nextLink as string | undefined;
      if (url) assert.ok(url.startsWith(`${h.sandbox.origin}/`));
      pages++;
    }
    assert.ok(pages >= 2);
    assert.ok(count >= 120);
  });
});
