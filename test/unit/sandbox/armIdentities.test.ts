import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { all, restError, startHarness, type Harness } from './sandboxClients';

describe('sandbox ARM: user-assigned identities with @azure/arm-msi', () => {
  let h: Harness;
  let client: ManagedServiceIdentityClient;
  const rg = SCENARIO.resourceGroup;

  before(async () => {
    h = await startHarness();
    client = new ManagedServiceIdentityClient(h.credential, h.sandbox.subscriptionId, h.armOptions);
  });
  after(async () => {
    await h.sandbox.close();
  });

  it('lists the teaching scenario identities by resource group and subscription', async () => {
    const byRg = await all(client.userAssignedIdentities.listByResourceGroup(rg));
    assert.deepEqual(byRg.map((i) => i.name).sort(), [SCENARIO.workingIdentity, SCENARIO.brokenIdentity].sort());
    const bySub = await all(client.userAssignedIdentities.listBySubscription());
    // Plus the kubelet identities AKS creates in the node resource groups.
    assert.ok(bySub.some((i) => i.name === `${SCENARIO.clusterWithIssuer}-agentpool`));
  });

  it('creates (201), re-puts (200), gets, updates and deletes an identity', async () => {
    const created = await client.userAssignedIdentities.createOrUpdate(rg, 'id-test', {
      location: 'eastus',
      tags: { a: 'b' },
    });
    assert.match(created.clientId ?? '', /^[0-9a-f-]{36}$/);
    assert.match(created.principalId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(created.tenantId, h.sandbox.tenantId);
    assert.equal(created.type, 'Microsoft.ManagedIdentity/userAssignedIdentities');
    const again = await client.userAssignedIdentities.createOrUpdate(rg, 'id-test', { location: 'eastus' });
    assert.equal(again.clientId, created.clientId);
    const got = await client.userAssignedIdentities.get(rg, 'ID-TEST');
    assert.equal(got.principalId, created.principalId);
    const patched = await client.userAssignedIdentities.update(rg, 'id-test', { tags: { x: 'y' } });
    assert.deepEqual(patched.tags, { x: 'y' });
    await client.userAssignedIdentities.delete(rg, 'id-test');
    const gone = await restError(client.userAssignedIdentities.get(rg, 'id-test'));
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.code, 'ResourceNotFound');
    await client.userAssignedIdentities.delete(rg, 'id-test'); // 204: deleting nothing is fine
  });

  it('answers a missing resource group with ResourceGroupNotFound', async () => {
    const e = await restError(
      client.userAssignedIdentities.createOrUpdate('rg-missing', 'id-x', { location: 'eastus' }),
    );
    assert.equal(e.statusCode, 404);
    assert.equal(e.code, 'ResourceGroupNotFound');
  });

  it('rejects an invalid identity name', async () => {
    const e = await restError(client.userAssignedIdentities.createOrUpdate(rg, '-bad', { location: 'eastus' }));
    assert.equal(e.statusCode, 400);
  });
});

