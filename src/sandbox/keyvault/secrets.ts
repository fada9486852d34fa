import type { SandboxContext } from '../context';
import { checkBearer } from '../entra/accessTokens';
import { VAULT_AUDIENCES } from '../entra/resources';
import { json, type SandboxRequest, type SandboxResponse } from '../http';
import { armKey, newSecretVersion } from '../ids';
import type { SecretRecord, SecretVersionRecord, VaultRecord } from '../state';
import { stringTags } from '../arm/errors';
import { page } from '../arm/paging';
import { dataActionOf, isAuthorized, type SecretOperation } from './authorize';
import { isRecord } from '../../core/is';

const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;
/**
 * 7.x and the date-named versions: @azure/keyvault-secrets 4.11.x sends 2025-07-01, 4.12.0 sends
 * 2026-04-01 (its `KnownVersions`, Azure/azure-sdk-for-js sdk/keyvault/keyvault-secrets/src/api-versions:
 * 7.5, 7.6-preview.2, 7.6, 2025-07-01, 2026-04-01).
 */
const API_VERSION = /^(7\.[0-9](-preview(\.[0-9]+)?)?|2016-10-01|2025-06-01-preview|2025-07-01|2026-04-01)$/;
const LATEST = '2026-04-01';
/** Key Vault pages secret lists by 25 by default (`maxresults`). */
const KV_PAGE = 25;

function kvError(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
  inner?: string,
): SandboxResponse {
  return json(status, { error: { code, message, ...(inner ? { innererror: { code: inner } } : {}) } }, headers);
}

/**
 * The bearer challenge (learn.microsoft.com/azure/key-vault/general/authentication-requests-and-responses):
 * the SDK's first request carries no token and no
 * body; it reads the tenant from `authorization` and the scope from `resource`, gets a token,
 * and resends.
 */
function challenge(ctx: SandboxContext, message: string): SandboxResponse {
  return kvError(401, 'Unauthorized', message, {
    'www-authenticate': `Bearer authorization="https://login.windows.net/${ctx.store.state.tenantId}", resource="https://vault.azure.net"`,
  });
}

export async function handleVaultRequest(
  ctx: SandboxContext,
  vault: VaultRecord | undefined,
  req: SandboxRequest,
): Promise<SandboxResponse> {
  if (!vault) return kvError(404, 'VaultNotFound', 'The vault was not found (it may have been deleted).');
  const version = req.query.get('api-version');
  if (!version || !API_VERSION.test(version)) {
    return kvError(
      400,
      'BadParameter',
      `The specified version (${version ?? ''}) is not recognized. Consider using the latest supported version (${LATEST}).`,
    );
  }
  const auth = checkBearer(ctx, req.headers.authorization, VAULT_AUDIENCES);
  if (!auth.ok) {
    switch (auth.reason) {
      case 'missing':
        return challenge(ctx, 'AKV10000: Request is missing a Bearer or PoP token.');
      case 'audience':
        return challenge(
          ctx,
          `AKV10022: Invalid audience. Expected https://vault.azure.net, found: ${auth.audience ?? ''}.`,
        );
      case 'expired':
        return challenge(ctx, 'AKV10021: The token has expired.');
      case 'tenant':
        return challenge(ctx, 'AKV10032: Invalid issuer. The token is not from the tenant of this vault.');
      default:
        return challenge(ctx, 'AKV10032: Invalid issuer or signature.');
    }
  }
  const claims = auth.claims;
  const segs = req.path.replace(/\/$/, '').split('/').slice(1);
  // An empty segment (`/secrets//name`) names no secret: not the list, not the secret.
  if (segs.some((seg) => seg === '') || segs[0]?.toLowerCase() !== 'secrets') {
    return kvError(
      404,
      'NotFound',
      `The requested resource '${req.path}' is not supported by the sandbox Key Vault (secrets only).`,
    );
  }
  const name = segs[1];
  const rest = segs.slice(2);

  let op: SecretOperation;
  if (name === undefined || name === '') {
    if (req.method !== 'GET') {
      return kvError(405, 'MethodNotAllowed', `Method ${req.method} is not allowed on ${req.path}.`);
    }
    op = 'list';
  } else if (req.method === 'PUT' && rest.length === 0) op = 'set';
  else if (req.method === 'GET' && rest.length === 1 && rest[0]!.toLowerCase() === 'versions') op = 'list';
  else if (req.method === 'GET' && rest.length <= 1) op = 'get';
  else return kvError(405, 'MethodNotAllowed', `Method ${req.method} is not allowed on ${req.path}.`);

  if (name !== undefined && name !== '' && !SECRET_NAME.test(name)) {
    return kvError(400, 'BadParameter', `The request URI contains an invalid name: ${name}`);
  }
  const oid = String(claims.oid ?? '');
  if (!isAuthorized(ctx, vault, oid, op, name || undefined)) return forbidden(ctx, vault, claims, op, name);

  const base = ctx.vaultUri(vault).replace(/\/$/, '');
  switch (op) {
    case 'set':
      return setSecret(ctx, req, vault, name!, base);
    case 'get': {
      const secret = vault.secrets[name!.toLowerCase()];
      const wanted = rest[0] ?? '';
      const v =
        secret &&
        (wanted === ''
          ? secret.versions[secret.versions.length - 1]
          : secret.versions.find((x) => x.version === wanted.toLowerCase()));
      if (!secret || !v) {
        return kvError(
          404,
          'SecretNotFound',
          `A secret with (name/id) ${name}${wanted ? `/${wanted}` : ''} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
        );
      }
      return json(200, bundle(vault, base, secret, v, true));
    }
    case 'list': {
      if (name) {
        const secret = vault.secrets[name.toLowerCase()];
        if (!secret) {
          return kvError(
            404,
            'SecretNotFound',
            `A secret with (name/id) ${name} was not found in this key vault. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
          );
        }
        return json(
          200,
          withNullNextLink(
            page(
              req,
              secret.versions.map((v) => bundle(vault, base, secret, v, false)),
              pageSize(req),
            ),
          ),
        );
      }
      const items = Object.values(vault.secrets).map((s) => {
        const latest = s.versions[s.versions.length - 1]!;
        const { id: _versioned, ...item } = bundle(vault, base, s, latest, false);
        return { id: `${base}/secrets/${s.name}`, ...item };
      });
      return json(200, withNullNextLink(page(req, items, pageSize(req))));
    }
  }
}

