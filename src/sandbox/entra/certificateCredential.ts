import { constants, createHash, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { decodeJwt } from '../oidc/jwt';
import { outsideAssertionWindow, refuse, type AssertionRefusal } from './assertionChecks';

/**
 * An application's certificate credential (learn.microsoft.com/entra/identity-platform/
 * certificate-credentials): the client signs a JWT with the certificate's private key, names the
 * certificate in the header by its thumbprint (`x5t`: base64url SHA-1 of the DER, or `x5t#S256`:
 * SHA-256), and sends it as `client_assertion`. Entra finds the registered certificate by that
 * thumbprint, checks the signature (RS256; PS256 as MSAL Node signs with SHA-256 thumbprints),
 * that `iss` and `sub` are the client ID, that `aud` is the token endpoint, and the time window.
 * The sandbox's developer principal has one such certificate, kept in a file beside the state,
 * so a CLI can sign in without a secret on its command line.
 */
export interface RegisteredCertificate {
  /** SHA-1 thumbprint, upper-case hex, as the portal and Entra's messages show it. */
  readonly thumbprint: string;
  readonly x5t: string;
  readonly x5tS256: string;
  readonly publicKey: KeyObject;
}

export function registeredCertificate(pem: string): RegisteredCertificate {
  const cert = new X509Certificate(pem);
  const sha1 = createHash('sha1').update(cert.raw).digest();
  return {
    thumbprint: sha1.toString('hex').toUpperCase(),
    x5t: sha1.toString('base64url'),
    x5tS256: createHash('sha256').update(cert.raw).digest('base64url'),
    publicKey: cert.publicKey,
  };
}

export type AssertionCheck = { ok: true } | AssertionRefusal;

/**
 * `tokenEndpoints`: every URL the client may have posted to (the loopback origin's and
 * login.microsoftonline.com's, v2.0 and v1); `aud` must be one of them.
 */
export function checkCertificateAssertion(
  assertion: string,
  clientId: string,
  certificate: RegisteredCertificate | undefined,
  tokenEndpoints: readonly string[],
  nowSeconds: number,
): AssertionCheck {
  const decoded = decodeJwt(assertion);
  if (!decoded) return refuse(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.');
  const { header, claims } = decoded;
  const x5t = typeof header.x5t === 'string' ? header.x5t : undefined;
  const x5tS256 = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : undefined;
  if (!x5t && !x5tS256) {
    return refuse(
      401,
      'invalid_client',
      50027,
      'Invalid JWT token. No certificate thumbprint specified in token header.',
    );
  }
  // Compared as bytes: MSAL for Python pads its base64url (`…=`), MSAL Node does not.
  const same = (a: string | undefined, b: string): boolean =>
    a !== undefined && Buffer.from(a, 'base64url').equals(Buffer.from(b, 'base64url'));
  const known = certificate !== undefined && (same(x5t, certificate.x5t) || same(x5tS256, certificate.x5tS256));
  const shown = x5t
    ? Buffer.from(x5t, 'base64url').toString('hex').toUpperCase()
    : Buffer.from(x5tS256!, 'base64url').toString('hex').toUpperCase();
  if (!known) {
    return refuse(
      401,
      'invalid_client',
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${shown}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .]`,
    );
  }
  const data = Buffer.from(decoded.signingInput);
  const signed =
    header.alg === 'RS256'
      ? verify('sha256', data, certificate.publicKey, decoded.signature)
      : header.alg === 'PS256'
        ? verify(
            'sha256',
            data,
            { key: certificate.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
            decoded.signature,
          )
        : false;
  if (!signed) {
    return refuse(
      401,
      'invalid_client',
      700027,
      `Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '${shown}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`,
    );
  }
  if (claims.iss !== clientId || claims.sub !== clientId) {
    return refuse(
      401,
      'invalid_client',
      50027,
      `Invalid JWT token. The assertion's 'iss' and 'sub' must both be the client ID '${clientId}'.`,
    );
  }
  const aud = typeof claims.aud === 'string' ? claims.aud : '';
  if (!tokenEndpoints.includes(aud)) {
    return refuse(
      401,
      'invalid_client',
      50027,
      `Invalid JWT token. The assertion's audience '${aud}' is not this token endpoint.`,
    );
  }
  const late = outsideAssertionWindow(claims, nowSeconds);
  if (late) return refuse(401, 'invalid_client', 700024, late);
  return { ok: true };
}
