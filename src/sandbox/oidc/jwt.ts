/**
 * Compact JWS (RFC 7515) with RS256, for both token issuers of the sandbox: the clusters'
 * service-account tokens and Entra's access tokens. Signing and verifying reuse parsed KeyObjects.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { Jwk, SigningKey } from './keys';
import { isRecord } from '../../core/is';

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

// Parsing a PEM costs far more than an RSA signature: keep the KeyObjects.
const privateKeys = new Map<string, KeyObject>();
const publicKeys = new Map<string, KeyObject>();

function privateKeyOf(key: SigningKey): KeyObject {
  let k = privateKeys.get(key.privateKeyPem);
  if (!k) {
    k = createPrivateKey(key.privateKeyPem);
    privateKeys.set(key.privateKeyPem, k);
  }
  return k;
}

export function publicKeyOfJwk(jwk: Pick<Jwk, 'n' | 'e'>): KeyObject {
  const cacheKey = `${jwk.n}.${jwk.e}`;
  let k = publicKeys.get(cacheKey);
  if (!k) {
    k = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
    publicKeys.set(cacheKey, k);
  }
  return k;
}

/** Header `{alg, kid}` exactly as kube-apiserver writes it. */
export function signJwt(key: SigningKey, claims: Record<string, unknown>): string {
  return signWithHeader(key, { alg: 'RS256', kid: key.kid }, claims);
}

/** Header `{typ, alg, kid}` as Entra writes it. */
export function signRs256(key: SigningKey, claims: Record<string, unknown>): string {
  return signWithHeader(key, { typ: 'JWT', alg: 'RS256', kid: key.kid }, claims);
}

function signWithHeader(key: SigningKey, header: Record<string, string>, claims: Record<string, unknown>): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKeyOf(key)).toString('base64url')}`;
}

/** Splits and parses a compact JWS without verifying it; undefined when malformed. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as unknown;
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    if (!isRecord(header) || !isRecord(claims)) return undefined;
    return { header, claims, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2]!, 'base64url') };
  } catch {
    return undefined;
  }
}

export function verifyRs256(decoded: DecodedJwt, key: KeyObject): boolean {
  if (decoded.header.alg !== 'RS256') return false;
  return verify('sha256', Buffer.from(decoded.signingInput), key, decoded.signature);
}
