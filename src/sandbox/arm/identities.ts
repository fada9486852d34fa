import type { SandboxContext } from '../context';
import { json, type SandboxRequest, type SandboxResponse } from '../http';
import { armKey, identityId, newGuid, normalizeLocation } from '../ids';
import type { IdentityRecord } from '../state';
import { armError, methodNotAllowed, parseBody, resourceNotFound, stringTags } from './errors';
import { inScope, page } from './paging';

export const IDENTITY_TYPE = 'Microsoft.ManagedIdentity/userAssignedIdentities';

/**
 * 3–128 of letters, digits, `-`, `_`, starting with a letter or digit
 * (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules, Microsoft.ManagedIdentity).
 */
const IDENTITY_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$/;

/** Same members as the spec's IdentityGet.json example. */
export function identityJson(i: IdentityRecord): Record<string, unknown> {
  return {
    id: i.id,
    location: i.location,
    name: i.name,
    properties: {
      clientId: i.clientId,
      principalId: i.principalId,
      tenantId: i.tenantId,
      isolationScope: i.isolationScope,
    },
    tags: i.tags ?? {},
    type: IDENTITY_TYPE,
  };
}

export function findIdentity(
  ctx: SandboxContext,
  subscriptionId: string,
  resourceGroup: string,
  name: string,
): IdentityRecord | undefined {
  return ctx.store.state.identities[armKey(identityId(subscriptionId, resourceGroup, name))];
}

export function handleIdentityList(
  ctx: SandboxContext,
  req: SandboxRequest,
  subscriptionId: string,
  resourceGroup?: string,
): SandboxResponse {
  if (req.method !== 'GET') return methodNotAllowed(req.method, req.path);
  const items = inScope(ctx.store.state.identities, subscriptionId, resourceGroup).map((i) => identityJson(i));
  return json(200, page(req, items, ctx.knobs.pageSize));
}

export function handleIdentity(
  ctx: SandboxContext,
  req: SandboxRequest,
  subscriptionId: string,
  resourceGroup: string,
  name: string,
): SandboxResponse {
  const key = armKey(identityId(subscriptionId, resourceGroup, name));
  const existing = ctx.store.state.identities[key];
  switch (req.method) {
    case 'GET':
      return existing ? json(200, identityJson(existing)) : resourceNotFound(IDENTITY_TYPE, name, resourceGroup);
    case 'PUT':
    case 'PATCH': {
      const parsed = parseBody(req.body);
      if (!parsed.ok) return parsed.response;
      const body = parsed.value;
      if (req.method === 'PATCH') {
        if (!existing) return resourceNotFound(IDENTITY_TYPE, name, resourceGroup);
        if (body.tags !== undefined) existing.tags = stringTags(body.tags) ?? {};
        const props = body.properties;
        if (
          props &&
          typeof props === 'object' &&
          typeof (props as Record<string, unknown>).isolationScope === 'string'
        ) {
          existing.isolationScope = readIsolationScope(body);
        }
        ctx.store.markDirty({ map: 'identities', key });
        return json(200, identityJson(existing));
      }
      if (!IDENTITY_NAME.test(name)) {
        return armError(
          400,
          'InvalidResourceName',
          `Resource name ${name} is invalid. The name can be 3-128 characters long and can contain only letters, numbers, underscores and hyphens. The name must start with a letter or number.`,
        );
      }
      if (typeof body.location !== 'string' || !body.location.trim()) {
        return armError(400, 'LocationRequired', 'The location property is required for this definition.');
      }
      const location = normalizeLocation(body.location);
      if (existing) {
        if (existing.location.toLowerCase() !== location.toLowerCase()) {
          return armError(
            400,
            'InvalidResourceLocation',
            `The resource '${existing.name}' already exists in location '${existing.location}' in resource group '${existing.resourceGroup}'. A resource with the same name cannot be created in location '${location}'. Please select a new resource name.`,
          );
        }
        existing.tags = stringTags(body.tags) ?? {};
        ctx.store.markDirty({ map: 'identities', key });
        return json(200, identityJson(existing));
      }
      const record: IdentityRecord = {
        id: identityId(subscriptionId, resourceGroup, name),
        name,
        subscriptionId,
        resourceGroup,
        location,
        tags: stringTags(body.tags) ?? {},
        clientId: newGuid(),
        principalId: newGuid(),
        tenantId: ctx.store.state.tenantId,
        isolationScope: readIsolationScope(body),
        createdAt: ctx.now(),
        federatedCredentials: {},
      };
      ctx.store.state.identities[key] = record;
      ctx.store.markDirty({ map: 'identities', key });
      return json(201, identityJson(record));
    }
    case 'DELETE':
      if (!existing) return { status: 204 };
      delete ctx.store.state.identities[key];
      ctx.store.markDirty({ map: 'identities', key });
      return { status: 200 };
    default:
      return methodNotAllowed(req.method, req.path);
  }
}

function readIsolationScope(body: Record<string, unknown>): 'None' | 'Regional' {
  const props = body.properties;
  if (props && typeof props === 'object' && (props as Record<string, unknown>).isolationScope === 'Regional') {
    return 'Regional';
  }
  return 'None';
}
