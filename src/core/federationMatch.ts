/**
 * Pure matching of federated identity credentials to cluster issuers and ServiceAccounts.
 * Entra compares issuer, subject and audience exactly: case and a trailing slash matter, and a
 * missing trailing slash is the most reported cause of AADSTS70021
 * (Azure/azure-workload-identity docs/book/src/troubleshooting.md).
 * So an exact match is the only match; near misses are reported so the user can see why.
 */
export const WORKLOAD_IDENTITY_AUDIENCE = 'api://AzureADTokenExchange';
const SUBJECT_RE = /^system:serviceaccount:([^:]+):([^:]+)$/;

export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

/** An issuer the user has: an AKS cluster's, or a kube context's discovery document's. */
export interface KnownIssuer {
  readonly issuer: string;
  /** What to call it in messages: the cluster or context name. */
  readonly source: string;
  /** The cluster's ServiceAccounts when a kube context could list them; undefined = unknown. */
  readonly serviceAccounts?: readonly ServiceAccountRef[];
}

export interface CredentialLike {
  readonly issuer: string;
  readonly subject: string;
  readonly audiences: readonly string[];
}

export type CredentialWarning =
  | { readonly kind: 'issuerWhitespace'; readonly issuer: string }
  | { readonly kind: 'issuerTrailingSlash'; readonly expected: string; readonly source: string }
  | { readonly kind: 'issuerCase'; readonly expected: string; readonly source: string }
  | { readonly kind: 'issuerUnknown'; readonly issuer: string }
  | { readonly kind: 'subjectNotServiceAccount'; readonly subject: string }
  | {
      readonly kind: 'serviceAccountNotFound';
      readonly namespace: string;
      readonly name: string;
      readonly source: string;
    }
  | { readonly kind: 'serviceAccountCase'; readonly expected: ServiceAccountRef; readonly source: string }
  | { readonly kind: 'audience'; readonly audiences: readonly string[] };

export interface CredentialMatch {
  /** The issuer it trusts exactly, if any. */
  readonly issuer?: KnownIssuer;
  /** The issuer it was probably meant to trust (exact or near miss). */
  readonly intended?: KnownIssuer;
  readonly warnings: readonly CredentialWarning[];
}

export function parseSubject(subject: string): ServiceAccountRef | undefined {
  const m = SUBJECT_RE.exec(subject);
  return m ? { namespace: m[1], name: m[2] } : undefined;
}

export function serviceAccountSubject(sa: ServiceAccountRef): string {
  return `system:serviceaccount:${sa.namespace}:${sa.name}`;
}

const stripSlash = (s: string) => s.replace(/\/+$/, '');

/** How `actual` differs from `expected`: undefined = not the same issuer at all. */
export function issuerDifference(
  actual: string,
  expected: string,
): { slash: boolean; case: boolean; whitespace: boolean } | undefined {
  if (actual === expected) return { slash: false, case: false, whitespace: false };
  const trimmed = actual.trim();
  const whitespace = trimmed !== actual;
  const a = stripSlash(trimmed);
  const e = stripSlash(expected.trim());
  if (a.toLowerCase() !== e.toLowerCase()) return undefined;
  return { whitespace, slash: trimmed.endsWith('/') !== expected.trim().endsWith('/'), case: a !== e };
}

export function matchCredential(cred: CredentialLike, known: readonly KnownIssuer[]): CredentialMatch {
  const warnings: CredentialWarning[] = [];
  const audiences = cred.audiences;
  if (audiences.length !== 1 || audiences[0] !== WORKLOAD_IDENTITY_AUDIENCE) {
    warnings.push({ kind: 'audience', audiences });
  }

  const exact = known.find((k) => k.issuer === cred.issuer);
  let intended = exact;
  if (!exact) {
    for (const k of known) {
      const d = issuerDifference(cred.issuer, k.issuer);
      if (!d) continue;
      intended = k;
      if (d.whitespace) warnings.push({ kind: 'issuerWhitespace', issuer: cred.issuer });
      if (d.slash) warnings.push({ kind: 'issuerTrailingSlash', expected: k.issuer, source: k.source });
      if (d.case) warnings.push({ kind: 'issuerCase', expected: k.issuer, source: k.source });
      break;
    }
    if (!intended) warnings.push({ kind: 'issuerUnknown', issuer: cred.issuer });
  }

  // Only a Kubernetes issuer implies the ServiceAccount subject form (GitHub Actions etc. differ).
  if (intended) {
    const sa = parseSubject(cred.subject);
    if (!sa) warnings.push({ kind: 'subjectNotServiceAccount', subject: cred.subject });
    else if (intended.serviceAccounts) {
      const found = intended.serviceAccounts.some((s) => s.namespace === sa.namespace && s.name === sa.name);
      if (!found) {
        const near = intended.serviceAccounts.find(
          (s) =>
            s.namespace.toLowerCase() === sa.namespace.toLowerCase() && s.name.toLowerCase() === sa.name.toLowerCase(),
        );
        warnings.push(
          near
            ? { kind: 'serviceAccountCase', expected: near, source: intended.source }
            : { kind: 'serviceAccountNotFound', namespace: sa.namespace, name: sa.name, source: intended.source },
        );
      }
    }
  }
  return { issuer: exact, intended, warnings };
}

