/**
 * Roles (Microsoft.Authorization 2022-04-01): resolve a role by GUID or by its exact name at the
 * scope, find an assignment of the same scope + role + principal under any name, create one under
 * a deterministic name, and retry PrincipalNotFound (a principal not replicated yet:
 * learn.microsoft.com "Troubleshoot Azure RBAC", "PrincipalNotFound") with backoff.
 */
import { roleAssignmentName } from '../../core/provision/assignmentName';
import { backoffDelay, type BackoffSettings } from '../../core/provision/backoff';
import { roleGuidOf } from '../../core/provision/names';
import { isKeyVaultScope, KEY_VAULT_SECRETS_USER } from '../../core/provision/steps/roleAssignment';
import { armGetJson } from '../subscriptions';
import type { ProvisionClients } from './provisionClients';
import { codeOf, unlessNotFound } from './stepErrors';
import { sleep } from './sleep';

export interface ResolvedRole {
  readonly roleDefinitionId: string;
  readonly roleName: string;
  readonly guid: string;
}

export async function resolveRole(
  c: ProvisionClients,
  scope: string,
  role: string | undefined,
  abortSignal?: AbortSignal,
): Promise<ResolvedRole | undefined> {
  const wanted = role ?? (isKeyVaultScope(scope) ? KEY_VAULT_SECRETS_USER : undefined);
  if (!wanted) return undefined;
  const guid = roleGuidOf(wanted);
  return unlessNotFound(async () => {
    if (guid) {
      const d = await c.authorization.roleDefinitions.get(scope, guid, { abortSignal });
      return {
        roleDefinitionId: `/subscriptions/${c.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
        roleName: d.roleName ?? guid,
        guid,
      };
    }
    // Exact name only: OData string literal with '' for a quote.
    for await (const d of c.authorization.roleDefinitions.list(scope, {
      filter: `roleName eq '${wanted.replace(/'/g, "''")}'`,
      abortSignal,
    })) {
      if (d.roleName === wanted && d.name) {
        return {
          roleDefinitionId: `/subscriptions/${c.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${d.name}`,
          roleName: d.roleName,
          guid: d.name.toLowerCase(),
        };
      }
    }
    return undefined;
  }, undefined);
}

export async function listRoleDefinitions(
  c: ProvisionClients,
  scope: string,
  abortSignal?: AbortSignal,
): Promise<Array<{ id: string; name: string; roleName: string; description?: string }>> {
  const out: Array<{ id: string; name: string; roleName: string; description?: string }> = [];
  for await (const d of c.authorization.roleDefinitions.list(scope, { abortSignal })) {
    if (d.id && d.name && d.roleName) {
      out.push({ id: d.id, name: d.name, roleName: d.roleName, description: d.description });
    }
  }
  return out.sort((a, b) => a.roleName.localeCompare(b.roleName));
}

const API_FOR_SCOPE: Array<[RegExp, string]> = [
  [/\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+$/i, '2023-07-01'],
  [/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+$/i, '2021-04-01'],
  [/\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+$/i, '2023-05-01'],
];

/** Whether the target exists, where its type is known here; undefined when it cannot be told (the PUT will say). */
export async function scopeExists(
  c: ProvisionClients,
  scope: string,
  abortSignal?: AbortSignal,
): Promise<{ exists: boolean; vaultUri?: string } | undefined> {
  const api = API_FOR_SCOPE.find(([re]) => re.test(scope))?.[1];
  if (!api) return undefined;
  return unlessNotFound(
    async () => {
      c.counters.requests++;
      const body = (await armGetJson(
        c.connection,
        `${c.connection.endpoint}${scope}?api-version=${api}`,
        abortSignal,
      )) as { properties?: { vaultUri?: string } };
      return { exists: true, vaultUri: body?.properties?.vaultUri };
    },
    { exists: false },
  );
}

export async function findAssignment(
  c: ProvisionClients,
  scope: string,
  roleGuid: string,
  principalId: string,
  abortSignal?: AbortSignal,
): Promise<string | undefined> {
  for await (const a of c.authorization.roleAssignments.listForScope(scope, {
    filter: `principalId eq '${principalId}'`,
    abortSignal,
  })) {
    const sameScope = (a.scope ?? '').toLowerCase() === scope.toLowerCase();
    const sameRole = (a.roleDefinitionId ?? '').split('/').pop()?.toLowerCase() === roleGuid.toLowerCase();
    if (sameScope && sameRole && (a.principalId ?? '').toLowerCase() === principalId.toLowerCase()) return a.id;
  }
  return undefined;
}

export interface AssignOptions {
  readonly abortSignal?: AbortSignal;
  readonly backoff?: BackoffSettings;
  /** Give up retrying PrincipalNotFound after this long (default 5 minutes). */
  readonly limitMs?: number;
  readonly onRetry?: (code: string, delayMs: number) => void;
  /** Production always sends ServicePrincipal; left open so the retry can be proven where ARM checks the directory. */
  readonly principalType?: 'ServicePrincipal' | undefined;
}

/** Creates the assignment (deterministic name); an existing one (409 RoleAssignmentExists) counts as done. Returns its ID. */
export async function assignRole(
  c: ProvisionClients,
  scope: string,
  role: ResolvedRole,
  principalId: string,
  o: AssignOptions = {},
): Promise<string> {
  const name = roleAssignmentName(scope, role.guid, principalId);
  const started = Date.now();
  const principalType = 'principalType' in o ? o.principalType : 'ServicePrincipal';
  for (let attempt = 0; ; attempt++) {
    try {
      const a = await c.authorization.roleAssignments.create(
        scope,
        name,
        {
          roleDefinitionId: role.roleDefinitionId,
          principalId,
          ...(principalType ? { principalType } : {}),
        },
        { abortSignal: o.abortSignal },
      );
      return a.id ?? `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
    } catch (e) {
      const code = codeOf(e);
      if (code === 'RoleAssignmentExists') {
        return (
          (await findAssignment(c, scope, role.guid, principalId, o.abortSignal)) ??
          `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`
        );
      }
      if (code !== 'PrincipalNotFound' || Date.now() - started > (o.limitMs ?? 300_000)) throw e;
      const delay = backoffDelay(attempt, o.backoff);
      o.onRetry?.(code, delay);
      await sleep(delay, o.abortSignal);
    }
  }
}

export async function deleteAssignment(c: ProvisionClients, id: string, abortSignal?: AbortSignal): Promise<void> {
  await c.authorization.roleAssignments.deleteById(id, { abortSignal });
}
