/**
 * Kubernetes clients of one provisioning run, for one kubeconfig context, with a count of the
 * write requests sent (creates, patches, deletes; TokenRequest is a read that stores nothing).
 * @kubernetes/client-node is ESM and heavy: imported on first use.
 */
import type { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { loadKubeconfig, type KubeconfigSource } from '../kubeAccess';
import { withRetries } from './kubeRetry';

export interface KubeCounters {
  writes: number;
  requests: number;
}

export interface KubeClients {
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly kc: KubeConfig;
  readonly context: string;
  readonly counters: KubeCounters;
  readonly lib: typeof import('@kubernetes/client-node');
}

/** The field manager kwi's writes carry (managedFields shows who set what). */
export const FIELD_MANAGER = 'kwi';

export class KubeContextMissing extends Error {
  override readonly name = 'KubeContextMissing';
  static is(e: unknown): e is KubeContextMissing {
    return e instanceof Error && e.name === 'KubeContextMissing';
  }
}

/** Contexts of a kubeconfig (to decide whether a cluster's context exists). */
export async function kubeContexts(source: KubeconfigSource): Promise<string[]> {
  const loaded = await loadKubeconfig(source);
  if (!loaded.ok) throw new Error(loaded.error.message);
  return loaded.value.contexts.map((c) => c.name);
}

export async function kubeClients(
  source: KubeconfigSource,
  context: string,
  counters: KubeCounters,
): Promise<KubeClients> {
  const loaded = await loadKubeconfig(source);
  if (!loaded.ok) throw new Error(loaded.error.message);
  if (!loaded.value.contexts.some((c) => c.name === context)) {
    throw new KubeContextMissing(`no kubeconfig context named '${context}'`);
  }
  const lib = await import('@kubernetes/client-node');
  const kc = new lib.KubeConfig();
  kc.loadFromString(loaded.value.kc.exportConfig());
  kc.setCurrentContext(context);
  return {
    core: withRetries(kc.makeApiClient(lib.CoreV1Api)),
    apps: withRetries(kc.makeApiClient(lib.AppsV1Api)),
    kc,
    context,
    counters,
    lib,
  };
}

/** Per-call options for a JSON merge patch (RFC 7386): names only the keys it changes. */
export function mergePatch(k: KubeClients) {
  return k.lib.setHeaderOptions('Content-Type', k.lib.PatchStrategy.MergePatch);
}

export function isNotFound(e: unknown): boolean {
  return (e as { code?: unknown })?.code === 404;
}
