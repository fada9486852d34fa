import type { RoleAssignmentObservation } from '../../core/diagnosis/observation';
import type { Observed } from '../../core/diagnosis/types';
import { roleGuid } from '../armId';
import type { ArmClients } from '../clients';
import { attempt, type Errorable } from '../errors';
import { listRoleAssignmentsForPrincipal } from '../loaders';
import { fromErrorable } from './azureObserved';

export interface RoleDefinitionInfo {
  readonly name: string;
  readonly dataActions: readonly string[];
  readonly notDataActions: readonly string[];
}

/** Every role definition visible at the subscription, with its data actions: one listing per run. */
export function listRoleDefinitions(clients: ArmClients): Promise<Errorable<Map<string, RoleDefinitionInfo>>> {
  return attempt(async () => {
    const out = new Map<string, RoleDefinitionInfo>();
    for await (const d of clients.authorization.roleDefinitions.list(`/subscriptions/${clients.subscriptionId}`)) {
      if (!d.id) continue;
      out.set(roleGuid(d.id), {
        name: d.roleName ?? roleGuid(d.id),
        dataActions: (d.permissions ?? []).flatMap((p) => p.dataActions ?? []),
        notDataActions: (d.permissions ?? []).flatMap((p) => p.notDataActions ?? []),
      });
    }
    return out;
  });
}

/** The principal's assignments (the explorer's loader), each with its role's data actions. */
export async function observeRoleAssignments(
  clients: ArmClients,
  principalId: string,
  definitions: Errorable<Map<string, RoleDefinitionInfo>>,
): Promise<Observed<readonly RoleAssignmentObservation[]>> {
  const defs = definitions.ok ? definitions.value : new Map<string, RoleDefinitionInfo>();
  const names = new Map([...defs].map(([guid, d]) => [guid, d.name]));
  const r = await listRoleAssignmentsForPrincipal(clients, principalId, names);
  if (!r.ok) return fromErrorable(r);
  return {
    ok: true,
    value: r.value.map((a) => {
      const d = defs.get(roleGuid(a.roleDefinitionId));
      return {
        roleName: a.roleName,
        roleDefinitionId: a.roleDefinitionId,
        scope: a.scope,
        dataActions: d?.dataActions ?? [],
        notDataActions: d?.notDataActions ?? [],
        createdAt: a.createdAt,
      };
    }),
  };
}
