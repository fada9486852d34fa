import { WORKLOAD_IDENTITY_AUDIENCE } from '../../federationMatch';
import { errorEvidence, expectedSubject, msg, passed, result, skipAfter, type Check } from '../checkContext';

/**
 * A TokenRequest with the exchange audience (authentication.k8s.io/v1): the token the webhook
 * projects into pods. Its decoded `iss`/`sub`/`aud` are what Entra will compare with the
 * credential; the token itself is never kept in the evidence.
 */
export const checkTokenRequest: Check = (c) => {
  const id = 'token-request';
  const { tokenRequest, cluster, o } = { ...c.o, o: c.o };
  if (!passed(c, 'serviceaccount')) return skipAfter(c, id, 'serviceaccount');
  if (!tokenRequest) return skipAfter(c, id, 'serviceaccount');
  if (!tokenRequest.ok) {
    return result(id, 'fail', msg(c, 'token.failed', tokenRequest.error.message), errorEvidence(tokenRequest));
  }
  const t = tokenRequest.value;
  const fic = c.prior.get('federated-credential')?.evidence as
    { matched?: { issuer: string; subject: string }; closest?: { issuer: string; subject: string } } | undefined;
  const credential = fic?.matched ?? fic?.closest;
  const evidence = {
    iss: t.iss,
    sub: t.sub,
    aud: t.aud,
    expirationSeconds: t.expirationSeconds,
    credentialIssuer: credential?.issuer ?? null,
    credentialSubject: credential?.subject ?? null,
  };
  const armIssuer = cluster?.ok ? cluster.value.issuerUrl : undefined;
  if (armIssuer && t.iss !== armIssuer) {
    return result(id, 'fail', msg(c, 'token.issuerMismatch', t.iss, armIssuer), evidence);
  }
  const subject = expectedSubject(o);
  if (t.sub !== subject) return result(id, 'fail', msg(c, 'token.subjectMismatch', t.sub, subject), evidence);
  return result(
    id,
    'pass',
    msg(c, 'token.ok', t.iss, t.sub, t.aud.join(', ') || WORKLOAD_IDENTITY_AUDIENCE, t.expirationSeconds),
    evidence,
  );
};
