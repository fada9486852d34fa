import type { SandboxContext } from '../context';
import { issuerAsSeen, loopbackIssuerUrl, siteOf } from '../publicNames';
import { armKey } from '../ids';
import { json, type SandboxRequest, type SandboxResponse } from '../http';
import type { FederatedCredentialRecord, IdentityRecord } from '../state';
import { armError, methodNotAllowed, parseBody } from './errors';
import { page } from './paging';
import { isRecord } from '../../core/is';

export const FIC_TYPE = 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials';

/** ManagedIdentity.json (2024-11-30): `^[a-zA-Z0-9]{1}[a-zA-Z0-9-_]{2,119}$`. */
const FIC_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,119}$/;
const MAX_PER_IDENTITY = 20;
const MAX_FIELD = 600;
/** Time a credential write holds the identity: a second write meanwhile gets the service's 409. */
const WRITE_HOLD_MS = 25;

/**
 * The issuer is stored as the loopback spelling of a sandbox issuer (any other URL as sent) and
 * shown in the spelling of the way the request came (publicNames.ts).
 */
export function ficJson(
  ctx: SandboxContext,
  req: SandboxRequest,
  identity: IdentityRecord,
  c: FederatedCredentialRecord,
): Record<string, unknown> {
  return {
    id: `${identity.id}/federatedIdentityCredentials/${c.name}`,
    name: c.name,
    properties: {
      issuer: issuerAsSeen(c.issuer, siteOf(ctx), req.publicNames),
      subject: c.subject,
      audiences: [...c.audiences],
    },
    type: FIC_TYPE,
    // ARM proxy resources carry systemData (ManagedIdentity.json 2024-11-30, common-types systemData).
    systemData: { createdAt: new Date(c.createdAt).toISOString(), lastModifiedAt: new Date(c.createdAt).toISOString() },
  };
}

function parentMissing(): SandboxResponse {
  return armError(404, 'NotFound', "The parent user-assigned identity doesn't exist.");
}

function badRequest(message: string): SandboxResponse {
  return armError(400, 'BadRequest', message);
}

export function handleFicList(
  ctx: SandboxContext,
  req: SandboxRequest,
  identity: IdentityRecord | undefined,
): SandboxResponse {
  if (req.method !== 'GET') return methodNotAllowed(req.method, req.path);
  if (!identity) return parentMissing();
  return json(
    200,
    page(
      req,
      Object.values(identity.federatedCredentials).map((c) => ficJson(ctx, req, identity, c)),
      ctx.knobs.pageSize,
    ),
  );
}

export async function handleFic(
  ctx: SandboxContext,
  req: SandboxRequest,
  identity: IdentityRecord | undefined,
  name: string,
): Promise<SandboxResponse> {
  if (!identity) return parentMissing();
  const key = name.toLowerCase();
  const existing = identity.federatedCredentials[key];
  switch (req.method) {
    case 'GET':
      if (!existing) {
        return armError(
          404,
          'NotFound',
          `Federated Identity Credential '${name}' was not found for user-assigned identity '${identity.name}'.`,
        );
      }
      return json(200, ficJson(ctx, req, identity, existing));
    case 'PUT':
      return withWriteLock(ctx, identity, () => put(ctx, req, identity, name, existing));
    case 'DELETE':
      return withWriteLock(ctx, identity, () => {
        if (!identity.federatedCredentials[key]) return { status: 204 };
        delete identity.federatedCredentials[key];
        ctx.store.markDirty({ map: 'identities', key: armKey(identity.id) });
        return { status: 200 };
      });
    default:
      return methodNotAllowed(req.method, req.path);
  }
}

/**
 * Concurrent writes to the credentials of one identity fail with HTTP 409 (learn.microsoft.com/
 * entra/workload-id/workload-identity-federation-considerations, "Concurrent updates"). The write
 * holds the identity for a moment so two overlapping requests see each other.
 */
