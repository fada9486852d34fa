import type { SandboxContext } from '../context';
import { json, type SandboxRequest, type SandboxResponse } from '../http';
import { armKey, newGuid, normalizeLocation, resourceGroupId } from '../ids';
import type { OperationRecord, ResourceGroupRecord, SubscriptionRecord } from '../state';
import { authorizationFailed, callerOf, hasAnyAccess } from './access';
import { deleteResourceGroup } from './deletion';
import { armError, methodNotAllowed, parseBody, resourceGroupNotFound, stringTags } from './errors';
import { page } from './paging';

/** Microsoft.Resources: tenants, subscriptions, resource groups, and the generic resource list. */

export function subscriptionJson(ctx: SandboxContext, s: SubscriptionRecord): Record<string, unknown> {
  return {
    id: `/subscriptions/${s.subscriptionId}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: s.subscriptionId,
    tenantId: ctx.store.state.tenantId,
    displayName: s.displayName,
    state: s.state,
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: 'PayAsYouGo_2014-09-01',
      spendingLimit: 'Off',
    },
  };
}

export function resourceGroupJson(rg: ResourceGroupRecord): Record<string, unknown> {
  return {
    id: resourceGroupId(rg.subscriptionId, rg.name),
    name: rg.name,
    type: 'Microsoft.Resources/resourceGroups',
    location: rg.location,
    ...(rg.tags ? { tags: rg.tags } : {}),
    properties: { provisioningState: 'Succeeded' },
  };
}

export function findResourceGroup(
  ctx: SandboxContext,
  subscriptionId: string,
  name: string,
): ResourceGroupRecord | undefined {
  return ctx.store.state.resourceGroups[armKey(resourceGroupId(subscriptionId, name))];
}

export function handleTenants(ctx: SandboxContext, req: SandboxRequest): SandboxResponse {
  if (req.method !== 'GET') return methodNotAllowed(req.method, req.path);
  const { tenantId, tenantDisplayName } = ctx.store.state;
  return json(200, {
    value: [
      {
        id: `/tenants/${tenantId}`,
        tenantId,
        tenantCategory: 'Home',
        displayName: tenantDisplayName,
        defaultDomain: 'kwisandbox.onmicrosoft.com',
        tenantType: 'AAD',
      },
    ],
  });
}

export function handleSubscriptions(
  ctx: SandboxContext,
  req: SandboxRequest,
  subscription?: SubscriptionRecord,
  visible: (s: SubscriptionRecord) => boolean = () => true,
): SandboxResponse {
  if (req.method !== 'GET') return methodNotAllowed(req.method, req.path);
  if (subscription) return json(200, subscriptionJson(ctx, subscription));
  return json(
    200,
    page(
      req,
      Object.values(ctx.store.state.subscriptions)
        .filter(visible)
        .map((s) => subscriptionJson(ctx, s)),
      ctx.knobs.pageSize,
    ),
  );
}

/**
 * `GET /subscriptions/{sub}/resourcegroups`. As on ARM, a caller whose roles sit only on some
 * groups (or on resources inside them) gets those groups, not a 403; a role at the subscription
 * or above shows every group; with no role anywhere in the subscription the list is refused.
 */
export function handleResourceGroupList(
  ctx: SandboxContext,
  req: SandboxRequest,
  subscriptionId: string,
): SandboxResponse {
  if (req.method !== 'GET') return methodNotAllowed(req.method, req.path);
  const principal = callerOf(ctx, req);
  const scope = `/subscriptions/${subscriptionId}`;
  if (!hasAnyAccess(ctx, principal, scope)) {
    return authorizationFailed(principal, { action: 'Microsoft.Resources/subscriptions/resourceGroups/read', scope });
  }
  const groups = Object.values(ctx.store.state.resourceGroups).filter(
    (g) =>
      g.subscriptionId === subscriptionId && hasAnyAccess(ctx, principal, resourceGroupId(g.subscriptionId, g.name)),
  );
  return json(200, page(req, groups.map(resourceGroupJson), ctx.knobs.pageSize));
}

/** Resource-group names: 1–90 of letters, digits, `_ - . ( )`, not ending in a period. */
const RG_NAME = /^[-\w.()]{1,90}$/u;

export function handleResourceGroup(
  ctx: SandboxContext,
  req: SandboxRequest,
  subscriptionId: string,
  name: string,
): SandboxResponse {
  const key = armKey(resourceGroupId(subscriptionId, name));
  const existing = ctx.store.state.resourceGroups[key];
  switch (req.method) {
    case 'GET':
    case 'HEAD':
      if (!existing) return req.method === 'HEAD' ? { status: 404 } : resourceGroupNotFound(name);
      return req.method === 'HEAD' ? { status: 204 } : json(200, resourceGroupJson(existing));
    case 'PUT': {
      const parsed = parseBody(req.body);
      if (!parsed.ok) return parsed.response;
      if (!RG_NAME.test(name) || name.endsWith('.')) {
        return armError(
          400,
          'InvalidResourceGroupNameCharacters',
          `The resource group name '${name}' is invalid. It can contain only alphanumeric characters, periods, underscores, hyphens and parentheses, and it cannot end in a period.`,
        );
      }
      if (typeof parsed.value.location !== 'string' || !parsed.value.location.trim()) {
        return armError(400, 'LocationRequired', 'The location property is required for this definition.');
      }
      const location = normalizeLocation(parsed.value.location);
      if (existing && existing.location.toLowerCase() !== location.toLowerCase()) {
        return armError(
          409,
          'InvalidResourceGroupLocation',
          `Invalid resource group location '${location}'. The Resource group already exists in location '${existing.location}'.`,
        );
      }
      const record: ResourceGroupRecord = {
        subscriptionId,
        name: existing?.name ?? name,
        location: existing?.location ?? location,
        tags: stringTags(parsed.value.tags) ?? existing?.tags,
      };
      ctx.store.state.resourceGroups[key] = record;
      ctx.store.markDirty({ map: 'resourceGroups', key });
      return json(existing ? 200 : 201, resourceGroupJson(record));
    }
    case 'DELETE': {
      if (!existing) return resourceGroupNotFound(name);
      deleteResourceGroup(ctx, subscriptionId, existing.name);
      const now = ctx.now();
      const op: OperationRecord = {
        id: newGuid(),
        kind: 'resourceGroupDelete',
        resourceId: resourceGroupId(subscriptionId, existing.name),
        location: existing.location,
        subscriptionId,
        startTime: now,
        endTime: now + ctx.knobs.lroSeconds * 1000,
        finalState: 'Succeeded',
      };
      ctx.store.state.operations[op.id] = op;
      // ARM: 202 Accepted, poll `Location` until it answers 200 (azure-resource-manager-rpc, async-api-reference.md).
      return { status: 202, headers: operationResultHeaders(ctx, req, op) };
    }
    default:
      return methodNotAllowed(req.method, req.path);
  }
}

function operationResultHeaders(ctx: SandboxContext, req: SandboxRequest, op: OperationRecord): Record<string, string> {
  const url = `${req.origin}/subscriptions/${op.subscriptionId}/operationresults/${op.id}?api-version=${encodeURIComponent(req.query.get('api-version') ?? '')}`;
  const remaining = Math.ceil((op.endTime - ctx.now()) / 1000);
  return { location: url, ...(remaining > 0 ? { 'retry-after': String(remaining) } : {}) };
}

/** `GET /subscriptions/{sub}/operationresults/{id}`: 202 while the delete runs, then 200 with no body. */
export function handleOperationResult(ctx: SandboxContext, req: SandboxRequest, id: string): SandboxResponse {
  if (req.method !== 'GET') return methodNotAllowed(req.method, req.path);
  const op = ctx.store.state.operations[id.toLowerCase()];
  if (!op || op.kind !== 'resourceGroupDelete') {
    return armError(404, 'NotFound', `The operation '${id}' was not found.`);
  }
  if (ctx.now() < op.endTime) return { status: 202, headers: operationResultHeaders(ctx, req, op) };
  return { status: 200 };
}

/** `GET /subscriptions/{sub}/resources?$filter=resourceType eq '…'` (arm-keyvault's `vaults.list` uses it). */
export function handleGenericResources(
  ctx: SandboxContext,
  req: SandboxRequest,
  canRead: (id: string, type: string) => boolean,
  subscriptionId: string,
  resourceGroup?: string,
): SandboxResponse {
  if (req.method !== 'GET') return methodNotAllowed(req.method, req.path);
  const filter = req.query.get('$filter') ?? '';
  const typeMatch = /resourceType\s+eq\s+'([^']+)'/i.exec(filter);
  const wanted = typeMatch?.[1]?.toLowerCase();
  const state = ctx.store.state;
  const all: {
    id: string;
    name: string;
    type: string;
    location: string;
    tags?: Record<string, string>;
    subscriptionId: string;
    resourceGroup: string;
  }[] = [
    ...Object.values(state.identities).map((r) => ({ ...r, type: 'Microsoft.ManagedIdentity/userAssignedIdentities' })),
    ...Object.values(state.clusters).map((r) => ({ ...r, type: 'Microsoft.ContainerService/managedClusters' })),
    ...Object.values(state.vaults).map((r) => ({ ...r, type: 'Microsoft.KeyVault/vaults' })),
  ];
  const items = all
    .filter((r) => r.subscriptionId === subscriptionId)
    .filter((r) => !resourceGroup || r.resourceGroup.toLowerCase() === resourceGroup.toLowerCase())
    .filter((r) => !wanted || r.type.toLowerCase() === wanted)
    // ARM answers this list with what the caller may read, not with a 403.
    .filter((r) => canRead(r.id, r.type))
    .map((r) => ({ id: r.id, name: r.name, type: r.type, location: r.location, tags: r.tags ?? {} }));
  return json(200, page(req, items, ctx.knobs.pageSize));
}
