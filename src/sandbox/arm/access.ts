import type { SandboxContext } from '../context';
import { checkBearer } from '../entra/accessTokens';
import { ARM_AUDIENCES } from '../entra/resources';
import type { SandboxRequest, SandboxResponse } from '../http';
import { scopeCovers } from '../ids';
import { armError } from './errors';
import { grantsAction, roleByGuid } from './roles';

/**
 * ARM's management-plane authorization (Azure RBAC): a caller may perform an action over a scope
 * only when it holds a role assignment at that scope or above whose role's `actions` match the
 * action and whose `notActions` do not. Assignments younger than the RBAC propagation knob grant
 * nothing yet, as on Azure (learn.microsoft.com/azure/role-based-access-control/troubleshooting: up to 10 minutes).
 */
export interface ArmAccess {
  /** `{Namespace}/{type}[/{childType}]/{read|write|delete|action}`. */
  action: string;
  /** The scope named in the denial: the addressed resource, or the list's parent scope. */
  scope: string;
}

export function isPermitted(ctx: SandboxContext, principalId: string, action: string, scope: string): boolean {
  const principal = principalId.toLowerCase();
  const settled = ctx.now() - ctx.knobs.rbacPropagationSeconds * 1000;
  return Object.values(ctx.store.state.roleAssignments).some((a) => {
    if (a.principalId !== principal || a.createdAt > settled || !scopeCovers(a.scope, scope)) return false;
    const role = roleByGuid(a.roleDefinitionGuid);
    return role !== undefined && grantsAction(role, action);
  });
}

/** Whether the principal holds any settled assignment at, above or below the scope (what makes a subscription visible in the list). */
export function hasAnyAccess(ctx: SandboxContext, principalId: string, scope: string): boolean {
  const principal = principalId.toLowerCase();
  const settled = ctx.now() - ctx.knobs.rbacPropagationSeconds * 1000;
  return Object.values(ctx.store.state.roleAssignments).some(
    (a) =>
      a.principalId === principal &&
      a.createdAt <= settled &&
      (scopeCovers(a.scope, scope) || scopeCovers(scope, a.scope)),
  );
}

/**
 * The caller's object ID, for a handler that filters a list per caller. The router has already
 * authenticated the request (and the token's verification is cached), so this only reads `oid`.
 */
export function callerOf(ctx: SandboxContext, req: SandboxRequest): string {
  const check = checkBearer(ctx, req.headers.authorization, ARM_AUDIENCES);
  return check.ok && typeof check.claims.oid === 'string' ? check.claims.oid.toLowerCase() : '';
}

/** ARM's 403 body, verbatim in form (the `client` is the object ID for service principals). */
export function authorizationFailed(principalId: string, access: ArmAccess): SandboxResponse {
  return armError(
    403,
    'AuthorizationFailed',
    `The client '${principalId}' with object id '${principalId}' does not have authorization to perform action '${access.action}' over scope '${access.scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

function verbOf(method: string): string {
  switch (method) {
    case 'PUT':
    case 'PATCH':
      return 'write';
    case 'DELETE':
      return 'delete';
    case 'POST':
      return 'action';
    default:
      return 'read';
  }
}

/**
 * The action and scope of an ARM request below `/subscriptions/{sub}`, from its path segments (as
 * sent, decoded). `undefined` for paths whose answer is filtered per item instead of denied
 * (`…/resources` and the resource-group list, handled by their handlers).
 */
export function requiredAccess(method: string, segs: readonly string[]): ArmAccess | undefined {
  const lower = segs.map((s) => s.toLowerCase());
  const path = (n: number): string => `/${segs.slice(0, n).join('/')}`;
  const verb = verbOf(method);
  const p = lower.lastIndexOf('providers');
  if (p === -1) {
    if (segs.length <= 2) return { action: 'Microsoft.Resources/subscriptions/read', scope: path(2) };
    if (lower[2] === 'resources' || lower[4] === 'resources') return undefined;
    if (lower[2] === 'operationresults') {
      return { action: 'Microsoft.Resources/subscriptions/operationresults/read', scope: path(2) };
    }
    if (lower[2] === 'resourcegroups' && segs.length === 3) {
      // ARM lists the groups the caller can see rather than refusing (handleResourceGroupList).
      return method === 'GET'
        ? undefined
        : { action: 'Microsoft.Resources/subscriptions/resourceGroups/read', scope: path(2) };
    }
    return {
      action: `Microsoft.Resources/subscriptions/resourceGroups/${verb}`,
      scope: path(Math.min(segs.length, 4)),
    };
  }
  // {scope}/providers/{Namespace}/{type}/{name}[/{childType}/{name}…][/{action}]
  const rest = segs.slice(p + 2);
  const types = rest.filter((_, i) => i % 2 === 0);
  const namespace = segs[p + 1] ?? '';
  if (rest.length % 2 === 0) return { action: `${namespace}/${types.join('/')}/${verb}`, scope: path(segs.length) };
  if (method === 'POST' && rest.length >= 3) {
    // `…/managedClusters/{name}/listClusterUserCredential`: the last segment is the action's name.
    return { action: `${namespace}/${types.join('/')}/action`, scope: path(segs.length - 1) };
  }
  // A collection: read over its parent (the scope before `providers`, or the parent resource).
  return {
    action: `${namespace}/${types.join('/')}/${verb}`,
    scope: rest.length === 1 ? path(p) : path(segs.length - 1),
  };
}
