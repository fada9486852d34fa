import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { all, restError, startHarness, type Harness } from './sandboxClients';

const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';

describe('sandbox ARM: role definitions and assignments with @azure/arm-authorization', () => {
  let h: Harness;
  let client: AuthorizationManagementClient;
  let sub: string;
  let rgScope: string;
  let vaultScope: string;
  const def = (guid: string) => `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

  before(async () => {
    h = await startHarness();
    client = new AuthorizationManagementClient(h.credential, h.sandbox.subscriptionId, h.armOptions);
    sub = h.sandbox.subscriptionId;
    rgScope = `/subscriptions/${sub}/resourceGroups/${SCENARIO.resourceGroup}`;
    vaultScope = `${rgScope}/providers/Microsoft.KeyVault/vaults/${SCENARIO.vault}`;
  });
  after(async () => {
    await h.sandbox.close();
  });

  it('finds built-in roles by name with their real GUIDs', async () => {
    for (const [name, guid] of [
      ['Key Vault Secrets User', SECRETS_USER],
      ['Key Vault Secrets Officer', 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'],
      ['Key Vault Administrator', '00482a5a-887f-4fb3-b363-3b7fe8e74483'],
      ['Managed Identity Operator', 'f1a07417-d97a-45cb-824c-7a7467783830'],
      ['Reader', READER],
      ['Contributor', 'b24988ac-6180-42a0-ab88-20f7382dd24c'],
      ['Owner', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'],
    ] as const) {
      const found = await all(
        client.roleDefinitions.list(`/subscriptions/${sub}`, { filter: `roleName eq '${name}'` }),
      );
      assert.equal(found.length, 1, name);
      assert.equal(found[0]!.name, guid);
      assert.equal(found[0]!.roleType, 'BuiltInRole');
    }
    const byId = await client.roleDefinitions.get(vaultScope, SECRETS_USER);
    assert.deepEqual(byId.permissions?.[0]?.dataActions, [
      'Microsoft.KeyVault/vaults/secrets/getSecret/action',
      'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
    ]);
    const e = await restError(client.roleDefinitions.get(vaultScope, randomUUID()));
    assert.equal(e.statusCode, 404);
  });

  it('creates at any scope, gets, lists with filters, deletes', async () => {
    const principalId = h.sandbox.developer.objectId;
    const name = randomUUID();
    const created = await client.roleAssignments.create(vaultScope, name, {
      roleDefinitionId: def(READER),
      principalId,
      principalType: 'ServicePrincipal',
    });
    assert.equal(created.scope, vaultScope);
    assert.equal(created.name, name);
    const got = await client.roleAssignments.get(vaultScope, name);
    assert.equal(got.principalId, principalId);
    const atVault = await all(client.roleAssignments.listForScope(vaultScope, { filter: 'atScope()' }));
    assert.ok(atVault.some((a) => a.name === name));
    assert.ok(
      atVault.some((a) => a.scope === `/subscriptions/${sub}`),
      'atScope() includes assignments above the scope',
    );
    const atRg = await all(client.roleAssignments.listForScope(rgScope, { filter: 'atScope()' }));
    assert.ok(!atRg.some((a) => a.name === name), 'atScope() excludes assignments below the scope');
    const byPrincipal = await all(
      client.roleAssignments.listForScope(`/subscriptions/${sub}`, { filter: `principalId eq '${principalId}'` }),
    );
    assert.ok(
      byPrincipal.some((a) => a.name === name),
      'principalId eq includes assignments below the scope',
    );
    assert.ok(byPrincipal.every((a) => a.principalId === principalId));
    const deleted = await client.roleAssignments.delete(vaultScope, name);
    assert.equal(deleted.name, name);
    assert.equal((await restError(client.roleAssignments.get(vaultScope, name))).statusCode, 404);
  });

  it('answers a duplicate with 409 RoleAssignmentExists and a changed re-PUT with RoleAssignmentUpdateNotPermitted', async () => {
    const principalId = h.sandbox.developer.objectId;
    const name = randomUUID();
    await client.roleAssignments.create(rgScope, name, {
      roleDefinitionId: def(READER),
      principalId,
      principalType: 'ServicePrincipal',
    });
    const again = await client.roleAssignments.create(rgScope, name, {
      roleDefinitionId: def(READER),
      principalId,
      principalType: 'ServicePrincipal',
    });
    assert.equal(again.name, name, 'same name, same values: idempotent');
    const dup = await restError(
      client.roleAssignments.create(rgScope, randomUUID(), {
        roleDefinitionId: def(READER),
        principalId,
        principalType: 'ServicePrincipal',
      }),
    );
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.code, 'RoleAssignmentExists');
    const changed = await restError(
      client.roleAssignments.create(rgScope, name, {
        roleDefinitionId: def(SECRETS_USER),
        principalId,
        principalType: 'ServicePrincipal',
      }),
    );
    assert.equal(changed.statusCode, 400);
    assert.equal(changed.code, 'RoleAssignmentUpdateNotPermitted');
  });

  it('answers an unknown principal with PrincipalNotFound only when principalType is absent', async () => {
    const unknown = randomUUID();
    const e = await restError(
      client.roleAssignments.create(rgScope, randomUUID(), { roleDefinitionId: def(READER), principalId: unknown }),
    );
    assert.equal(e.statusCode, 400);
    assert.equal(e.code, 'PrincipalNotFound');
    const ok = await client.roleAssignments.create(rgScope, randomUUID(), {
      roleDefinitionId: def(READER),
      principalId: unknown,
      principalType: 'ServicePrincipal',
    });
    assert.equal(ok.principalId, unknown);
  });

  it('rejects an unknown role definition', async () => {
    const e = await restError(
      client.roleAssignments.create(rgScope, randomUUID(), {
        roleDefinitionId: def(randomUUID()),
        principalId: h.sandbox.developer.objectId,
        principalType: 'User',
      }),
    );
    assert.equal(e.statusCode, 400);
    assert.equal(e.code, 'RoleDefinitionDoesNotExist');
  });

  it("a brand-new identity is not yet replicated: PrincipalNotFound without principalType, for the replication knob's duration", async () => {
    const { ManagedServiceIdentityClient } = await import('@azure/arm-msi');
    const msi = new ManagedServiceIdentityClient(h.credential, sub, h.armOptions);
    h.sandbox.setKnobs({ principalReplicationSeconds: 0.3 });
    try {
      const id = await msi.userAssignedIdentities.createOrUpdate(SCENARIO.resourceGroup, 'id-fresh', {
        location: 'eastus',
      });
      const e = await restError(
        client.roleAssignments.create(rgScope, randomUUID(), {
          roleDefinitionId: def(READER),
          principalId: id.principalId!,
        }),
      );
      assert.equal(e.code, 'PrincipalNotFound');
      const typed = await client.roleAssignments.create(rgScope, randomUUID(), {
        roleDefinitionId: def(READER),
        principalId: id.principalId!,
        principalType: 'ServicePrincipal',
      });
      assert.equal(typed.principalId, id.principalId, 'with principalType the lookup is skipped');
      await new Promise((r) => setTimeout(r, 350));
      const later = await client.roleAssignments.create(rgScope, randomUUID(), {
        roleDefinitionId: def(SECRETS_USER),
        principalId: id.principalId!,
      });
      assert.equal(later.principalType, 'ServicePrincipal');
    } finally {
      h.sandbox.setKnobs({ principalReplicationSeconds: 0 });
    }
  });
});
