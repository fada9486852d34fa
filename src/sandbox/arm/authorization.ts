import type { SandboxContext } from '../context';
import { json, type SandboxRequest, type SandboxResponse } from '../http';
import { scopeCovers } from '../ids';
import type { RoleAssignmentRecord } from '../state';
import { checkApiVersion } from './apiVersions';
import { armError, methodNotAllowed, parseBody } from './errors';
import { page } from './paging';
import { BUILT_IN_ROLES, roleByGuid, roleGuidOf, type RoleDefinition } from './roles';
import { isRecord } from '../../core/is';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CREATED = '2015-02-02T21:55:09.8806423Z';

/** Microsoft.Authorization at any scope: `{scope}/providers/Microsoft.Authorization/{roleAssignments|roleDefinitions}[/{name}]`. */
export function handleAuthorization(
  ctx: SandboxContext,
  req: SandboxRequest,
  scope: string,
  rest: string[],
): SandboxResponse {
  const type = (rest[0] ?? '').toLowerCase();
  if (type === 'roledefinitions' && rest.length <= 2) {
    return (
      checkApiVersion(req.query, 'roleDefinitions', 'roleDefinitions') ?? roleDefinitions(ctx, req, scope, rest[1])
    );
  }
  if (type === 'roleassignments' && rest.length <= 2) {
    return (
      checkApiVersion(req.query, 'roleAssignments', 'roleAssignments') ?? roleAssignments(ctx, req, scope, rest[1])
    );
  }
  return armError(
    400,
    'InvalidResourceType',
    `The resource type '${rest.join('/')}' could not be found in the namespace 'Microsoft.Authorization' for api version '${req.query.get('api-version') ?? ''}'.`,
  );
}

function subscriptionOf(scope: string): string | undefined {
  return /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1];
}

