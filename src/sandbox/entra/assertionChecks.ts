/**
 * What the two kinds of client assertion Entra accepts (a federated token, a certificate-signed
 * JWT) share: the refusal they are answered with, and the lifetime check.
 */

/** A refused assertion: the HTTP status, the OAuth error and the AADSTS code with its text. */
export interface AssertionRefusal {
  ok: false;
  status: number;
  error: string;
  code: number;
  text: string;
}

export function refuse(status: number, error: string, code: number, text: string): AssertionRefusal {
  return { ok: false, status, error, code, text };
}

/** Entra tolerates five minutes of clock skew on a client assertion's lifetime. */
const SKEW_SECONDS = 300;

/**
 * The AADSTS700024 text when a client assertion (a federated token or a certificate-signed JWT)
 * is outside its lifetime: `exp`, and `nbf` (or `iat`), each with the skew. Undefined when valid.
 * Entra's wording, with its seven-digit fractions (learn.microsoft.com/entra/identity-platform/reference-error-codes).
 */
export function outsideAssertionWindow(claims: Record<string, unknown>, nowSeconds: number): string | undefined {
  const exp = typeof claims.exp === 'number' ? claims.exp : 0;
  const nbf = typeof claims.nbf === 'number' ? claims.nbf : typeof claims.iat === 'number' ? claims.iat : 0;
  if (nowSeconds <= exp + SKEW_SECONDS && nowSeconds + SKEW_SECONDS >= nbf) return undefined;
  return `Client assertion is not within its valid time range. Current time: ${iso(nowSeconds)}, assertion valid from ${iso(nbf)}, expiry time of assertion ${iso(exp)}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`;
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '.0000000Z');
}