async function withWriteLock(
  ctx: SandboxContext,
  identity: IdentityRecord,
  write: () => SandboxResponse,
): Promise<SandboxResponse> {
  const lockKey = identity.id.toLowerCase();
  if (ctx.ficWritesInFlight.has(lockKey)) {
    return armError(
      409,
      'ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity',
      `Too many Federated Identity Credentials are written concurrently for the managed identity ${identity.id}. Concurrent Federated Identity Credentials writes under the same managed identity are not supported.`,
    );
  }
  ctx.ficWritesInFlight.add(lockKey);
  try {
    await new Promise((r) => setTimeout(r, WRITE_HOLD_MS));
    // The identity may have been deleted (or its group) while this write waited: a child of a
    // deleted parent is not written, as ARM orders a parent's delete before its children's writes.
    if (ctx.store.state.identities[armKey(identity.id)] !== identity) return parentMissing();
    return write();
  } finally {
    ctx.ficWritesInFlight.delete(lockKey);
  }
}

function put(
  ctx: SandboxContext,
  req: SandboxRequest,
  identity: IdentityRecord,
  name: string,
  existing: FederatedCredentialRecord | undefined,
): SandboxResponse {
  if (!FIC_NAME.test(name)) return badRequest(`Federated Identity Credential name '${name}' is invalid.`);
  const parsed = parseBody(req.body);
  if (!parsed.ok) return parsed.response;
  const props = isRecord(parsed.value.properties) ? parsed.value.properties : {};
  const { issuer: sent, subject, audiences } = props;
  const issuer = typeof sent === 'string' ? loopbackIssuerUrl(sent, siteOf(ctx)) : sent;
  if (
    typeof issuer !== 'string' ||
    !issuer ||
    typeof subject !== 'string' ||
    !subject ||
    audiences === undefined ||
    audiences === null
  ) {
    return badRequest("Federated identity credential request must specify 'issuer', 'subject' and 'audience'.");
  }
  if (!Array.isArray(audiences) || audiences.length !== 1 || typeof audiences[0] !== 'string' || !audiences[0]) {
    return badRequest('Federated identity credentials must have exactly one audience.');
  }
  const audience = audiences[0];
  for (const [field, value] of [
    ['issuer', issuer],
    ['subject', subject],
    ['audience', audience],
  ] as const) {
    if (value.length > MAX_FIELD) {
      return badRequest(
        `The '${field}' of a federated identity credential cannot be longer than ${MAX_FIELD} characters.`,
      );
    }
    if (value.includes('*')) {
      return badRequest(`Wildcard characters are not supported in the '${field}' of a federated identity credential.`);
    }
  }
  if (!isHttpsUrl(issuer)) {
    return badRequest(`Issuer '${issuer}' is invalid. The issuer must be a valid URL that uses the https scheme.`);
  }

  const others = Object.values(identity.federatedCredentials).filter((c) => c !== existing);
  if (others.some((c) => c.issuer === issuer && c.subject === subject)) {
    return badRequest('Issuer and subject combination already exists for this Managed Identity.');
  }
  if (!existing && others.length >= MAX_PER_IDENTITY) {
    return badRequest(
      `Too many Federated Identity Credentials are written to this Managed Identity. The maximum number of Federated Identity Credentials per Managed Identity is ${MAX_PER_IDENTITY}.`,
    );
  }
  if (existing && existing.issuer === issuer && existing.subject === subject && existing.audiences[0] === audience) {
    return json(200, ficJson(ctx, req, identity, existing)); // idempotent re-PUT: nothing changes, nothing re-propagates
  }
  const record: FederatedCredentialRecord = {
    name: existing?.name ?? name,
    issuer,
    subject,
    audiences: [audience],
    createdAt: ctx.now(),
  };
  identity.federatedCredentials[name.toLowerCase()] = record;
  ctx.store.markDirty({ map: 'identities', key: armKey(identity.id) });
  return json(existing ? 200 : 201, ficJson(ctx, req, identity, record));
}

function isHttpsUrl(value: string): boolean {
  // Entra trusts issuers only over https; whitespace is kept (it breaks the exchange later, as on Azure).
  try {
    return new URL(value.trim()).protocol === 'https:';
  } catch {
    return false;
  }
}