describe('sandbox ARM: federated identity credentials with @azure/arm-msi', () => {
  let h: Harness;
  let client: ManagedServiceIdentityClient;
  const rg = SCENARIO.resourceGroup;
  const issuer =
    'https://eastus.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/11111111-1111-1111-1111-111111111111/';
  const fic = (subject: string, audiences = ['api://AzureADTokenExchange'], iss = issuer) => ({
    issuer: iss,
    subject,
    audiences,
  });

  before(async () => {
    h = await startHarness();
    client = new ManagedServiceIdentityClient(h.credential, h.sandbox.subscriptionId, h.armOptions);
    await client.userAssignedIdentities.createOrUpdate(rg, 'id-fic', { location: 'eastus' });
  });
  after(async () => {
    await h.sandbox.close();
  });

  it('creates, gets, lists, re-puts idempotently and deletes', async () => {
    const created = await client.federatedIdentityCredentials.createOrUpdate(
      rg,
      'id-fic',
      'fic-one',
      fic('system:serviceaccount:ns:sa'),
    );
    assert.equal(created.issuer, issuer);
    assert.deepEqual(created.audiences, ['api://AzureADTokenExchange']);
    const again = await client.federatedIdentityCredentials.createOrUpdate(
      rg,
      'id-fic',
      'fic-one',
      fic('system:serviceaccount:ns:sa'),
    );
    assert.equal(again.subject, 'system:serviceaccount:ns:sa');
    const got = await client.federatedIdentityCredentials.get(rg, 'id-fic', 'fic-one');
    assert.equal(got.name, 'fic-one');
    const list = await all(client.federatedIdentityCredentials.list(rg, 'id-fic'));
    assert.deepEqual(
      list.map((c) => c.name),
      ['fic-one'],
    );
    await client.federatedIdentityCredentials.delete(rg, 'id-fic', 'fic-one');
    assert.equal((await all(client.federatedIdentityCredentials.list(rg, 'id-fic'))).length, 0);
  });

  it('enforces the service rules with its errors', async () => {
    const bad = async (name: string, body: ReturnType<typeof fic>, status: number, text: RegExp) => {
      const e = await restError(client.federatedIdentityCredentials.createOrUpdate(rg, 'id-fic', name, body));
      assert.equal(e.statusCode, status, `${name}: ${e.message}`);
      assert.match(e.message, text);
    };
    await bad('x', fic('s'), 400, /Federated Identity Credential name 'x' is invalid/);
    await bad('fic-aud', fic('s', []), 400, /exactly one audience/);
    await bad('fic-aud2', fic('s', ['a', 'b']), 400, /exactly one audience/);
    await bad('fic-http', fic('s', undefined, 'http://issuer.example/'), 400, /https/);
    await bad('fic-long', fic('s'.repeat(601)), 400, /600/);
    await bad(
      'fic-missing',
      { issuer, subject: '', audiences: ['api://AzureADTokenExchange'] },
      400,
      /must specify 'issuer', 'subject' and 'audience'/,
    );
    await client.federatedIdentityCredentials.createOrUpdate(rg, 'id-fic', 'fic-a', fic('system:serviceaccount:a:b'));
    await bad('fic-b', fic('system:serviceaccount:a:b'), 400, /Issuer and subject combination already exists/);
    const e = await restError(client.federatedIdentityCredentials.createOrUpdate(rg, 'id-missing', 'fic-a', fic('s')));
    assert.equal(e.statusCode, 404);
    assert.match(e.message, /parent user-assigned identity doesn't exist/);
  });

  it('allows at most 20 credentials per identity', async () => {
    await client.userAssignedIdentities.createOrUpdate(rg, 'id-many', { location: 'eastus' });
    for (let i = 0; i < 20; i++) {
      await client.federatedIdentityCredentials.createOrUpdate(
        rg,
        'id-many',
        `fic-${i}`,
        fic(`system:serviceaccount:ns:sa-${i}`),
      );
    }
    const e = await restError(
      client.federatedIdentityCredentials.createOrUpdate(
        rg,
        'id-many',
        'fic-20',
        fic('system:serviceaccount:ns:sa-20'),
      ),
    );
    assert.equal(e.statusCode, 400);
    assert.match(e.message, /maximum number of Federated Identity Credentials per Managed Identity is 20/);
    const page = await all(client.federatedIdentityCredentials.list(rg, 'id-many', { top: 7 }));
    assert.equal(page.length, 20, 'nextLink paging with $top/$skiptoken returns every credential');
  });

  it('answers concurrent writes under one identity with 409', async () => {
    await client.userAssignedIdentities.createOrUpdate(rg, 'id-conc', { location: 'eastus' });
    const results = await Promise.allSettled([
      client.federatedIdentityCredentials.createOrUpdate(rg, 'id-conc', 'fic-c1', fic('system:serviceaccount:c:1')),
      client.federatedIdentityCredentials.createOrUpdate(rg, 'id-conc', 'fic-c2', fic('system:serviceaccount:c:2')),
    ]);
    const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    assert.equal(rejected.length, 1);
    assert.equal((rejected[0]!.reason as { statusCode: number }).statusCode, 409);
  });

  it('rejects an unknown api-version with the ARM error', async () => {
    const res = await fetchJson(
      h,
      `/subscriptions/${h.sandbox.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-fic?api-version=2099-01-01`,
    );
    assert.equal(res.status, 400);
    assert.equal((res.body as { error: { code: string } }).error.code, 'NoRegisteredProviderFound');
  });
});

async function fetchJson(h: Harness, path: string): Promise<{ status: number; body: unknown }> {
  const token = await h.credential.getToken('https://management.azure.com/.default');
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(
      `${h.sandbox.origin}${path}`,
      { ca: h.sandbox.caPem, headers: { authorization: `Bearer ${token!.token}` } },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
