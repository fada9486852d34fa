import { Agent, request } from 'node:https';
import type { SandboxContext } from '../context';
import type { FederatedCredentialRecord, IdentityRecord } from '../state';
import { decodeJwt, publicKeyOfJwk, verifyRs256, type DecodedJwt } from '../oidc/jwt';
import { outsideAssertionWindow, refuse, type AssertionRefusal } from './assertionChecks';
import { LOGIN_HOST, loopbackIssuerUrl, publicOrigin, sameIssuer, siteOf } from '../publicNames';

/** The outcome of checking a client assertion against an identity's federated credentials. */
export type FederationResult = { ok: true; credential: FederatedCredentialRecord } | AssertionRefusal;

const DOCS = 'https://learn.microsoft.com/entra/workload-id/workload-identity-federation';

function audiencesOf(claims: Record<string, unknown>): string[] {
  const aud = claims.aud;
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

/** Issuers that differ only by case, surrounding whitespace or a trailing slash: the classic AADSTS70021
 * (Azure/azure-workload-identity docs/book/src/troubleshooting.md). */
function nearMiss(a: string, b: string): boolean {
  const norm = (s: string): string => s.trim().replace(/\/+$/, '').toLowerCase();
  return norm(a) === norm(b);
}

/**
 * Entra's federated-credential matching (learn.microsoft.com/entra/workload-id/
 * workload-identity-federation; error codes: learn.microsoft.com/entra/identity-platform/reference-error-codes): find the credential whose issuer, subject and audience equal the assertion's
 * exactly; then fetch the issuer's discovery document and JWKS over HTTPS, verify the RS256
 * signature by `kid`, then `exp`/`nbf`. Which error a mismatch gets:
 * - no credential with the issuer: AADSTS700211, except a near miss (trailing slash, case,
 *   whitespace), reported as AADSTS70021 with the compared values, as users see it;
 * - issuer found, no credential with the subject: AADSTS7002138 when it matches ignoring case,
 *   else AADSTS700213;
 * - issuer and subject found, audience differs: AADSTS700212;
 * - a matching credential younger than the propagation knob: AADSTS70021.
 */
export async function verifyAssertion(
  ctx: SandboxContext,
  identity: IdentityRecord,
  assertion: string,
): Promise<FederationResult> {
  const decoded = decodeJwt(assertion);
  if (!decoded) return refuse(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.');
  const { claims } = decoded;
  const iss = typeof claims.iss === 'string' ? claims.iss : '';
  const sub = typeof claims.sub === 'string' ? claims.sub : '';
  const auds = audiencesOf(claims);
  const audText = auds.join(',');
  const tenantId = ctx.store.state.tenantId;
  if (iss === `${ctx.origin}/${tenantId}/v2.0` || iss === `${publicOrigin(LOGIN_HOST)}/${tenantId}/v2.0`) {
    return refuse(400, 'invalid_request', 700222, 'AAD-issued tokens may not be used for federated identity flows.');
  }
  const creds = Object.values(identity.federatedCredentials);
  const mismatch70021 = (): FederationResult =>
    refuse(
      400,
      'invalid_request',
      70021,
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${iss}'. Assertion Subject: '${sub}'. Assertion Audience: '${audText}'. ${DOCS}`,
    );

  // The issuer's loopback and public spellings are one issuer (publicNames.ts); nothing else is.
  const byIssuer = creds.filter((c) => sameIssuer(c.issuer, iss, siteOf(ctx)));
  if (byIssuer.length === 0) {
    if (creds.some((c) => nearMiss(loopbackIssuerUrl(c.issuer, siteOf(ctx)), loopbackIssuerUrl(iss, siteOf(ctx))))) {
      return mismatch70021();
    }
    return refuse(
      401,
      'invalid_client',
      700211,
      `No matching federated identity record found for presented assertion issuer '${iss}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${DOCS}`,
    );
  }
  const bySubject = byIssuer.filter((c) => c.subject === sub);
  if (bySubject.length === 0) {
    if (byIssuer.some((c) => c.subject.toLowerCase() === sub.toLowerCase())) {
      return refuse(
        401,
        'invalid_client',
        7002138,
        `No matching federated identity record found for presented assertion subject '${sub}'. The subject matches a federated identity credential only when compared case-insensitively; subject comparison is case-sensitive. ${DOCS}`,
      );
    }
    return refuse(
      401,
      'invalid_client',
      700213,
      `No matching federated identity record found for presented assertion subject '${sub}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${DOCS}`,
    );
  }
  const match = bySubject.find((c) => c.audiences.some((a) => auds.includes(a)));
  if (!match) {
    return refuse(
      401,
      'invalid_client',
      700212,
      `No matching federated identity record found for presented assertion audience '${audText}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${DOCS}`,
    );
  }
  if (ctx.now() - match.createdAt < ctx.knobs.ficPropagationSeconds * 1000) return mismatch70021();

  const keys = await fetchIssuerKeys(ctx, loopbackIssuerUrl(iss, siteOf(ctx)));
  if (!keys.ok) {
    return refuse(400, 'invalid_request', 90061, `Request to External OIDC endpoint failed. ${keys.detail}`);
  }
  const kid = decoded.header.kid;
  const jwk = keys.keys.find((k) => k.kid === kid);
  if (!jwk || !verifySignature(decoded, jwk)) {
    return refuse(
      401,
      'invalid_client',
      50013,
      `Assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by client: '${String(kid)}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${identity.clientId}'.]`,
    );
  }
  const late = outsideAssertionWindow(claims, Math.floor(ctx.now() / 1000));
  if (late) return refuse(401, 'invalid_client', 700024, late);
  return { ok: true, credential: match };
}

function verifySignature(decoded: DecodedJwt, jwk: Record<string, unknown>): boolean {
  if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') return false;
  try {
    return verifyRs256(decoded, publicKeyOfJwk({ n: jwk.n, e: jwk.e }));
  } catch {
    return false;
  }
}

type KeysResult = { ok: true; keys: Record<string, unknown>[] } | { ok: false; detail: string };

/** `{iss}/.well-known/openid-configuration`, then its `jwks_uri`: real HTTPS requests, as Entra makes them. */
async function fetchIssuerKeys(ctx: SandboxContext, issuer: string): Promise<KeysResult> {
  let discoveryUrl: URL;
  try {
    discoveryUrl = new URL(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`);
  } catch {
    return { ok: false, detail: `The issuer '${issuer}' is not a valid URL.` };
  }
  if (discoveryUrl.protocol !== 'https:') return { ok: false, detail: `The issuer '${issuer}' must use https.` };
  // Only the sandbox's own issuers are reachable: it trusts no CA but its own, and must not
  // reach out to the network on behalf of a token's claims.
  if (discoveryUrl.origin !== ctx.origin) {
    return {
      ok: false,
      detail: `The sandbox can reach only the issuers it serves (${ctx.origin}/oidc/…), not '${issuer}'.`,
    };
  }
  const discovery = await getJson(ctx, discoveryUrl);
  if (!discovery.ok) return { ok: false, detail: `Discovery document: ${discovery.detail}` };
  const jwksUri = discovery.body.jwks_uri;
  if (typeof jwksUri !== 'string') return { ok: false, detail: 'The discovery document has no jwks_uri.' };
  let jwksUrl: URL;
  try {
    jwksUrl = new URL(jwksUri);
  } catch {
    return { ok: false, detail: `Invalid jwks_uri '${jwksUri}'.` };
  }
  if (jwksUrl.origin !== ctx.origin) {
    return { ok: false, detail: `The jwks_uri '${jwksUri}' is not served by the sandbox.` };
  }
  const jwks = await getJson(ctx, jwksUrl);
  if (!jwks.ok) return { ok: false, detail: `JWKS: ${jwks.detail}` };
  const keys = Array.isArray(jwks.body.keys)
    ? jwks.body.keys.filter((k): k is Record<string, unknown> => typeof k === 'object' && k !== null)
    : [];
  return { ok: true, keys };
}

const agents = new Map<string, Agent>();

function agentFor(caPem: string): Agent {
  let agent = agents.get(caPem);
  if (!agent) {
    agent = new Agent({ ca: caPem, keepAlive: false });
    agents.set(caPem, agent);
  }
  return agent;
}

function getJson(
  ctx: SandboxContext,
  url: URL,
): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; detail: string }> {
  return new Promise((resolve) => {
    const req = request(
      url,
      { method: 'GET', agent: agentFor(ctx.caPem), timeout: 10_000, headers: { accept: 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 200) {
            resolve({ ok: false, detail: `GET ${url.href} returned HTTP ${res.statusCode ?? 0}.` });
            return;
          }
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
            if (typeof body !== 'object' || body === null) throw new Error('not an object');
            resolve({ ok: true, body: body as Record<string, unknown> });
          } catch {
            resolve({ ok: false, detail: `GET ${url.href} did not return JSON.` });
          }
        });
        res.on('error', (e) => resolve({ ok: false, detail: e.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${url.href} timed out.`)));
    req.on('error', (e) => resolve({ ok: false, detail: `GET ${url.href} failed: ${e.message}` }));
    req.end();
  });
}