function definitionId(scope: string, guid: string): string {
  return `${scope}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
}

export function roleDefinitionJson(scope: string, r: RoleDefinition): Record<string, unknown> {
  return {
    id: definitionId(scope, r.guid),
    name: r.guid,
    properties: {
      roleName: r.roleName,
      type: 'BuiltInRole',
      description: r.description,
      assignableScopes: ['/'],
      permissions: [
        {
          actions: [...r.actions],
          notActions: [...r.notActions],
          dataActions: [...r.dataActions],
          notDataActions: [...r.notDataActions],
        },
      ],
      createdOn: CREATED,
      updatedOn: CREATED,
      createdBy: null,
      updatedBy: null,
    },
    type: 'Microsoft.Authorization/roleDefinitions',
  };
}

function roleDefinitions(
  ctx: SandboxContext,
  req: SandboxRequest,
  scope: string,
  id: string | undefined,
): SandboxResponse {
  if (req.method !== 'GET') return methodNotAllowed(req.method, req.path);
  if (id !== undefined) {
    const r = roleByGuid(id);
    if (!r) {
      return armError(
        404,
        'RoleDefinitionDoesNotExist',
        `The specified role definition with ID '${id}' does not exist.`,
      );
    }
    return json(200, roleDefinitionJson(scope, r));
  }
  const filter = req.query.get('$filter');
  let roles: readonly RoleDefinition[] = BUILT_IN_ROLES;
  if (filter) {
    const byName = /^\s*roleName\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(filter);
    const byType = /^\s*type\s+eq\s+'([^']*)'\s*$/i.exec(filter);
    if (byName) {
      const wanted = byName[1]!.replace(/''/g, "'").toLowerCase();
      roles = roles.filter((r) => r.roleName.toLowerCase() === wanted);
    } else if (byType) {
      roles = byType[1]!.toLowerCase() === 'builtinrole' ? roles : [];
    } else {
      return armError(
        400,
        'UnsupportedQuery',
        `The filter '${filter}' is not supported. Supported filters are roleName eq '{value}' and type eq 'BuiltInRole|CustomRole'.`,
      );
    }
  }
  return json(
    200,
    page(
      req,
      roles.map((r) => roleDefinitionJson(scope, r)),
      ctx.knobs.pageSize,
    ),
  );
}

export function roleAssignmentJson(a: RoleAssignmentRecord): Record<string, unknown> {
  const sub = subscriptionOf(a.scope);
  const created = new Date(a.createdAt).toISOString();
  return {
    properties: {
      roleDefinitionId: sub
        ? definitionId(`/subscriptions/${sub}`, a.roleDefinitionGuid)
        : definitionId('', a.roleDefinitionGuid),
      principalId: a.principalId,
      principalType: a.principalType,
      scope: a.scope,
      condition: null,
      conditionVersion: null,
      createdOn: created,
      updatedOn: created,
      createdBy: a.createdBy,
      updatedBy: a.createdBy,
      delegatedManagedIdentityResourceId: null,
      description: a.description ?? null,
    },
    id: `${a.scope}/providers/Microsoft.Authorization/roleAssignments/${a.name}`,
    type: 'Microsoft.Authorization/roleAssignments',
    name: a.name,
  };
}

type AssignmentFilter = { atScope: boolean; principalId?: string };

/** `$filter` forms the SDKs and `az` send: `atScope()`, `principalId eq '…'`, `assignedTo('…')`, joined with `and`. */
function parseFilter(filter: string | null): AssignmentFilter | undefined {
  const out: AssignmentFilter = { atScope: false };
  if (!filter) return out;
  for (const clause of filter.split(/\s+and\s+/i)) {
    const c = clause.trim();
    let m: RegExpExecArray | null;
    if (/^atScope\(\)$/i.test(c)) out.atScope = true;
    else if ((m = /^principalId\s+eq\s+'([^']*)'$/i.exec(c)) || (m = /^assignedTo\('([^']*)'\)$/i.exec(c))) {
      out.principalId = m[1]!.toLowerCase();
    } else return undefined;
  }
  return out;
}

function roleAssignments(
  ctx: SandboxContext,
  req: SandboxRequest,
  scope: string,
  name: string | undefined,
): SandboxResponse {
  const all = ctx.store.state.roleAssignments;
  if (name === undefined) {
    if (req.method !== 'GET') return methodNotAllowed(req.method, req.path);
    const filter = parseFilter(req.query.get('$filter'));
    if (!filter) {
      return armError(400, 'UnsupportedQuery', `The filter '${req.query.get('$filter') ?? ''}' is not supported.`);
    }
    const items = Object.values(all).filter((a) => {
      const above = scopeCovers(a.scope, scope);
      const below = scopeCovers(scope, a.scope);
      if (filter.atScope ? !above : !(above || below)) return false;
      return filter.principalId === undefined || a.principalId.toLowerCase() === filter.principalId;
    });
    return json(200, page(req, items.map(roleAssignmentJson), ctx.knobs.pageSize));
  }
  const key = name.toLowerCase();
  const existing = all[key];
  const atThisScope = existing && existing.scope.toLowerCase() === scope.toLowerCase() ? existing : undefined;
  switch (req.method) {
    case 'GET':
      return atThisScope
        ? json(200, roleAssignmentJson(atThisScope))
        : armError(404, 'RoleAssignmentNotFound', `The role assignment '${name}' is not found.`);
    case 'DELETE':
      if (!atThisScope) return { status: 204 };
      delete all[key];
      ctx.store.markDirty({ map: 'roleAssignments', key });
      return json(200, roleAssignmentJson(atThisScope));
    case 'PUT':
      return putAssignment(ctx, req, scope, name, existing);
    default:
      return methodNotAllowed(req.method, req.path);
  }
}

function putAssignment(
  ctx: SandboxContext,
  req: SandboxRequest,
  scope: string,
  name: string,
  existing: RoleAssignmentRecord | undefined,
): SandboxResponse {
  if (!GUID.test(name)) {
    return armError(
      400,
      'InvalidRoleAssignmentId',
      `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`,
    );
  }
  const parsed = parseBody(req.body);
  if (!parsed.ok) return parsed.response;
  const props = isRecord(parsed.value.properties) ? parsed.value.properties : {};
  const roleDefinitionId = typeof props.roleDefinitionId === 'string' ? props.roleDefinitionId : '';
  const principalId = typeof props.principalId === 'string' ? props.principalId.toLowerCase() : '';
  const principalType =
    typeof props.principalType === 'string' && props.principalType ? props.principalType : undefined;
  if (!roleDefinitionId) return armError(400, 'InvalidRoleDefinitionId', 'The role definition ID must be specified.');
  const roleGuid = roleGuidOf(roleDefinitionId);
  if (!roleByGuid(roleGuid)) {
    return armError(
      400,
      'RoleDefinitionDoesNotExist',
      `The specified role definition with ID '${roleGuid}' does not exist.`,
    );
  }
  if (!GUID.test(principalId)) {
    return armError(400, 'InvalidPrincipalId', 'A valid principal ID must be provided for role assignment.');
  }

  if (existing) {
    const same =
      existing.scope.toLowerCase() === scope.toLowerCase() &&
      existing.roleDefinitionGuid === roleGuid &&
      existing.principalId === principalId;
    if (!same) {
      return armError(
        400,
        'RoleAssignmentUpdateNotPermitted',
        'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.',
      );
    }
    return json(200, roleAssignmentJson(existing));
  }
  const duplicate = Object.values(ctx.store.state.roleAssignments).find(
    (a) =>
      a.scope.toLowerCase() === scope.toLowerCase() &&
      a.roleDefinitionGuid === roleGuid &&
      a.principalId === principalId,
  );
  if (duplicate) {
    return armError(
      409,
      'RoleAssignmentExists',
      `The role assignment already exists. The ID of the existing role assignment is ${duplicate.name.replace(/-/g, '')}.`,
    );
  }
  // PrincipalNotFound only when principalType is absent: with it, ARM skips the directory lookup
  // (learn.microsoft.com/azure/role-based-access-control/role-assignments-template, "New service principal").
  const identity = ctx.store.identityByPrincipalId(principalId);
  const replicating =
    identity?.createdAt !== undefined && ctx.now() - identity.createdAt < ctx.knobs.principalReplicationSeconds * 1000;
  if (!principalType && (replicating || !ctx.store.isKnownPrincipal(principalId))) {
    return armError(
      400,
      'PrincipalNotFound',
      `Principal ${principalId.replace(/-/g, '')} does not exist in the directory ${ctx.store.state.tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`,
    );
  }
  const record: RoleAssignmentRecord = {
    name: name.toLowerCase(),
    scope,
    roleDefinitionGuid: roleGuid,
    principalId,
    // Every principal the sandbox directory knows is a service principal (developer app, managed identities).
    principalType: principalType ?? 'ServicePrincipal',
    ...(typeof props.description === 'string' ? { description: props.description } : {}),
    createdAt: ctx.now(),
    createdBy: ctx.store.state.developer.objectId,
  };
  ctx.store.state.roleAssignments[record.name] = record;
  ctx.store.markDirty({ map: 'roleAssignments', key: record.name });
  return json(201, roleAssignmentJson(record));
}
