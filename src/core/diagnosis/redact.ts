/**
 * Tokens and secrets never reach a report, a log or the CLI's output. Anything shaped like a JWT
 * (three base64url parts, RFC 7519 compact serialization), a bearer header or an Entra client
 * secret (`…Q~…`) is replaced before text leaves the diagnosis.
 */
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
const CLIENT_SECRET = /\b[A-Za-z0-9_.-]{3,8}Q~[A-Za-z0-9_.~-]{20,}/g;
const ASSERTION_PARAM = /\b(client_assertion|access_token|client_secret|refresh_token|id_token)=([^&\s]+)/gi;

export function redactText(text: string): string {
  return text
    .replace(JWT, '[redacted token]')
    .replace(BEARER, '$1[redacted]')
    .replace(CLIENT_SECRET, '[redacted secret]')
    .replace(ASSERTION_PARAM, '$1=[redacted]');
}

/** Deep copy of evidence with every string redacted and secret-looking keys blanked. */
export function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        /^(token|access_?token|client_?secret|secret_?value|password|assertion)$/i.test(k) &&
        typeof v === 'string' &&
        !v.startsWith('[')
          ? '[redacted]'
          : redactValue(v);
    }
    return out;
  }
  return value;
}
