import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestError } from '@azure/core-rest-pipeline';
import { parseArmId, portalUrl, roleGuid, scopeLabel } from '../../../src/azure/armId';
import { attempt, toAzureError } from '../../../src/azure/errors';
import { groupByResourceGroup } from '../../../src/azure/grouping';
import { createLimiter } from '../../../src/azure/limiter';
import { roleRisk } from '../../../src/azure/roleRisk';

describe('armId', () => {
  it('parses scopes of every level', () => {
    assert.deepEqual(parseArmId('/subscriptions/s1'), { kind: 'subscription', subscriptionId: 's1' });
    assert.equal(parseArmId('/subscriptions/s1/resourceGroups/rg').kind, 'resourceGroup');
    const r = parseArmId('/subscriptions/s1/resourcegroups/rg/providers/Microsoft.KeyVault/vaults/kv1');
    assert.deepEqual(r, {
      kind: 'resource',
      subscriptionId: 's1',
      resourceGroup: 'rg',
      resourceType: 'Microsoft.KeyVault/vaults',
      name: 'kv1',
    });
    assert.equal(
      parseArmId('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/a/databases/b').resourceType,
      'Microsoft.Sql/servers/databases',
    );
    assert.equal(parseArmId('/providers/Microsoft.Management/managementGroups/mg1').kind, 'managementGroup');
    assert.equal(parseArmId('/').kind, 'root');
  });
  it('labels scopes readably', () => {
    const names = new Map([['s1', 'Dev subscription']]);
    assert.equal(scopeLabel('/subscriptions/S1', { subscriptionNames: names }), 'Dev subscription (subscription)');
    assert.equal(scopeLabel('/subscriptions/s1/resourceGroups/rg-demo'), 'rg-demo (resource group)');
    assert.equal(
      scopeLabel('/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-demo'),
      'kv-demo (Key Vault)',
    );
    assert.equal(
      scopeLabel('/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Foo/bars/x'),
      'x (Microsoft.Foo/bars)',
    );
  });
  it('builds portal links and role GUIDs', () => {
    assert.equal(portalUrl('/subscriptions/s', 't'), 'https://portal.azure.com/#@t/resource/subscriptions/s');
    assert.equal(roleGuid('/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/ABC'), 'abc');
  });
});

describe('roleRisk', () => {
  it('flags broad, identity and data-plane roles, not ordinary ones', () => {
    assert.equal(roleRisk('/x/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635', 'Owner'), 'broad');
    assert.equal(roleRisk('/x/roleDefinitions/B24988AC-6180-42A0-AB88-20F7382DD24C', undefined), 'broad');
    assert.equal(
      roleRisk('/x/roleDefinitions/f1a07417-d97a-45cb-824c-7a7467783830', 'Managed Identity Operator'),
      'identityTakeover',
    );
    assert.equal(
      roleRisk('/x/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6', 'Key Vault Secrets User'),
      'dataPlane',
    );
    assert.equal(
      roleRisk('/x/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe', 'Storage Blob Data Contributor'),
      'dataPlane',
    );
    assert.equal(roleRisk('/x/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d', 'AcrPull'), undefined);
    assert.equal(roleRisk('/x/roleDefinitions/21090545-7ca7-4776-b22c-e363652d74d2', 'Key Vault Reader'), undefined);
    assert.equal(roleRisk('/x/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7', 'Reader'), undefined);
  });
});

describe('errors', () => {
  it('classifies by status and error name, never by message', () => {
    assert.equal(toAzureError(new RestError('x', { statusCode: 403, code: 'AuthorizationFailed' })).kind, 'forbidden');
    assert.equal(toAzureError(new RestError('x', { statusCode: 429 })).kind, 'throttled');
    assert.equal(toAzureError(new RestError('x', { statusCode: 401 })).kind, 'expiredSession');
    assert.equal(toAzureError(new RestError('x', { code: 'ECONNREFUSED' })).kind, 'network');
    assert.equal(
      toAzureError(Object.assign(new Error('no'), { name: 'CredentialUnavailableError' })).kind,
      'expiredSession',
    );
    assert.equal(toAzureError(new RestError('x', { statusCode: 503 })).kind, 'server');
    assert.equal(toAzureError('weird').kind, 'unknown');
  });
  it('attempt turns throws into values', async () => {
    assert.deepEqual(await attempt(async () => 1), { ok: true, value: 1 });
    const r = await attempt(async () => {
      throw new RestError('gone', { statusCode: 404 });
    });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.kind, 'notFound');
  });
});

describe('limiter', () => {
  it('never runs more than its concurrency at once, and runs everything', async () => {
    const l = createLimiter(3);
    let running = 0;
    let max = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        l.run(async () => {
          running++;
          max = Math.max(max, running);
          await new Promise((r) => setTimeout(r, 2));
          running--;
          return i;
        }),
      ),
    );
    assert.equal(max, 3);
    assert.equal(l.peak, 3);
    assert.deepEqual(
      results,
      Array.from({ length: 20 }, (_, i) => i),
    );
  });
  it('frees the slot when a task fails', async () => {
    const l = createLimiter(1);
    await assert.rejects(
      l.run(async () => {
        throw new Error('x');
      }),
    );
    assert.equal(await l.run(async () => 2), 2);
    assert.equal(l.active, 0);
  });
});

describe('groupByResourceGroup', () => {
  const ids = (n: number, rgs: string[]) =>
    Array.from({ length: n }, (_, i) => ({ name: `id-${i}`, resourceGroup: rgs[i % rgs.length] }));
  it('keeps a short or single-group list flat', () => {
    assert.equal(groupByResourceGroup(ids(15, ['a', 'b'])).grouped, false);
    assert.equal(groupByResourceGroup(ids(40, ['only'])).grouped, false);
  });
  it('groups many identities by resource group, case-insensitively, sorted', () => {
    const g = groupByResourceGroup([...ids(16, ['rg-b', 'rg-a']), { name: 'x', resourceGroup: 'RG-A' }]);
    assert.ok(g.grouped);
    assert.deepEqual(
      g.groups.map(([rg, list]) => [rg, list.length]),
      [
        ['rg-a', 9],
        ['rg-b', 8],
      ],
    );
  });
});
