import type { SandboxContext } from '../context';

import { grantsDataAction, roleByGuid } from '../arm/roles';
import { scopeCovers } from '../ids';
import type { VaultRecord } from '../state';
import { isRecord } from '../../core/is';

export type SecretOperation = 'get' | 'list' | 'set';

const DATA_ACTIONS: Record<SecretOperation, string> = {
  get: 'Microsoft.KeyVault/vaults/secrets/getSecret/action',
  list: 'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
  set: 'Microsoft.KeyVault/vaults/secrets/setSecret/action',
};

export function dataActionOf(op: SecretOperation): string {
  return DATA_ACTIONS[op];
}

/**
 * Whether `oid` may do `op` on the vault. RBAC vaults: a role assignment on the vault, a secret in
 * it, or an ancestor scope, whose role grants the data action and is older than the RBAC
 * propagation knob (role assignments can take up to 10 minutes to take effect:
 * learn.microsoft.com/azure/role-based-access-control/troubleshooting). Access-policy vaults: the
 * policy for the object ID lists the permission.
 */
export function isAuthorized(
  ctx: SandboxContext,
  vault: VaultRecord,
  oid: string,
  op: SecretOperation,
  secretName?: string,
): boolean {
  const principal = oid.toLowerCase();
  if (vault.properties.enableRbacAuthorization === true) {
    const target = secretName ? `${vault.id}/secrets/${secretName}` : vault.id;
    const settled = ctx.now() - ctx.knobs.rbacPropagationSeconds * 1000;
    return Object.values(ctx.store.state.roleAssignments).some((a) => {
      if (a.principalId !== principal || a.createdAt > settled || !scopeCovers(a.scope, target)) return false;
      const role = roleByGuid(a.roleDefinitionGuid);
      return role !== undefined && grantsDataAction(role, DATA_ACTIONS[op]);
    });
  }
  const policies = Array.isArray(vault.properties.accessPolicies) ? vault.properties.accessPolicies : [];
  return policies.some((p) => {
    if (!isRecord(p) || typeof p.objectId !== 'string' || p.objectId.toLowerCase() !== principal) return false;
    const perms =
      isRecord(p.permissions) && Array.isArray(p.permissions.secrets)
        ? p.permissions.secrets.map((s) => String(s).toLowerCase())
        : [];
    return perms.includes('all') || perms.includes(op);
  });
}
