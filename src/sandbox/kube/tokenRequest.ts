import { createHash, randomUUID } from 'node:crypto';
import { signJwt } from '../oidc/jwt';
import type { KubeClusterContext } from './clusterContext';
import { kubeTime, type KubeObject } from './kubeState';
import { badRequest, conflict, invalid, invalidValue, notFound, type FieldError } from './status';
import { isRecord } from '../../core/is';

/** Issuer of a cluster without the OIDC issuer: in-cluster only, unknown to any outside party. */
export const PRIVATE_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** kube-apiserver's bounds (pkg/apis/authentication/validation): at least 10 minutes, below 2^32 s. */
const MIN_TOKEN_SECONDS = 600;
const MAX_TOKEN_SECONDS = 2 ** 32;
const DEFAULT_TOKEN_SECONDS = 3600;

export function clusterIssuer(ctx: KubeClusterContext): string {
  return ctx.issuerUrl ?? PRIVATE_ISSUER;
}

/**
 * `--api-audiences` defaults to the service-account issuer (kube-apiserver options), so a
 * TokenRequest without audiences gets the issuer as its only audience.
 */
export function defaultAudiences(ctx: KubeClusterContext): string[] {
  return [clusterIssuer(ctx)];
}

/** Every issuer string this cluster's tokens may carry (the issuer's spellings, or the private issuer). */
export function clusterIssuers(ctx: KubeClusterContext): readonly string[] {
  return ctx.issuerAliases ?? [clusterIssuer(ctx)];
}

/** Stable per-cluster UID of the single sandbox node, reported in pod-bound tokens. */
export function nodeUid(ctx: KubeClusterContext, nodeName: string): string {
  const h = createHash('sha256').update(`${ctx.guid}/${nodeName}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface IssueTokenInput {
  namespace: string;
  serviceAccount: KubeObject;
  audiences: readonly string[];
  expirationSeconds: number;
  pod?: KubeObject;
  now: Date;
}

/** Signs a service-account token with the claims kube-apiserver puts in (pkg/serviceaccount/claims.go). */
export function issueServiceAccountToken(
  ctx: KubeClusterContext,
  input: IssueTokenInput,
): { token: string; expirationTimestamp: string } {
  const iat = Math.floor(input.now.getTime() / 1000);
  const exp = iat + input.expirationSeconds;
  const saMeta = input.serviceAccount.metadata as Record<string, string>;
  const k8s: Record<string, unknown> = { namespace: input.namespace };
  if (input.pod) {
    const podMeta = input.pod.metadata as Record<string, string>;
    const nodeName = (input.pod.spec as Record<string, unknown> | undefined)?.nodeName;
    // Pod-bound tokens name the node too since Kubernetes 1.30 (ServiceAccountTokenPodNodeInfo).
    if (typeof nodeName === 'string' && nodeName) {
      k8s.node = { name: nodeName, uid: nodeUid(ctx, nodeName) };
    }
    k8s.pod = { name: podMeta.name, uid: podMeta.uid };
  }
  k8s.serviceaccount = { name: saMeta.name, uid: saMeta.uid };
  const claims = {
    aud: [...input.audiences],
    exp,
    iat,
    iss: clusterIssuer(ctx),
    jti: randomUUID(),
    'kubernetes.io': k8s,
    nbf: iat,
    sub: `system:serviceaccount:${input.namespace}:${saMeta.name}`,
  };
  return { token: signJwt(ctx.signingKey, claims), expirationTimestamp: kubeTime(new Date(exp * 1000)) };
}

/**
 * `POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token`
 * (kubernetes pkg/registry/core/serviceaccount/storage/token.go).
 */
export function createTokenRequest(
  ctx: KubeClusterContext,
  namespace: string,
  name: string,
  body: unknown,
  now: Date,
): KubeObject {
  const sa = ctx.kube.serviceaccounts[namespace]?.[name];
  if (!sa) {
    throw notFound('serviceaccounts', name);
  }
  if (!isRecord(body)) {
    throw badRequest("Object 'Kind' is missing in '{}'");
  }
  if (body.kind && body.kind !== 'TokenRequest') {
    throw badRequest(
      `no kind "${String(body.kind)}" is registered for version "authentication.k8s.io/v1" in scheme "pkg/api/legacyscheme/scheme.go:30"`,
    );
  }
  const spec = (isRecord(body.spec) ? body.spec : {}) as Record<string, unknown>;
  const expirationSeconds = typeof spec.expirationSeconds === 'number' ? spec.expirationSeconds : DEFAULT_TOKEN_SECONDS;
  const errs: FieldError[] = [];
  if (expirationSeconds < MIN_TOKEN_SECONDS) {
    errs.push(
      invalidValue('spec.expirationSeconds', expirationSeconds, 'may not specify a duration less than 10 minutes'),
    );
  }
  if (expirationSeconds > MAX_TOKEN_SECONDS) {
    errs.push(
      invalidValue('spec.expirationSeconds', expirationSeconds, 'may not specify a duration larger than 2^32 seconds'),
    );
  }
  if (errs.length) {
    throw invalid('TokenRequest', '', errs, 'authentication.k8s.io');
  }
  const requested = Array.isArray(spec.audiences) ? (spec.audiences as unknown[]).map(String) : [];
  const audiences = requested.length ? requested : defaultAudiences(ctx);

  let pod: KubeObject | undefined;
  const ref = isRecord(spec.boundObjectRef) ? (spec.boundObjectRef as Record<string, unknown>) : undefined;
  if (ref) {
    if (ref.kind !== 'Pod') {
      // The sandbox stores pods only; Secret and Node bindings do not apply to workload identity.
      throw badRequest(
        `cannot bind token for serviceaccount "${name}" to object of kind ${String(ref.kind)}: only Pod is supported by the sandbox`,
      );
    }
    const refName = String(ref.name ?? '');
    pod = ctx.kube.pods[namespace]?.[refName];
    if (!pod) {
      throw notFound('pods', refName);
    }
    const podMeta = pod.metadata as Record<string, string>;
    if (ref.uid && ref.uid !== podMeta.uid) {
      throw conflict(
        'Pod',
        refName,
        `the UID in the bound object reference (${String(ref.uid)}) does not match the UID in record. The object might have been deleted and then recreated`,
      );
    }
    const podSa = (pod.spec as Record<string, unknown> | undefined)?.serviceAccountName;
    if (podSa !== name) {
      throw badRequest(
        `cannot bind token for serviceaccount "${name}" to pod running with different serviceaccount name.`,
      );
    }
  }

  const { token, expirationTimestamp } = issueServiceAccountToken(ctx, {
    namespace,
    serviceAccount: sa,
    audiences,
    expirationSeconds,
    pod,
    now,
  });
  const outSpec: Record<string, unknown> = { audiences, expirationSeconds, boundObjectRef: null };
  if (ref && pod) {
    outSpec.boundObjectRef = {
      kind: 'Pod',
      apiVersion: 'v1',
      name: ref.name,
      uid: (pod.metadata as Record<string, string>).uid,
    };
  }
  return {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace, creationTimestamp: null },
    spec: outSpec,
    status: { token, expirationTimestamp },
  };
}
