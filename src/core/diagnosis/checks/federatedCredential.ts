import { matchCredential, parseSubject, WORKLOAD_IDENTITY_AUDIENCE, type KnownIssuer } from '../../federationMatch';
import {
  ageSeconds,
  errorEvidence,
  expectedSubject,
  iso,
  msg,
  passed,
  result,
  skipAfter,
  type Check,
  type CheckContext,
} from '../checkContext';
import type { CredentialObservation } from '../observation';

/** At most 20 credentials per identity (learn.microsoft.com, workload identity federation considerations). */
const CREDENTIAL_LIMIT = 20;
const NEAR_LIMIT = 18;

export type CredentialDifference =
  | { readonly kind: 'issuerTrailingSlash' | 'issuerCase' | 'issuerWhitespace' | 'issuerUnknown' | 'subjectCase' }
  | { readonly kind: 'issuerOtherCluster'; readonly cluster: string }
  | { readonly kind: 'subjectNamespace'; readonly namespace: string }
  | { readonly kind: 'subjectName'; readonly name: string }
  | { readonly kind: 'subjectOther'; readonly subject: string }
  | { readonly kind: 'audience'; readonly audiences: readonly string[] };

/**
 * How one credential differs from what Entra will be shown. The issuer and audience near misses
 * come from the explorer's matcher (core/federationMatch.ts); the subject is compared here
 * against the one ServiceAccount under diagnosis.
 */
export function credentialDifferences(
  cred: CredentialObservation,
  issuer: string,
  cluster: string,
  others: readonly KnownIssuer[],
  namespace: string,
  name: string,
): CredentialDifference[] {
  const diffs: CredentialDifference[] = [];
  const m = matchCredential(cred, [{ issuer, source: cluster }, ...others]);
  const intended = m.intended;
  if (intended && intended.source !== cluster) diffs.push({ kind: 'issuerOtherCluster', cluster: intended.source });
  for (const w of m.warnings) {
    if (w.kind === 'audience') diffs.push({ kind: 'audience', audiences: w.audiences });
    else if (w.kind === 'issuerUnknown') diffs.push({ kind: 'issuerUnknown' });
    else if (
      intended?.source === cluster &&
      (w.kind === 'issuerTrailingSlash' || w.kind === 'issuerCase' || w.kind === 'issuerWhitespace')
    ) {
      diffs.push({ kind: w.kind });
    }
  }
  const want = `system:serviceaccount:${namespace}:${name}`;
  if (cred.subject !== want) {
    const sa = parseSubject(cred.subject);
    if (cred.subject.toLowerCase() === want.toLowerCase()) diffs.push({ kind: 'subjectCase' });
    else if (sa && sa.name === name) diffs.push({ kind: 'subjectNamespace', namespace: sa.namespace });
    else if (sa && sa.namespace === namespace) diffs.push({ kind: 'subjectName', name: sa.name });
    else diffs.push({ kind: 'subjectOther', subject: cred.subject });
  }
  return diffs;
}

function describe(c: CheckContext, d: CredentialDifference): string {
  switch (d.kind) {
    case 'issuerOtherCluster':
      return msg(c, 'diff.issuerOtherCluster', d.cluster);
    case 'subjectNamespace':
      return msg(c, 'diff.subjectNamespace', d.namespace);
    case 'subjectName':
      return msg(c, 'diff.subjectName', d.name);
    case 'subjectOther':
      return msg(c, 'diff.subjectOther', d.subject);
    case 'audience':
      return msg(c, 'diff.audience', d.audiences.join(', ') || '(none)');
    default:
      return msg(c, `diff.${d.kind}`);
  }
}

