/**
 * Kubernetes access through @kubernetes/client-node: kubeconfig contexts, the issuer from the API
 * server's own discovery document (`GET /.well-known/openid-configuration`, served by every
 * conformant cluster: AKS, EKS, kind…), and the ServiceAccounts that carry workload-identity or
 * IRSA annotations. The library is ESM and heavy: it is imported on first use only.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { CoreV1Api, KubeConfig, V1ServiceAccount, WellKnownApi } from '@kubernetes/client-node';
import type { Result } from '../core/result';
import { CLIENT_ID_ANNOTATION, TENANT_ID_ANNOTATION } from '../core/rules/keys';

export const IRSA_ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';

export type KubeErrorKind =
  'unreachable' | 'unauthorized' | 'forbidden' | 'notFound' | 'libraryUnavailable' | 'invalidConfig' | 'unknown';
export interface KubeError {
  readonly kind: KubeErrorKind;
  readonly message: string;
  readonly status?: number;
}
export type KubeResult<T> = Result<T, KubeError>;

type ClientNode = typeof import('@kubernetes/client-node');
let lib: Promise<ClientNode> | undefined;
function clientNode(): Promise<ClientNode> {
  lib ??= import('@kubernetes/client-node');
  return lib;
}

export function toKubeError(e: unknown): KubeError {
  const err = e as { code?: unknown; message?: unknown; cause?: { code?: unknown }; name?: unknown };
  const message = typeof err?.message === 'string' ? err.message : String(e);
  // ApiException carries the HTTP status in `code` (a number); fetch failures a string code in `cause`.
  if (typeof err?.code === 'number') {
    const status = err.code;
    const kind: KubeErrorKind =
      status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'notFound' : 'unknown';
    return { kind, message, status };
  }
  if (typeof err?.cause?.code === 'string' || (typeof err?.code === 'string' && /^E[A-Z]+/.test(err.code))) {
    return { kind: 'unreachable', message };
  }
  if (err?.name === 'TypeError' && message === 'fetch failed') return { kind: 'unreachable', message };
  return { kind: 'unknown', message };
}

/** A dead cluster address can take minutes to fail at the TCP level; the tree should not wait that long. */
export const KUBE_TIMEOUT_MS = 10_000;

