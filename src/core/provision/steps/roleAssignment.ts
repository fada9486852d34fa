/**
 * Step `role-assignment`: the role on the target for the identity's principal, with
 * `principalType: ServicePrincipal` (ARM then skips the directory lookup that fails for a
 * principal not yet replicated: learn.microsoft.com "Assign Azure roles using the REST API").
 * An assignment of the same scope, role and principal under any name counts as done.
 */
import { cmd } from '../shell';
import type { PlanStep } from '../plan';
import { blocked, deps, t, type StepContext } from './stepContext';

export const KEY_VAULT_SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';

export function isKeyVaultScope(scope: string): boolean {
  return /\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+$/i.test(scope);
}

export function roleAssignmentStep(ctx: StepContext): PlanStep {
  const { inputs, obs } = ctx;
  const scope = inputs.scope ?? '';
  const roleLabel = obs.role?.roleName ?? inputs.role ?? (isKeyVaultScope(scope) ? 'Key Vault Secrets User' : '');
  const principal = obs.identity?.principalId ?? '${IDENTITY_PRINCIPAL_ID}';
  const notes: string[] = [];
  if (!inputs.role && isKeyVaultScope(scope)) notes.push(t(ctx, 'note.roleDefault'));
  if (obs.roleAssigned && obs.role?.assignmentId) {
    notes.push(t(ctx, 'note.roleExists', obs.role.assignmentId.split('/').pop() ?? ''));
  }
  const base: Omit<PlanStep, 'state'> = {
    id: 'role-assignment',
    title: t(ctx, 'step.role', roleLabel, scope),
    dependsOn: deps('identity'),
    changes: obs.roleAssigned
      ? []
      : [
          { field: 'scope', after: scope },
          { field: 'roleDefinitionId', after: obs.role?.roleDefinitionId ?? roleLabel },
          { field: 'principalId', after: principal },
          { field: 'principalType', after: 'ServicePrincipal' },
        ],
    equivalent: cmd(
      'az',
      'role',
      'assignment',
      'create',
      '--assignee-object-id',
      principal,
      '--role',
      roleLabel,
      '--scope',
      scope,
      '--assignee-principal-type',
      'ServicePrincipal',
    ),
    resource:
      obs.role?.assignmentId ??
      (obs.role?.assignmentName
        ? `${scope}/providers/Microsoft.Authorization/roleAssignments/${obs.role.assignmentName}`
        : scope),
    notes: notes.length ? notes : undefined,
  };
  if (!scope) return blocked(base, t(ctx, 'blocked.noScope'));
  if (obs.scopeMissing) return blocked(base, t(ctx, 'blocked.scopeNotFound', scope), t(ctx, 'unblock.scopeNotFound'));
  if (obs.roleMissing || !obs.role) {
    return blocked(base, t(ctx, 'blocked.roleNotFound', roleLabel, scope), t(ctx, 'unblock.roleNotFound'));
  }
  return { ...base, state: obs.roleAssigned ? 'done' : 'todo' };
}
