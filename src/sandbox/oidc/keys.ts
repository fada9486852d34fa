import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';

/** An RSA public key as a JSON Web Key, in the member order kube-apiserver's JWKS uses. */
export interface Jwk {
  use: 'sig';
  kty: 'RSA';
  kid: string;
  alg: 'RS256';
  n: string;
  e: string;
}

/** A cluster's service-account signing key. Plain strings only: it is stored in the state file. */
export interface SigningKey {
  kid: string;
  privateKeyPem: string;
  publicJwk: Jwk;
}

/**
 * kube-apiserver derives the key ID from the public key itself: base64url (no padding) of the
 * SHA-256 of its DER PKIX encoding (kubernetes/kubernetes pkg/serviceaccount/jwt.go, keyIDFromPublicKey).
 */
export function keyIdOf(publicKeyDer: Buffer): string {
  return createHash('sha256').update(publicKeyDer).digest('base64url');
}

/** A fresh RSA-2048 signing key, as AKS clusters sign service-account tokens with RS256. */
export function createSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  return signingKeyFromPrivatePem(
    privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey.export({ type: 'spki', format: 'der' }),
  );
}

/** Rebuilds the public half from a stored private key (used when only the PEM is known). */
export function signingKeyFromPrivatePem(privateKeyPem: string, spkiDer?: Buffer): SigningKey {
  const publicKey = createPublicKey(privateKeyPem);
  const der = spkiDer ?? publicKey.export({ type: 'spki', format: 'der' });
  const kid = keyIdOf(der);
  const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  return { kid, privateKeyPem, publicJwk: { use: 'sig', kty: 'RSA', kid, alg: 'RS256', n: jwk.n, e: jwk.e } };
}
