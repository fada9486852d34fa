import { randomUUID } from 'node:crypto';
import type { SandboxContext } from '../context';
import { LOGIN_HOST, publicOrigin } from '../publicNames';
import type { SandboxRequest, SandboxResponse } from '../http';
import { checkBearer } from '../entra/accessTokens';
import { ARM_AUDIENCES } from '../entra/resources';
import { authorizationFailed, hasAnyAccess, isPermitted, requiredAccess } from './access';
import { checkApiVersion } from './apiVersions';
import { handleAuthorization } from './authorization';
import { handleCluster, handleClusterList, handleClusterOperation } from './clusters';
import { armError, invalidResourceType, subscriptionNotFound } from './errors';
import { handleFic, handleFicList } from './federatedCredentials';
import { findIdentity, handleIdentity, handleIdentityList } from './identities';
import { handleVault, handleVaultList } from './keyVaults';
import { handleMetadata, METADATA_PATH } from './metadata';
import { handleProviders } from './providers';
import {
  findResourceGroup,
  handleGenericResources,
  handleOperationResult,
  handleResourceGroup,
  handleResourceGroupList,
  handleSubscriptions,
  handleTenants,
} from './resourceGroups';
import { resourceGroupNotFound } from './errors';

/** Path prefixes the ARM router owns. */
export function isArmPath(path: string): boolean {
  return /^\/(subscriptions|providers|tenants)(\/|$)/i.test(path) || path.toLowerCase() === METADATA_PATH;
}

/** Every ARM answer carries the request IDs ARM adds (the SDKs log them). */
export async function handleArm(ctx: SandboxContext, req: SandboxRequest): Promise<SandboxResponse> {
  const res = await route(ctx, req);
  const requestId = randomUUID();
  const clientRequest = req.headers['x-ms-client-request-id'];
  return {
    ...res,
    headers: {
      ...res.headers,
      'x-ms-request-id': requestId,
      'x-ms-correlation-request-id': typeof clientRequest === 'string' ? clientRequest : requestId,
      ...(typeof clientRequest === 'string' ? { 'x-ms-client-request-id': clientRequest } : {}),
    },
  };
}

/** The caller's object ID (the token's `oid`), or ARM's 401 answer. */
function authenticate(ctx: SandboxContext, req: SandboxRequest): { principalId: string } | SandboxResponse {
  const check = checkBearer(ctx, req.headers.authorization, ARM_AUDIENCES);
  if (check.ok) return { principalId: typeof check.claims.oid === 'string' ? check.claims.oid.toLowerCase() : '' };
  const tenantId = ctx.store.state.tenantId;
  const challenge = (description: string): Record<string, string> => ({
    'www-authenticate': `Bearer authorization_uri="${req.publicNames ? publicOrigin(LOGIN_HOST) : ctx.origin}/${tenantId}", error="invalid_token", error_description="${description}"`,
  });
  switch (check.reason) {
    case 'missing':
      return armError(
        401,
        'AuthenticationFailed',
        "Authentication failed. The 'Authorization' header is missing.",
        challenge("The authentication failed because of missing 'Authorization' header."),
      );
    case 'expired':
      return armError(
        401,
        'ExpiredAuthenticationToken',
        'The access token expiry UTC time is earlier than current UTC time.',
        challenge('The access token is expired.'),
      );
    case 'audience':
      return armError(
        401,
        'InvalidAuthenticationTokenAudience',
        `The access token has been obtained for wrong audience or resource '${check.audience ?? ''}'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.`,
        challenge('The access token has an invalid audience.'),
      );
    case 'tenant':
      return armError(
        401,
        'InvalidAuthenticationTokenTenant',
        `The access token is from the wrong issuer. It must match the tenant '${tenantId}' associated with this subscription.`,
        challenge('The access token is from the wrong tenant.'),
      );
    default:
      return armError(
        401,
        'InvalidAuthenticationToken',
        'The access token is invalid.',
        challenge('The access token is invalid.'),
      );
  }
}

