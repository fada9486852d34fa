import type { SandboxContext } from '../context';
import { checkBearer } from '../entra/accessTokens';
import { GRAPH_AUDIENCES } from '../entra/resources';
import { json, type SandboxRequest, type SandboxResponse } from '../http';
import { servicePrincipals, users, type DirectoryObject } from './directory';
import { graphError, requestIds } from './errors';
import { parseFilter, type Filter } from './filter';

/**
 * A minimal Microsoft Graph v1.0 over the sandbox's directory (learn.microsoft.com/graph/api/overview):
 * `/me`, `/servicePrincipals` (list with `$filter`, by id, by `(appId='…')`), `/users`,
 * `/directoryObjects/{id}` and `POST /directoryObjects/getByIds`, with OData paging
 * (`@odata.context`, `@odata.nextLink`, `$top`, `$skiptoken`), `$select`, and Graph's error
 * envelope. Tokens must carry Graph's audience. Only the developer's service principal may read
 * the directory: a managed identity holds no Graph application permission, so Graph answers it 403.
 */
export function isGraphPath(path: string): boolean {
  return /^\/v1\.0(\/|$)/i.test(path);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TOP = 999;

/** Graph's 401 for each way a token can be unacceptable. */
function unauthenticated(req: SandboxRequest, reason: string): SandboxResponse {
  const message =
    reason === 'missing'
      ? 'Access token is empty.'
      : reason === 'expired'
        ? 'Lifetime validation failed, the token is expired.'
        : reason === 'audience'
          ? 'Access token validation failure. Invalid audience.'
          : 'Access token validation failure.';
  return graphError(req, 401, 'InvalidAuthenticationToken', message, {
    'www-authenticate':
      'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
  });
}

export function handleGraph(ctx: SandboxContext, req: SandboxRequest): SandboxResponse {
  const check = checkBearer(ctx, req.headers.authorization, GRAPH_AUDIENCES);
  if (!check.ok) return unauthenticated(req, check.reason);
  let segs: string[];
  try {
    segs = req.path
      .split('/')
      .slice(2)
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    return graphError(req, 400, 'BadRequest', `The request URI '${req.path}' is not valid.`);
  }
  const first = (segs[0] ?? '').toLowerCase();
  if (first === 'me' && segs.length === 1) {
    if (req.method !== 'GET') return methodNotAllowed(req);
    // Every sandbox token is app-only (client credentials): there is no signed-in user.
    return graphError(req, 400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
  }
  if (check.claims.oid !== ctx.store.state.developer.objectId) {
    return graphError(req, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }
  const spAlternateKey = /^servicePrincipals\(appId='((?:[^']|'')*)'\)$/i.exec(segs[0] ?? '');
  if (spAlternateKey && segs.length === 1) {
    if (req.method !== 'GET') return methodNotAllowed(req);
    const appId = spAlternateKey[1]!.replace(/''/g, "'").toLowerCase();
    const sp = servicePrincipals(ctx.store.state).find((o) => String(o.appId).toLowerCase() === appId);
    return sp ? entity(ctx, req, 'servicePrincipals', sp) : notFound(req, appId);
  }
  switch (first) {
    case 'serviceprincipals':
      return collection(ctx, req, 'servicePrincipals', servicePrincipals(ctx.store.state), segs);
    case 'users':
      return collection(ctx, req, 'users', users(ctx.store.state), segs);
    case 'directoryobjects':
      return directoryObjects(ctx, req, segs);
    default:
      return graphError(req, 400, 'BadRequest', `Resource not found for the segment '${segs[0] ?? ''}'.`);
  }
}

function methodNotAllowed(req: SandboxRequest): SandboxResponse {
  return graphError(
    req,
    405,
    'Request_BadRequest',
    `The HTTP method '${req.method}' is not allowed for '${req.path}'.`,
  );
}

function notFound(req: SandboxRequest, id: string): SandboxResponse {
  return graphError(
    req,
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

/** Relative to the origin the client addressed (graph.microsoft.com through the proxy). */
function contextUrl(req: SandboxRequest, fragment: string): string {
  return `${req.origin}/v1.0/$metadata#${fragment}`;
}

/** `$select`: only the named members (Graph returns exactly those). */
function project(req: SandboxRequest, o: DirectoryObject, keepType: boolean): Record<string, unknown> {
  const { '@odata.type': type, ...rest } = o;
  const select = req.query.get('$select');
  const picked = select
    ? Object.fromEntries(
        select
          .split(',')
          .map((s) => s.trim())
          .filter((k) => k in rest)
          .map((k) => [k, rest[k]]),
      )
    : rest;
  return keepType ? { '@odata.type': type, ...picked } : picked;
}

function entity(ctx: SandboxContext, req: SandboxRequest, set: string, o: DirectoryObject): SandboxResponse {
  return json(200, { '@odata.context': contextUrl(req, `${set}/$entity`), ...project(req, o, false) }, requestIds(req));
}

function collection(
  ctx: SandboxContext,
  req: SandboxRequest,
  set: 'servicePrincipals' | 'users',
  all: DirectoryObject[],
  segs: string[],
): SandboxResponse {
  if (req.method !== 'GET') return methodNotAllowed(req);
  if (segs.length === 2) {
    const key = segs[1]!;
    const lower = key.toLowerCase();
    // Users are addressed by object ID or user principal name; service principals by object ID only.
    if (set === 'servicePrincipals' && !GUID.test(key)) {
      return graphError(req, 400, 'Request_BadRequest', `Invalid object identifier '${key}'.`);
    }
    const found = all.find(
      (o) =>
        o.id.toLowerCase() === lower || (set === 'users' && String(o.userPrincipalName ?? '').toLowerCase() === lower),
    );
    return found ? entity(ctx, req, set, found) : notFound(req, key);
  }
  if (segs.length !== 1) {
    return graphError(req, 400, 'BadRequest', `Resource not found for the segment '${segs[2] ?? ''}'.`);
  }
  const filterText = req.query.get('$filter');
  let filter: Filter | undefined;
  if (filterText) {
    const parsed = parseFilter(filterText, set === 'servicePrincipals' ? 'ServicePrincipal' : 'User');
    if ('error' in parsed) return graphError(req, 400, 'Request_UnsupportedQuery', parsed.error);
    filter = parsed;
  }
  const items = filter ? all.filter((o) => filter.matches(o)) : all;
  return json(200, pageOf(ctx, req, set, items), requestIds(req));
}

/** One page with an absolute `@odata.nextLink` that keeps the query and carries the offset in `$skiptoken`. */
function pageOf(
  ctx: SandboxContext,
  req: SandboxRequest,
  set: string,
  items: DirectoryObject[],
): Record<string, unknown> {
  const topParam = Number.parseInt(req.query.get('$top') ?? '', 10);
  const size = Math.min(
    ctx.knobs.pageSize,
    Number.isFinite(topParam) && topParam > 0 ? Math.min(topParam, MAX_TOP) : 100,
  );
  const token = req.query.get('$skiptoken') ?? req.query.get('$skipToken');
  const skip = token ? Number.parseInt(Buffer.from(token, 'base64url').toString('utf8'), 10) || 0 : 0;
  const value = items.slice(skip, skip + size).map((o) => project(req, o, false));
  const out: Record<string, unknown> = { '@odata.context': contextUrl(req, set) };
  if (skip + size < items.length) {
    const q = new URLSearchParams(req.query);
    q.delete('$skipToken');
    q.set('$skiptoken', Buffer.from(String(skip + size), 'utf8').toString('base64url'));
    out['@odata.nextLink'] = `${req.origin}${req.path}?${q.toString().replace(/%24/g, '$')}`;
  }
  out.value = value;
  return out;
}

/** `GET /directoryObjects/{id}` and `POST /directoryObjects/getByIds` (`{ids, types?}`; unknown IDs are left out). */
function directoryObjects(ctx: SandboxContext, req: SandboxRequest, segs: string[]): SandboxResponse {
  const all = [...servicePrincipals(ctx.store.state), ...users(ctx.store.state)];
  const action = (segs[1] ?? '').toLowerCase();
  if (segs.length === 2 && (action === 'getbyids' || action === 'microsoft.graph.getbyids')) {
    if (req.method !== 'POST') return methodNotAllowed(req);
    let body: unknown;
    try {
      body = JSON.parse(req.body.toString('utf8') || '{}');
    } catch {
      return graphError(
        req,
        400,
        'BadRequest',
        'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
      );
    }
    const ids = (body as { ids?: unknown }).ids;
    const types = (body as { types?: unknown }).types;
    if (!Array.isArray(ids) || ids.some((i) => typeof i !== 'string')) {
      return graphError(
        req,
        400,
        'Request_BadRequest',
        "Invalid value specified for property 'ids' of resource 'DirectoryObject'.",
      );
    }
    if (ids.length > 1000) return graphError(req, 400, 'Request_BadRequest', 'The number of ids must not exceed 1000.');
    const wanted = Array.isArray(types)
      ? new Set(types.map((t) => `#microsoft.graph.${String(t).replace(/^#?microsoft\.graph\./i, '')}`.toLowerCase()))
      : undefined;
    const value = (ids as string[])
      .map((id) => all.find((o) => o.id.toLowerCase() === id.toLowerCase()))
      .filter(
        (o): o is DirectoryObject => o !== undefined && (!wanted || wanted.has(String(o['@odata.type']).toLowerCase())),
      )
      .map((o) => project(req, o, true));
    return json(200, { '@odata.context': contextUrl(req, 'directoryObjects'), value }, requestIds(req));
  }
  if (segs.length === 2) {
    if (req.method !== 'GET') return methodNotAllowed(req);
    const found = all.find((o) => o.id.toLowerCase() === segs[1]!.toLowerCase());
    return found
      ? json(
          200,
          { '@odata.context': contextUrl(req, 'directoryObjects/$entity'), ...project(req, found, true) },
          requestIds(req),
        )
      : notFound(req, segs[1]!);
  }
  return graphError(req, 400, 'BadRequest', `Resource not found for the segment '${segs[0] ?? ''}'.`);
}
