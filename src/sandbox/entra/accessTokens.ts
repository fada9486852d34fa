import { randomBytes } from 'node:crypto';
import type { SandboxContext } from '../context';
import { decodeJwt, publicKeyOfJwk, signRs256, verifyRs256 } from '../oidc/jwt';

/** Lifetime Entra gives app tokens by default (`expires_in: 3599`). */
export const TOKEN_LIFETIME_SECONDS = 3599;

export interface Principal {
  /** Object ID: the developer's service principal, or a managed identity's principalId. */
  oid: string;
  appId: string;
  /** The identity's ARM ID for managed identities (Entra's `xms_mirid`). */
  miResourceId?: string;
}

export function entraIssuer(origin: string, tenantId: string): string {
  return `${origin}/${tenantId}/v2.0`;
}

/** An RS256 access token shaped like Entra's app-only tokens, signed with the sandbox Entra key. */
export function issueAccessToken(ctx: SandboxContext, principal: Principal, audience: string): string {
  const { tenantId, entraKey } = ctx.store.state;
  const now = Math.floor(ctx.now() / 1000);
  const issuer = entraIssuer(ctx.origin, tenantId);
  const claims: Record<string, unknown> = {
    aud: audience,
    iss: issuer,
    iat: now,
    nbf: now,
    exp: now + TOKEN_LIFETIME_SECONDS,
    appid: principal.appId,
    azp: principal.appId,
    appidacr: principal.miResourceId ? '2' : '1',
    idp: issuer,
    idtyp: 'app',
    oid: principal.oid,
    sub: principal.oid,
    tid: tenantId,
    uti: randomBytes(16).toString('base64url'),
    ver: '2.0',
  };
  if (principal.miResourceId) claims.xms_mirid = principal.miResourceId;
  return signRs256(entraKey, claims);
}

export type TokenCheck =
  | { ok: true; claims: Record<string, unknown> }
  | { ok: false; reason: 'missing' | 'invalid' | 'expired' | 'audience' | 'tenant'; audience?: string };

// Verified tokens, so a read-heavy client (the tree view, the benchmark) pays one RSA verify per token.
const verified = new Map<string, Record<string, unknown>>();
const MAX_CACHED = 2000;

/** Checks an `Authorization: Bearer …` header against the sandbox Entra key, audience and expiry. */
export function checkBearer(
  ctx: SandboxContext,
  authorization: string | string[] | undefined,
  audiences: ReadonlySet<string>,
): TokenCheck {
  if (typeof authorization !== 'string' || !/^bearer\s+/i.test(authorization)) return { ok: false, reason: 'missing' };
  const token = authorization.replace(/^bearer\s+/i, '').trim();
  const key = ctx.store.state.entraKey;
  const cacheKey = `${key.kid}|${token}`;
  let claims = verified.get(cacheKey);
  if (!claims) {
    const decoded = decodeJwt(token);
    if (!decoded || decoded.header.kid !== key.kid || !verifyRs256(decoded, publicKeyOfJwk(key.publicJwk))) {
      return { ok: false, reason: 'invalid' };
    }
    claims = decoded.claims;
    if (verified.size >= MAX_CACHED) verified.clear();
    verified.set(cacheKey, claims);
  }
  const now = ctx.now() / 1000;
  if (typeof claims.exp !== 'number' || claims.exp < now - 300) return { ok: false, reason: 'expired' };
  if (claims.tid !== ctx.store.state.tenantId) return { ok: false, reason: 'tenant' };
  if (typeof claims.aud !== 'string' || !audiences.has(claims.aud)) {
    return { ok: false, reason: 'audience', audience: String(claims.aud) };
  }
  return { ok: true, claims };
}