async function route(ctx: SandboxContext, req: SandboxRequest): Promise<SandboxResponse> {
  // The cloud's endpoint document is anonymous on ARM.
  if (req.path.toLowerCase() === METADATA_PATH) return handleMetadata(ctx, req);
  const caller = authenticate(ctx, req);
  if (!('principalId' in caller)) return caller;
  const { principalId } = caller;
  let segs: string[];
  try {
    segs = req.path
      .split('/')
      .slice(1)
      .map((s) => decodeURIComponent(s));
  } catch {
    return armError(400, 'InvalidRequestUri', `The request URI '${req.path}' is not valid.`);
  }
  if (segs.length > 0 && segs[segs.length - 1] === '') segs.pop();
  const lower = segs.map((s) => s.toLowerCase());

  if (lower[0] === 'tenants' && segs.length === 1) {
    return checkApiVersion(req.query, 'resources', 'tenants') ?? handleTenants(ctx, req);
  }
  const p = lower.lastIndexOf('providers');

  if (lower[0] === 'providers') {
    if (segs.length <= 2) return handleProviders(ctx, req, undefined, segs.slice(1));
    // Tenant-level role definitions (`roleDefinitionId` values are often `/providers/Microsoft.Authorization/roleDefinitions/{guid}`).
    if (lower[1] === 'microsoft.authorization') return handleAuthorization(ctx, req, '', segs.slice(2));
    return invalidResourceType(segs.slice(2).join('/'), segs[1] ?? '', req.query.get('api-version') ?? '');
  }
  if (lower[0] !== 'subscriptions') return armError(404, 'NotFound', `The requested path '${req.path}' was not found.`);
  // ARM lists the subscriptions the caller holds any role in, rather than refusing the list.
  if (segs.length === 1) {
    return (
      checkApiVersion(req.query, 'resources', 'subscriptions') ??
      handleSubscriptions(ctx, req, undefined, (s) =>
        hasAnyAccess(ctx, principalId, `/subscriptions/${s.subscriptionId}`),
      )
    );
  }

  const subscriptionId = segs[1]!.toLowerCase();
  const subscription = ctx.store.state.subscriptions[subscriptionId];
  if (!subscription) return subscriptionNotFound(segs[1]!);

  // Resource provider metadata and registration: `/subscriptions/{sub}/providers[/{namespace}[/register]]`.
  if (lower[2] === 'providers' && segs.length <= 5 && (segs.length <= 4 || lower[4] === 'register')) {
    const register = segs.length === 5;
    const action = register ? `${segs[3]!}/register/action` : 'Microsoft.Resources/subscriptions/providers/read';
    const scope = `/subscriptions/${subscriptionId}`;
    if (!isPermitted(ctx, principalId, action, scope)) return authorizationFailed(principalId, { action, scope });
    return handleProviders(ctx, req, subscriptionId, segs.slice(3));
  }
  // Authorization before the resource provider sees the request: a caller without access gets
  // 403 even for a missing resource group, as on ARM. The generic `…/resources` list is filtered instead.
  const access = requiredAccess(req.method, segs);
  if (access && !isPermitted(ctx, principalId, access.action, access.scope)) {
    return authorizationFailed(principalId, access);
  }
  const canRead = (id: string, type: string): boolean => isPermitted(ctx, principalId, `${type}/read`, id);

  // Role assignments and definitions live at any scope: /{scope}/providers/Microsoft.Authorization/…
  if (p >= 2 && lower[p + 1] === 'microsoft.authorization') {
    const scope = `/${segs.slice(0, p).join('/')}`;
    return handleAuthorization(ctx, req, scope, segs.slice(p + 2));
  }
  if (p === -1) {
    if (segs.length === 2) {
      return checkApiVersion(req.query, 'resources', 'subscriptions') ?? handleSubscriptions(ctx, req, subscription);
    }
    if (lower[2] === 'operationresults' && segs.length === 4) return handleOperationResult(ctx, req, segs[3]!);
    if (lower[2] === 'resources' && segs.length === 3) {
      return (
        checkApiVersion(req.query, 'resources', 'resources') ??
        handleGenericResources(ctx, req, canRead, subscriptionId)
      );
    }
    if (lower[2] === 'resourcegroups') {
      const v = checkApiVersion(req.query, 'resources', 'resourceGroups');
      if (v) return v;
      if (segs.length === 3) return handleResourceGroupList(ctx, req, subscriptionId);
      if (segs.length === 4) return handleResourceGroup(ctx, req, subscriptionId, segs[3]!);
      if (segs.length === 5 && lower[4] === 'resources') {
        if (!findResourceGroup(ctx, subscriptionId, segs[3]!)) return resourceGroupNotFound(segs[3]!);
        return handleGenericResources(ctx, req, canRead, subscriptionId, segs[3]);
      }
    }
    return armError(404, 'NotFound', `The requested path '${req.path}' was not found.`);
  }

  // /subscriptions/{sub}[/resourceGroups/{rg}]/providers/{namespace}/{type}/…
  let resourceGroup: string | undefined;
  if (p === 4 && lower[2] === 'resourcegroups') resourceGroup = segs[3];
  else if (p !== 2) return armError(404, 'NotFound', `The requested path '${req.path}' was not found.`);
  const namespace = lower[p + 1] ?? '';
  const rest = segs.slice(p + 2);
  const restLower = lower.slice(p + 2);
  const rg = resourceGroup !== undefined ? findResourceGroup(ctx, subscriptionId, resourceGroup) : undefined;
  const location = rg?.location;
  if (resourceGroup !== undefined && !rg) {
    // ARM checks the group before the provider sees the request.
    return resourceGroupNotFound(resourceGroup);
  }

  switch (namespace) {
    case 'microsoft.managedidentity': {
      if (restLower[0] !== 'userassignedidentities') break;
      if (rest.length >= 3 && restLower[2] === 'federatedidentitycredentials' && resourceGroup !== undefined) {
        const v = checkApiVersion(
          req.query,
          'federatedIdentityCredentials',
          'userAssignedIdentities/federatedIdentityCredentials',
          location,
        );
        if (v) return v;
        const identity = findIdentity(ctx, subscriptionId, resourceGroup, rest[1]!);
        if (rest.length === 3) return handleFicList(ctx, req, identity);
        if (rest.length === 4) return handleFic(ctx, req, identity, rest[3]!);
        break;
      }
      const v = checkApiVersion(req.query, 'userAssignedIdentities', 'userAssignedIdentities', location);
      if (v) return v;
      if (rest.length === 1) return handleIdentityList(ctx, req, subscriptionId, resourceGroup);
      if (rest.length === 2 && resourceGroup !== undefined) {
        return handleIdentity(ctx, req, subscriptionId, resourceGroup, rest[1]!);
      }
      break;
    }
    case 'microsoft.containerservice': {
      if (
        restLower[0] === 'locations' &&
        restLower[2] === 'operations' &&
        rest.length === 4 &&
        resourceGroup === undefined
      ) {
        return (
          checkApiVersion(req.query, 'operations', 'locations/operations', rest[1]) ??
          handleClusterOperation(ctx, req, rest[3]!)
        );
      }
      if (restLower[0] !== 'managedclusters') break;
      const v = checkApiVersion(req.query, 'managedClusters', 'managedClusters', location);
      if (v) return v;
      if (rest.length === 1) return handleClusterList(ctx, req, subscriptionId, resourceGroup);
      if (resourceGroup !== undefined && rest.length >= 2) {
        return handleCluster(ctx, req, subscriptionId, resourceGroup, rest[1]!, rest.slice(2));
      }
      break;
    }
    case 'microsoft.keyvault': {
      if (restLower[0] !== 'vaults') break;
      const v = checkApiVersion(req.query, 'vaults', 'vaults', location);
      if (v) return v;
      if (rest.length === 1) return handleVaultList(ctx, req, subscriptionId, resourceGroup);
      if (rest.length === 2 && resourceGroup !== undefined) {
        return handleVault(ctx, req, subscriptionId, resourceGroup, rest[1]!);
      }
      break;
    }
    default:
      return armError(
        404,
        'NoRegisteredProviderFound',
        `No registered resource provider found for namespace '${segs[p + 1] ?? ''}'.`,
      );
  }
  return invalidResourceType(rest.join('/'), segs[p + 1] ?? '', req.query.get('api-version') ?? '');
}
