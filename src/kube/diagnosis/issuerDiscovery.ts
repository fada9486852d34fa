import { request } from 'node:https';
import type { DiscoveryObservation } from '../../core/diagnosis/observation';

const TIMEOUT_MS = 10_000;

function getJson(url: string, ca: string | undefined): Promise<{ status: number; body?: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'GET', ca, headers: { accept: 'application/json' }, timeout: TIMEOUT_MS },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => {
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * What Entra does before it trusts a token: GET `{issuer}.well-known/openid-configuration`
 * (the issuer ends in `/`; OpenID Connect Discovery 1.0 §4), then the document's `jwks_uri`.
 */
export async function fetchIssuerDiscovery(issuerUrl: string, ca?: string): Promise<DiscoveryObservation> {
  const url = `${issuerUrl.endsWith('/') ? issuerUrl : `${issuerUrl}/`}.well-known/openid-configuration`;
  let doc: { status: number; body?: unknown };
  try {
    doc = await getJson(url, ca);
  } catch (e) {
    return { url, failure: { stage: 'discovery', message: (e as Error).message } };
  }
  if (doc.status !== 200 || !doc.body || typeof doc.body !== 'object') {
    return { url, failure: { stage: 'discovery', status: doc.status, message: `HTTP ${doc.status}` } };
  }
  const d = doc.body as { issuer?: unknown; jwks_uri?: unknown };
  const issuer = typeof d.issuer === 'string' ? d.issuer : undefined;
  const jwksUri = typeof d.jwks_uri === 'string' ? d.jwks_uri : undefined;
  if (!jwksUri) return { url, issuer, failure: { stage: 'jwks', message: 'the discovery document has no jwks_uri' } };
  try {
    const jwks = await getJson(jwksUri, ca);
    if (jwks.status !== 200) {
      return { url, issuer, jwksUri, failure: { stage: 'jwks', status: jwks.status, message: `HTTP ${jwks.status}` } };
    }
    const keys = (jwks.body as { keys?: unknown[] } | undefined)?.keys;
    return { url, issuer, jwksUri, keyCount: Array.isArray(keys) ? keys.length : 0 };
  } catch (e) {
    return { url, issuer, jwksUri, failure: { stage: 'jwks', message: (e as Error).message } };
  }
}
