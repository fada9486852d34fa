import { errorEvidence, msg, passed, result, skipAfter, type Check } from '../checkContext';

/**
 * Entra fetches `{issuer}.well-known/openid-configuration`, then `jwks_uri`, and compares the
 * document's `issuer` with the token's exactly (OpenID Connect Discovery 1.0, section 4.3); a
 * fetch failure is AADSTS90061 (learn.microsoft.com, "workload identity federation considerations").
 */
export const checkIssuerDiscovery: Check = (c) => {
  const id = 'issuer.discovery';
  const { cluster, discovery } = c.o;
  if (!passed(c, 'cluster.oidc-issuer') || !cluster?.ok || !cluster.value.issuerUrl) {
    return skipAfter(c, id, 'cluster.oidc-issuer');
  }
  const armIssuer = cluster.value.issuerUrl;
  if (!discovery) return result(id, 'skip', msg(c, 'skip.notObserved'), { reason: 'not observed' });
  if (!discovery.ok) {
    return result(id, 'fail', msg(c, 'discovery.failed', 'discovery document', armIssuer, discovery.error.message), {
      armIssuer,
      ...errorEvidence(discovery),
    });
  }
  const d = discovery.value;
  const evidence = {
    url: d.url,
    armIssuer,
    discoveryIssuer: d.issuer ?? null,
    jwksUri: d.jwksUri ?? null,
    keys: d.keyCount ?? null,
  };
  if (d.failure) {
    const what = d.failure.stage === 'jwks' ? 'JWKS' : 'discovery document';
    const why = d.failure.status !== undefined ? `HTTP ${d.failure.status}` : d.failure.message;
    return result(
      id,
      'fail',
      msg(c, 'discovery.failed', what, d.failure.stage === 'jwks' ? (d.jwksUri ?? d.url) : d.url, why),
      { ...evidence, failure: d.failure },
    );
  }
  if (d.issuer !== armIssuer) {
    return result(id, 'fail', msg(c, 'discovery.mismatch', d.issuer ?? '', armIssuer), evidence);
  }
  if (!d.keyCount) return result(id, 'fail', msg(c, 'discovery.noKeys', d.jwksUri ?? ''), evidence);
  return result(id, 'pass', msg(c, 'discovery.ok', d.keyCount), evidence);
};