function pageSize(req: SandboxRequest): number {
  const n = Number.parseInt(req.query.get('maxresults') ?? '', 10);
  return Number.isFinite(n) && n > 0 ? Math.min(n, 25) : KV_PAGE;
}

/** Key Vault writes `"nextLink": null` on the last page. */
function withNullNextLink<T>(p: { value: T[]; nextLink?: string }): { value: T[]; nextLink: string | null } {
  return { value: p.value, nextLink: p.nextLink ?? null };
}

function bundle(
  vault: VaultRecord,
  base: string,
  s: SecretRecord,
  v: SecretVersionRecord,
  withValue: boolean,
): Record<string, unknown> {
  const purgeProtected = vault.properties.enablePurgeProtection === true;
  return {
    ...(withValue ? { value: v.value } : {}),
    ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
    id: `${base}/secrets/${s.name}/${v.version}`,
    attributes: {
      enabled: v.enabled,
      created: v.created,
      updated: v.updated,
      recoveryLevel: purgeProtected ? 'Recoverable' : 'Recoverable+Purgeable',
      recoverableDays:
        typeof vault.properties.softDeleteRetentionInDays === 'number'
          ? vault.properties.softDeleteRetentionInDays
          : 90,
    },
    ...(v.tags ? { tags: v.tags } : {}),
  };
}

function setSecret(
  ctx: SandboxContext,
  req: SandboxRequest,
  vault: VaultRecord,
  name: string,
  base: string,
): SandboxResponse {
  let body: unknown;
  try {
    body = JSON.parse(req.body.toString('utf8') || '{}');
  } catch {
    return kvError(400, 'BadParameter', 'The request body is not valid JSON.');
  }
  if (!isRecord(body) || typeof body.value !== 'string') {
    return kvError(400, 'BadParameter', "Property 'value' is required and must be a string.");
  }
  const attrs = isRecord(body.attributes) ? body.attributes : {};
  const now = Math.floor(ctx.now() / 1000);
  const version: SecretVersionRecord = {
    version: newSecretVersion(),
    value: body.value,
    ...(typeof body.contentType === 'string' ? { contentType: body.contentType } : {}),
    ...(body.tags !== undefined ? { tags: stringTags(body.tags) ?? {} } : {}),
    enabled: attrs.enabled !== false,
    created: now,
    updated: now,
  };
  const key = name.toLowerCase();
  const secret = vault.secrets[key] ?? { name, versions: [] };
  secret.versions.push(version);
  vault.secrets[key] = secret;
  ctx.store.markDirty({ map: 'vaults', key: armKey(vault.id) });
  return json(200, bundle(vault, base, secret, version, true));
}

function forbidden(
  ctx: SandboxContext,
  vault: VaultRecord,
  claims: Record<string, unknown>,
  op: SecretOperation,
  name: string | undefined,
): SandboxResponse {
  const caller = `appid=${String(claims.appid ?? '')};oid=${String(claims.oid ?? '')};iss=${String(claims.iss ?? '')}`;
  if (vault.properties.enableRbacAuthorization === true) {
    const resource = `${vault.id}${name ? `/secrets/${name}` : ''}`.toLowerCase();
    return kvError(
      403,
      'Forbidden',
      `Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: ${caller}\r\nAction: '${dataActionOf(op)}'\r\nResource: '${resource}'\r\nAssignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: null \r\nVault: ${vault.name};location=${vault.location}\r\n`,
      undefined,
      'ForbiddenByRbac',
    );
  }
  return kvError(
    403,
    'Forbidden',
    `The user, group or application '${caller}' does not have secrets ${op} permission on key vault '${vault.name};location=${vault.location}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`,
    undefined,
    'AccessDenied',
  );
}
