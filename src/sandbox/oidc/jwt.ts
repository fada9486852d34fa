import { createPrivateKey, sign } from 'node:crypto';
import type { SigningKey } from './keys';

/** Compact JWS (RFC 7515) with RS256, header `{alg, kid}` exactly as kube-apiserver writes it. */
export function signJwt(key: SigningKey, claims: Record<string, unknown>): string {
  const header = { alg: 'RS256', kid: key.kid };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(signingInput), createPrivateKey(key.privateKeyPem));
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** Decodes without verifying: for tests and for the TokenRequest response's expiry. */
export function decodeJwt(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [h, c] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h ?? '', 'base64url').toString('utf8')) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(c ?? '', 'base64url').toString('utf8')) as Record<string, unknown>,
  };
}

function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
