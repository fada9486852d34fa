import type { SandboxContext } from '../context';
import { publicVaultUri } from '../publicNames';
import { json, type SandboxRequest, type SandboxResponse } from '../http';
import { armKey, normalizeLocation, vaultId } from '../ids';
import type { VaultRecord } from '../state';
import { armError, methodNotAllowed, parseBody, resourceNotFound, stringTags } from './errors';
import { inScope, page } from './paging';
import { touchSystemData } from './systemData';
import { isRecord } from '../../core/is';

export const VAULT_TYPE = 'Microsoft.KeyVault/vaults';
/** 3–24 characters, a letter first, a letter or digit last, no consecutive hyphens (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules, Microsoft.KeyVault). */
const VAULT_NAME = /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;
const SERVER_OWNED = new Set(['vaultUri', 'provisioningState', 'hsmPoolResourceId', 'privateEndpointConnections']);

/** `publicNames`: the client came through the proxy, so the vault is named by its DNS name (publicNames.ts). */
export function vaultJson(ctx: SandboxContext, v: VaultRecord, publicNames?: boolean): Record<string, unknown> {
  return {
    id: v.id,
    name: v.name,
    type: VAULT_TYPE,
    location: v.location,
    tags: v.tags ?? {},
    ...(isRecord(v.systemData) ? { systemData: { ...v.systemData } } : {}),
    properties: {
      ...v.properties,
      vaultUri: publicNames ? publicVaultUri(v.name) : ctx.vaultUri(v),
      provisioningState: 'Succeeded',
    },
  };
}

export function handleVaultList(
  ctx: SandboxContext,
  req: SandboxRequest,
  subscriptionId: string,
  resourceGroup?: string,
): SandboxResponse {
  if (req.method !== 'GET') return methodNotAllowed(req.method, req.path);
  const items = inScope(ctx.store.state.vaults, subscriptionId, resourceGroup).map((v) =>
    vaultJson(ctx, v, req.publicNames),
  );
  return json(200, page(req, items, ctx.knobs.pageSize));
}

export async function handleVault(
  ctx: SandboxContext,
  req: SandboxRequest,
  subscriptionId: string,
  resourceGroup: string,
  name: string,
): Promise<SandboxResponse> {
  const key = armKey(vaultId(subscriptionId, resourceGroup, name));
  const existing = ctx.store.state.vaults[key];
  switch (req.method) {
    case 'GET':
      return existing
        ? json(200, vaultJson(ctx, existing, req.publicNames))
        : resourceNotFound(VAULT_TYPE, name, resourceGroup);
    case 'PUT':
    case 'PATCH':
      return putVault(ctx, req, subscriptionId, resourceGroup, name, existing);
    case 'DELETE':
      if (!existing) return { status: 204 };
      delete ctx.store.state.vaults[key];
      ctx.store.markDirty({ map: 'vaults', key });
      return { status: 200 };
    default:
      return methodNotAllowed(req.method, req.path);
  }
}

async function putVault(
  ctx: SandboxContext,
  req: SandboxRequest,
  subscriptionId: string,
  resourceGroup: string,
  name: string,
  existing: VaultRecord | undefined,
): Promise<SandboxResponse> {
  const parsed = parseBody(req.body);
  if (!parsed.ok) return parsed.response;
  const body = parsed.value;
  const props = isRecord(body.properties) ? body.properties : {};
  if (req.method === 'PATCH' && !existing) return resourceNotFound(VAULT_TYPE, name, resourceGroup);
  if (!VAULT_NAME.test(name)) {
    return armError(
      400,
      'VaultNameNotValid',
      `The vault name '${name}' is invalid. A vault's name must be between 3-24 alphanumeric characters. The name must begin with a letter, end with a letter or digit, and not contain consecutive hyphens. Follow this link for more information: https://go.microsoft.com/fwlink/?linkid=2147742`,
    );
  }
  const taken = ctx.store.vaultByName(name);
  if (!existing && taken) {
    return armError(
      409,
      'VaultAlreadyExists',
      `The vault name '${name}' is already in use. Vault names are globally unique so it is possible that the name is already taken. If you are sure that the vault name was not taken then it is possible that a vault with the same name was recently deleted but not purged after being placed in a recoverable state. If the vault is in a recoverable state then the vault will need to be purged before reusing the name. For more information on VaultAlreadyExists, soft delete and purging a vault follow this link https://go.microsoft.com/fwlink/?linkid=2147740.`,
    );
  }
  const location =
    typeof body.location === 'string' && body.location.trim() ? normalizeLocation(body.location) : existing?.location;
  if (!location) return armError(400, 'LocationRequired', 'The location property is required for this definition.');
  const merged: Record<string, unknown> = req.method === 'PATCH' || existing ? { ...existing?.properties } : {};
  for (const [k, v] of Object.entries(props)) if (!SERVER_OWNED.has(k)) merged[k] = v;
  if (req.method === 'PUT') {
    if (typeof merged.tenantId !== 'string' || !isRecord(merged.sku)) {
      return armError(400, 'BadRequest', "The parameters 'properties.tenantId' and 'properties.sku' are required.");
    }
  }
  if (existing?.properties.enablePurgeProtection === true && merged.enablePurgeProtection === false) {
    return armError(
      400,
      'BadRequest',
      'The property "enablePurgeProtection" cannot be set to false. Enabling the purge protection for a vault is an irreversible action.',
    );
  }
  if (existing?.properties.enablePurgeProtection === true && merged.enablePurgeProtection === undefined) {
    merged.enablePurgeProtection = true;
  }
  merged.accessPolicies ??= [];
  merged.enableSoftDelete ??= true;
  merged.softDeleteRetentionInDays ??= 90;
  merged.enableRbacAuthorization ??= false;
  merged.enabledForDeployment ??= false;
  merged.enabledForDiskEncryption ??= false;
  merged.enabledForTemplateDeployment ??= false;
  merged.publicNetworkAccess ??= 'Enabled';
  const record: VaultRecord = existing ?? {
    id: vaultId(subscriptionId, resourceGroup, name),
    name,
    subscriptionId,
    resourceGroup,
    location,
    secrets: {},
    properties: {},
  };
  record.properties = merged;
  record.systemData = touchSystemData(ctx, req, existing?.systemData);
  if (body.tags !== undefined || !existing) record.tags = stringTags(body.tags) ?? {};
  ctx.store.state.vaults[armKey(record.id)] = record;
  ctx.store.markDirty({ map: 'vaults', key: armKey(record.id) });
  await ctx.openVault(record);
  return json(existing ? 200 : 201, vaultJson(ctx, record, req.publicNames));
}