/** Issuer + subject + audience must all match exactly (Entra compares them case-sensitively). */
export const checkFederatedCredential: Check = (c) => {
  const id = 'federated-credential';
  const { o } = c;
  if (!passed(c, 'identity') || !o.identity?.ok || !o.identity.value.identity) return skipAfter(c, id, 'identity');
  if (!o.cluster?.ok || !o.cluster.value.issuerUrl) return skipAfter(c, id, 'cluster.oidc-issuer');
  if (!o.credentials) return skipAfter(c, id, 'identity');
  if (!o.credentials.ok) {
    return result(id, 'fail', msg(c, 'fic.unreadable', o.credentials.error.message), errorEvidence(o.credentials));
  }
  const identity = o.identity.value.identity;
  const issuer = o.cluster.value.issuerUrl;
  const subject = expectedSubject(o);
  const creds = o.credentials.value;
  const expected = { issuer, subject, audience: WORKLOAD_IDENTITY_AUDIENCE };
  const nearLimit = creds.length >= NEAR_LIMIT ? msg(c, 'fic.nearLimit', creds.length) : '';
  const base = { expected, identity: identity.name, credentialCount: creds.length, limit: CREDENTIAL_LIMIT };
  const exact = creds.find(
    (k) =>
      k.issuer === issuer &&
      k.subject === subject &&
      k.audiences.length === 1 &&
      k.audiences[0] === WORKLOAD_IDENTITY_AUDIENCE,
  );
  if (exact) {
    const age = ageSeconds(o.now, exact.createdAt);
    const evidence = {
      ...base,
      matched: {
        name: exact.name,
        issuer: exact.issuer,
        subject: exact.subject,
        audiences: exact.audiences,
        createdAt: iso(exact.createdAt) ?? null,
        ageSeconds: age ?? null,
      },
    };
    const windowS = Math.round(o.propagation.credentialMs / 1000);
    // Once a real exchange succeeded the credential has propagated, whatever its age.
    const exchanged = o.exchange?.ok === true && o.exchange.value.ok;
    if (age !== undefined && age * 1000 < o.propagation.credentialMs && !exchanged) {
      return result(id, 'warn', msg(c, 'fic.young', exact.name, age, windowS) + nearLimit, evidence, {
        propagation: true,
        fix: 'propagation',
      });
    }
    if (nearLimit) return result(id, 'warn', msg(c, 'fic.ok', exact.name) + nearLimit, evidence);
    return result(id, 'pass', msg(c, 'fic.ok', exact.name), evidence);
  }
  const others = (o.knownIssuers ?? []).filter((k) => k.issuer !== issuer);
  const ranked = creds
    .map((cred) => ({
      cred,
      diffs: credentialDifferences(
        cred,
        issuer,
        o.cluster!.ok ? o.cluster!.value.name : '',
        others,
        o.target.namespace,
        o.target.serviceAccount,
      ),
    }))
    // Relevant: the issuer is this cluster's (up to a near miss), or the subject is about this ServiceAccount.
    .filter(
      ({ diffs }) =>
        !diffs.some((d) => d.kind === 'issuerOtherCluster') || !diffs.some((d) => d.kind.startsWith('subject')),
    )
    .filter(
      ({ diffs }) => !(diffs.some((d) => d.kind === 'subjectOther') && diffs.some((d) => d.kind.startsWith('issuer'))),
    )
    .sort((a, b) => a.diffs.length - b.diffs.length);
  const closest = ranked[0];
  if (!closest) {
    return result(
      id,
      'fail',
      msg(c, 'fic.none', identity.name, issuer, subject) + nearLimit,
      {
        ...base,
        credentials: creds.map((k) => ({ name: k.name, issuer: k.issuer, subject: k.subject, audiences: k.audiences })),
      },
      { fix: 'federated-credential' },
    );
  }
  const { cred, diffs } = closest;
  return result(
    id,
    'fail',
    msg(c, 'fic.nearMiss', cred.name, diffs.map((d) => describe(c, d)).join('; ')) + nearLimit,
    {
      ...base,
      closest: { name: cred.name, issuer: cred.issuer, subject: cred.subject, audiences: cred.audiences },
      differences: diffs.map((d) => d.kind),
      differenceDetails: diffs,
    },
    { fix: 'federated-credential' },
  );
};
