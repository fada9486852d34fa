/**
 * IAM trust policies for IRSA (FACTS.md "EKS IRSA"; aws/amazon-eks-pod-identity-webhook README):
 * `Principal.Federated: arn:aws:iam::<acct>:oidc-provider/<issuer>`, `Action:
 * sts:AssumeRoleWithWebIdentity`, conditions `<issuer>:sub = system:serviceaccount:NS:NAME` and
 * `<issuer>:aud = sts.amazonaws.com`.
 */
import { globMatch } from '../glob';
import type { ServiceAccountEntry } from '../workspaceIndex';
import type { RuleContext } from './ruleContext';

export function looksLikeTrustPolicy(text: string): boolean {
  const head = text.trimStart();
  return head.startsWith('{') && text.includes('AssumeRoleWithWebIdentity');
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function asArray(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

function isObject(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parsed statements, or undefined when the text is not a JSON trust policy. */
export function parseTrustPolicy(text: string): Array<{ [k: string]: Json }> | undefined {
  if (!looksLikeTrustPolicy(text)) return undefined;
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
  if (!isObject(doc)) return undefined;
  return asArray(doc.Statement).filter(isObject).filter((s) => asArray(s.Action).some((a) => a === 'sts:AssumeRoleWithWebIdentity'));
}

/** The span of `"value"` after `"key"` in the raw JSON text (JSON.parse keeps no positions). */
function locate(text: string, key: string, value: string, from: number): [number, number] {
  const k = text.indexOf(JSON.stringify(key), from);
  const needle = JSON.stringify(value);
  const v = text.indexOf(needle, k >= 0 ? k : from);
  return v >= 0 ? [v + 1, v + needle.length - 1] : [0, 0];
}

export function checkTrustPolicy(ctx: RuleContext, text: string): number {
  const statements = parseTrustPolicy(text);
  if (!statements) return 0;
  for (const st of statements) {
    const principal = isObject(st.Principal) ? st.Principal : {};
    const federated = asArray(principal.Federated).find((f): f is string => typeof f === 'string' && f.includes(':oidc-provider/'));
    const providerAccount = federated ? /^arn:[^:]+:iam::(\d{12}):/.exec(federated)?.[1] : undefined;
    const condition = isObject(st.Condition) ? st.Condition : {};
    for (const [operator, block] of Object.entries(condition)) {
      if (!isObject(block)) continue;
      const glob = operator.startsWith('StringLike');
      for (const [condKey, values] of Object.entries(block)) {
        for (const value of asArray(values)) {
          if (typeof value !== 'string') continue;
          const [s, e] = locate(text, condKey, value, 0);
          if (condKey.endsWith(':aud')) {
            if (value !== 'sts.amazonaws.com') ctx.report('irsa/trust-policy-mismatch', s, e, ctx.t('trust.aud', value));
          } else if (condKey.endsWith(':sub')) {
            checkSubject(ctx, value, glob, providerAccount, s, e);
          }
        }
      }
    }
  }
  return statements.length;
}

function checkSubject(ctx: RuleContext, value: string, glob: boolean, providerAccount: string | undefined, s: number, e: number): void {
  const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(value);
  if (!m) {
    ctx.report('irsa/trust-policy-mismatch', s, e, ctx.t('trust.subMalformed', value));
    return;
  }
  const [, namespace, name] = m;
  const wild = glob && /[*?]/.test(value);
  const candidates = wild
    ? allMatching(ctx, namespace, name)
    : [ctx.index.serviceAccount(namespace, name)].filter((x) => x !== undefined);
  if (candidates.length === 0) {
    ctx.report('irsa/trust-policy-mismatch', s, e, ctx.t('trust.notFound', namespace, name));
    return;
  }
  if (wild) return;
  const sa = candidates[0];
  if (!sa) return;
  if (sa.roleArn === undefined) {
    ctx.report('irsa/trust-policy-mismatch', s, e, ctx.t('trust.notAnnotated', namespace, name));
    return;
  }
  const roleAccount = /^arn:[^:]+:iam::(\d{12}):/.exec(sa.roleArn)?.[1];
  if (providerAccount && roleAccount && roleAccount !== providerAccount) {
    ctx.report('irsa/trust-policy-mismatch', s, e, ctx.t('trust.otherAccount', namespace, name, roleAccount, providerAccount));
  }
}

function allMatching(ctx: RuleContext, namespaceGlob: string, nameGlob: string): ServiceAccountEntry[] {
  return ctx.index.allServiceAccounts().filter((sa) => globMatch(namespaceGlob, sa.namespace) && globMatch(nameGlob, sa.name));
}