export async function kubeResult<T>(fn: () => Promise<T>, timeoutMs = KUBE_TIMEOUT_MS): Promise<KubeResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<KubeResult<T>>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, error: { kind: 'unreachable', message: `no answer within ${timeoutMs / 1000} s` } }),
      timeoutMs,
    );
    timer.unref?.();
  });
  const attempt = (async (): Promise<KubeResult<T>> => {
    try {
      return { ok: true, value: await fn() };
    } catch (e) {
      return { ok: false, error: toKubeError(e) };
    }
  })();
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface KubeconfigSource {
  /** Kubeconfig YAML (the sandbox's). Wins over `paths`. */
  readonly text?: string;
  /** Files to merge; default: `KUBECONFIG` (path-list separated) or ~/.kube/config, as kubectl. */
  readonly paths?: readonly string[];
  /** Environment to read KUBECONFIG/HOME from (default: process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * kubectl's rule: KUBECONFIG is a list of files (`:`, or `;` on Windows), merged in order, first
 * wins for duplicate names; missing files are skipped. Without it, ~/.kube/config.
 */
export function defaultKubeconfigPaths(env: NodeJS.ProcessEnv): string[] {
  const list = env.KUBECONFIG;
  if (list) return list.split(delimiter).filter(Boolean);
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  return [join(home, '.kube', 'config')];
}

export interface KubeContextInfo {
  readonly name: string;
  readonly cluster: string;
  readonly server?: string;
  readonly user: string;
  readonly namespace?: string;
  readonly current: boolean;
}

/** A loaded kubeconfig. Opaque outside this module. */
export interface Kubeconfig {
  readonly contexts: readonly KubeContextInfo[];
  readonly currentContext?: string;
  /** @internal */ readonly kc: KubeConfig;
}

export async function loadKubeconfig(source: KubeconfigSource = {}): Promise<KubeResult<Kubeconfig>> {
  let k: ClientNode;
  try {
    k = await clientNode();
  } catch (e) {
    return { ok: false, error: { kind: 'libraryUnavailable', message: (e as Error)?.message ?? String(e) } };
  }
  try {
    const kc = new k.KubeConfig();
    if (source.text !== undefined) kc.loadFromString(source.text);
    else if (source.paths?.length) {
      kc.loadFromFile(source.paths[0]);
      for (const p of source.paths.slice(1)) {
        const more = new k.KubeConfig();
        more.loadFromFile(p);
        kc.mergeConfig(more);
      }
    } else {
      const files = defaultKubeconfigPaths(source.env ?? process.env).filter((p) => existsSync(p));
      if (files.length) {
        kc.loadFromFile(files[0]);
        for (const p of files.slice(1)) {
          const more = new k.KubeConfig();
          more.loadFromFile(p);
          kc.mergeConfig(more);
        }
      }
    }
    const current = kc.getCurrentContext() || undefined;
    const contexts = kc.getContexts().map((c): KubeContextInfo => ({
      name: c.name,
      cluster: c.cluster,
      user: c.user,
      namespace: c.namespace,
      server: kc.getCluster(c.cluster)?.server,
      current: c.name === current,
    }));
    return { ok: true, value: { contexts, currentContext: current, kc } };
  } catch (e) {
    return { ok: false, error: { kind: 'invalidConfig', message: (e as Error)?.message ?? String(e) } };
  }
}

/** A typed API client for one context of the kubeconfig (the library loads on first use). */
export async function apiFor<T>(
  config: Kubeconfig,
  context: string,
  make: (k: ClientNode, kc: KubeConfig) => T,
): Promise<T> {
  const k = await clientNode();
  // One copy per loaded kubeconfig and context: serializing and re-parsing it for every call sat
  // on the diagnosis's critical path (a TokenRequest waits for its client).
  let byContext = perConfig.get(config.kc);
  if (!byContext) perConfig.set(config.kc, (byContext = new Map()));
  let kc = byContext.get(context);
  if (!kc) {
    kc = new k.KubeConfig();
    kc.loadFromString(config.kc.exportConfig());
    kc.setCurrentContext(context);
    byContext.set(context, kc);
  }
  return make(k, kc);
}

const perConfig = new WeakMap<KubeConfig, Map<string, KubeConfig>>();

/** The cluster's service-account issuer from its discovery document (`issuer` field, verbatim). */
export function readIssuer(config: Kubeconfig, context: string): Promise<KubeResult<string>> {
  return kubeResult(async () => {
    const api = await apiFor<WellKnownApi>(config, context, (k, kc) => kc.makeApiClient(k.WellKnownApi));
    const doc: unknown = await api.getServiceAccountIssuerOpenIDConfiguration();
    const parsed = (typeof doc === 'string' ? JSON.parse(doc) : doc) as { issuer?: unknown };
    if (typeof parsed?.issuer !== 'string') {
      throw Object.assign(new Error('discovery document has no issuer'), { code: 404 });
    }
    return parsed.issuer;
  });
}

export interface ServiceAccountInfo {
  readonly namespace: string;
  readonly name: string;
  readonly clientId?: string;
  readonly tenantId?: string;
  readonly roleArn?: string;
}

function toInfo(sa: V1ServiceAccount): ServiceAccountInfo {
  const a = sa.metadata?.annotations ?? {};
  return {
    namespace: sa.metadata?.namespace ?? 'default',
    name: sa.metadata?.name ?? '',
    clientId: a[CLIENT_ID_ANNOTATION],
    tenantId: a[TENANT_ID_ANNOTATION],
    roleArn: a[IRSA_ROLE_ARN_ANNOTATION],
  };
}

export interface ServiceAccountListing {
  /** Every ServiceAccount's namespace/name (so credential subjects can be checked). */
  readonly all: readonly { namespace: string; name: string }[];
  /** The ones with a workload-identity client-id or an IRSA role-arn annotation. */
  readonly annotated: readonly ServiceAccountInfo[];
  /** Listing fell back to the context's namespace (no cluster-wide list permission). */
  readonly namespaceOnly?: string;
}

/** Lists ServiceAccounts, following `continue` tokens to the end (pages of `pageSize`). */
export function listServiceAccounts(
  config: Kubeconfig,
  context: string,
  pageSize = 500,
): Promise<KubeResult<ServiceAccountListing>> {
  return kubeResult(async () => {
    const api = await apiFor<CoreV1Api>(config, context, (k, kc) => kc.makeApiClient(k.CoreV1Api));
    const items: V1ServiceAccount[] = [];
    let namespaceOnly: string | undefined;
    const page = async (
      list: (cont?: string) => Promise<{ items: V1ServiceAccount[]; metadata?: { _continue?: string } }>,
    ) => {
      let cont: string | undefined;
      do {
        const r = await list(cont);
        items.push(...r.items);
        cont = r.metadata?._continue || undefined;
      } while (cont);
    };
    try {
      await page((cont) => api.listServiceAccountForAllNamespaces({ limit: pageSize, _continue: cont }));
    } catch (e) {
      if ((e as { code?: unknown }).code !== 403) throw e;
      namespaceOnly = config.contexts.find((c) => c.name === context)?.namespace ?? 'default';
      items.length = 0;
      await page((cont) =>
        api.listNamespacedServiceAccount({ namespace: namespaceOnly!, limit: pageSize, _continue: cont }),
      );
    }
    const infos = items.map(toInfo);
    return {
      all: infos.map(({ namespace, name }) => ({ namespace, name })),
      annotated: infos
        .filter((s) => s.clientId !== undefined || s.roleArn !== undefined)
        .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name)),
      namespaceOnly,
    };
  });
}