/** A ServiceAccount as the explorer sees it on a cluster. */
export interface AnnotatedServiceAccount extends ServiceAccountRef {
  readonly clientId?: string;
  readonly tenantId?: string;
  readonly roleArn?: string;
}

export interface IdentityWithCredentials<C extends CredentialLike = CredentialLike> {
  readonly clientId: string;
  readonly name: string;
  readonly credentials?: readonly C[];
}

export type ServiceAccountStatus =
  | 'matched' // an identity with that client ID trusts this issuer + subject exactly
  | 'nearMatch' // a credential differs only by case / trailing slash / whitespace
  | 'noCredential' // the identity exists but trusts no credential for this ServiceAccount
  | 'unknownIdentity' // no identity we can see has that client ID
  | 'noIssuer' // the cluster has no OIDC issuer: nothing can match
  | 'irsa'; // EKS IRSA: trust lives in IAM, out of reach here

export interface ServiceAccountMatch<C extends CredentialLike = CredentialLike> {
  readonly status: ServiceAccountStatus;
  readonly identity?: IdentityWithCredentials<C>;
  readonly credential?: C;
}

export function matchServiceAccount<C extends CredentialLike>(
  sa: AnnotatedServiceAccount,
  clusterIssuer: string | undefined,
  identities: readonly IdentityWithCredentials<C>[],
): ServiceAccountMatch<C> {
  if (!sa.clientId && sa.roleArn) return { status: 'irsa' };
  const identity = identities.find((i) => sa.clientId && i.clientId.toLowerCase() === sa.clientId.trim().toLowerCase());
  if (!clusterIssuer) return { status: 'noIssuer', identity };
  if (!identity) return { status: 'unknownIdentity' };
  const subject = serviceAccountSubject(sa);
  const creds = identity.credentials ?? [];
  const exact = creds.find(
    (c) => c.issuer === clusterIssuer && c.subject === subject && c.audiences.includes(WORKLOAD_IDENTITY_AUDIENCE),
  );
  if (exact) return { status: 'matched', identity, credential: exact };
  const near = creds.find(
    (c) => issuerDifference(c.issuer, clusterIssuer) && c.subject.toLowerCase() === subject.toLowerCase(),
  );
  if (near) return { status: 'nearMatch', identity, credential: near };
  return { status: 'noCredential', identity };
}

export interface CredentialTrust<C extends CredentialLike = CredentialLike> {
  readonly credential: C;
  readonly match: CredentialMatch;
}

/**
 * What the cloud says about a ServiceAccount manifest that names a client ID: the identity's
 * credentials whose subject is this ServiceAccount, each matched to the known issuers. The
 * manifest does not say which cluster it goes to, so every such credential is reported.
 */
export function serviceAccountTrust<C extends CredentialLike>(
  sa: ServiceAccountRef,
  credentials: readonly C[],
  known: readonly KnownIssuer[],
): { readonly subject: string; readonly trusts: readonly CredentialTrust<C>[]; readonly nearSubjects: readonly C[] } {
  const subject = serviceAccountSubject(sa);
  const trusts = credentials
    .filter((c) => c.subject === subject)
    .map((credential) => ({ credential, match: matchCredential(credential, known) }));
  // A credential whose subject differs only by case (Entra answers AADSTS7002138).
  const nearSubjects = credentials.filter(
    (c) => c.subject !== subject && c.subject.toLowerCase() === subject.toLowerCase(),
  );
  return { subject, trusts, nearSubjects };
}
