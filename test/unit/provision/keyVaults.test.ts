import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listKeyVaults, listRoleDefinitions } from '../../../src/provision/session';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { provisionSandbox, vaultId } from './provisionHarness';

describe('provisioning: Key Vaults as role targets', () => {
  it("lists the subscription's vaults through @azure/arm-keyvault, with the resource group and data-plane URI", async () => {
    const { sandbox, backend } = await provisionSandbox();
    try {
      const vaults = await listKeyVaults(backend, sandbox.subscriptionId);
      const kv = vaults.find((v) => v.name === SCENARIO.vault);
      assert.ok(kv, JSON.stringify(vaults));
      assert.equal(kv.id.toLowerCase(), vaultId(sandbox).toLowerCase());
      assert.equal(kv.resourceGroup, SCENARIO.resourceGroup);
      assert.match(kv.vaultUri ?? '', /^https:\/\//);
      // The vault's scope offers Key Vault Secrets User (the default for a vault).
      const roles = await listRoleDefinitions(backend, kv.id);
      assert.ok(roles.some((r) => r.roleName === 'Key Vault Secrets User'));
    } finally {
      await sandbox.close();
    }
  });
});
