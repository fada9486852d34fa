/**
 * IAM trust policies for IRSA (aws/amazon-eks-pod-identity-webhook README.md; eksctl pkg/iam/oidc/api.go):
 * `Principal.Federated: arn:aws:iam::<acct>:oidc-provider/<issuer>`, `Action:
 * sts:AssumeRoleWithWebIdentity`, conditions `<issuer>:sub = system:serviceaccount:NS:NAME` and
 * `<issuer>:aud = sts.amazonaws.com`.
 *
 * Bounded work on any input: the text is parsed once (jsonSpans.ts), exact subjects are Map
 * lookups, wildcard subjects are matched (glob.ts) against the namespaces and then the names of
 * the matching namespaces only, each distinct pattern once, within a budget of comparisons.
 */
import { globMatch, hasWildcard } from '../glob';
import { elements, member, parseJsonSpans } from '../jsonSpans';
import type { JsonSpan } from '../jsonSpans';
import type { RuleContext } from './ruleContext';

export function looksLikeTrustPolicy(text: string): boolean {
  const head = text.trimStart();
  return head.startsWith('{') && text.includes('AssumeRoleWithWebIdentity');
}

/**
 * Glob comparisons per policy (namespace and name matches together). A real policy has a handful
 * of subjects (IAM caps a trust policy at 2,048 characters, 4,096 with a quota increase); wildcard
 * subjects beyond the budget are left unchecked, and the analysis says how many.
 */
export const MAX_GLOB_COMPARISONS = 2_000_000;

function isString(node: JsonSpan | undefined): node is Extract<JsonSpan, { kind: 'string' }> {
  return node?.kind === 'string';
}

/** The statements that grant sts:AssumeRoleWithWebIdentity, or undefined when the text is not a JSON trust policy. */
export function parseTrustPolicy(text: string): JsonSpan[] | undefined {
  if (!looksLikeTrustPolicy(text)) return undefined;
  const doc = parseJsonSpans(text);
  if (doc?.kind !== 'object') return undefined;
  return elements(member(doc, 'Statement')).filter(
    (s) =>
      s.kind === 'object' &&
      elements(member(s, 'Action')).some((a) => isString(a) && a.value === 'sts:AssumeRoleWithWebIdentity'),
  );
}

export interface TrustPolicyResult {
  readonly statements: number;
  /** Wildcard subjects not compared with the workspace's ServiceAccounts (budget spent). */
  readonly unchecked: number;
}

export function checkTrustPolicy(ctx: RuleContext, text: string): TrustPolicyResult {
  const statements = parseTrustPolicy(text);
  if (!statements) return { statements: 0, unchecked: 0 };
  const matcher = new WildcardMatcher(ctx);
  for (const st of statements) {
    const federated = elements(member(member(st, 'Principal'), 'Federated')).find(
      (f) => isString(f) && f.value.includes(':oidc-provider/'),
    );
    const providerAccount = isString(federated) ? /^arn:[^:]+:iam::(\d{12}):/.exec(federated.value)?.[1] : undefined;
    const condition = member(st, 'Condition');
    if (condition?.kind !== 'object') continue;
    for (const [operator, block] of condition.entries) {
      if (block.kind !== 'object') continue;
      const glob = operator.startsWith('StringLike');
      for (const [condKey, values] of block.entries) {
        for (const value of elements(values)) {
          if (!isString(value)) continue;
          const s = value.start + 1;
          const e = value.end - 1;
          if (condKey.endsWith(':aud')) {
            if (value.value !== 'sts.amazonaws.com') {
              ctx.report('irsa/trust-policy-mismatch', s, e, ctx.t('trust.aud', value.value));
            }
          } else if (condKey.endsWith(':sub')) {
            checkSubject(ctx, matcher, value.value, glob, providerAccount, s, e);
          }
        }
      }
    }
  }
  return { statements: statements.length, unchecked: matcher.unchecked };
}

const SUBJECT_RE = /^system:serviceaccount:([^:]+):([^:]+)$/;

function checkSubject(
  ctx: RuleContext,
  matcher: WildcardMatcher,
  value: string,
  glob: boolean,
  providerAccount: string | undefined,
  s: number,
  e: number,
): void {
  const m = SUBJECT_RE.exec(value);
  if (!m) {
    ctx.report('irsa/trust-policy-mismatch', s, e, ctx.t('trust.subMalformed', value));
    return;
  }
  const [, namespace, name] = m;
  if (glob && hasWildcard(value)) {
    if (matcher.anyMatch(namespace, name) === false) {
      ctx.report('irsa/trust-policy-mismatch', s, e, ctx.t('trust.notFound', namespace, name));
    }
    return;
  }
  const sa = ctx.index.serviceAccount(namespace, name);
  if (!sa) {
    ctx.report('irsa/trust-policy-mismatch', s, e, ctx.t('trust.notFound', namespace, name));
    return;
  }
  if (sa.roleArn === undefined) {
    ctx.report('irsa/trust-policy-mismatch', s, e, ctx.t('trust.notAnnotated', namespace, name));
    return;
  }
  const roleAccount = /^arn:[^:]+:iam::(\d{12}):/.exec(sa.roleArn)?.[1];
  if (providerAccount && roleAccount && roleAccount !== providerAccount) {
    ctx.report(
      'irsa/trust-policy-mismatch',
      s,
      e,
      ctx.t('trust.otherAccount', namespace, name, roleAccount, providerAccount),
    );
  }
}

/** Whether any ServiceAccount matches a wildcard subject; each distinct pattern is decided once. */
class WildcardMatcher {
  private readonly memo = new Map<string, boolean | undefined>();
  private budget = MAX_GLOB_COMPARISONS;
  unchecked = 0;

  constructor(private readonly ctx: RuleContext) {}

  /** undefined: not decided (the comparison budget is spent). */
  anyMatch(namespaceGlob: string, nameGlob: string): boolean | undefined {
    const key = `${namespaceGlob}:${nameGlob}`;
    if (this.memo.has(key)) {
      const known = this.memo.get(key);
      if (known === undefined) this.unchecked++;
      return known;
    }
    const result = this.decide(namespaceGlob, nameGlob);
    this.memo.set(key, result);
    if (result === undefined) this.unchecked++;
    return result;
  }

  private decide(namespaceGlob: string, nameGlob: string): boolean | undefined {
    const index = this.ctx.index;
    const wildNamespace = hasWildcard(namespaceGlob);
    for (const ns of wildNamespace ? index.namespaces() : [namespaceGlob]) {
      if (wildNamespace) {
        if (--this.budget < 0) return undefined;
        if (!globMatch(namespaceGlob, ns)) continue;
      }
      if (!hasWildcard(nameGlob)) {
        if (index.serviceAccount(ns, nameGlob)) return true;
        continue;
      }
      for (const sa of index.serviceAccountsIn(ns)) {
        if (--this.budget < 0) return undefined;
        if (globMatch(nameGlob, sa.name)) return true;
      }
    }
    return false;
  }
}
