/**
 * What one plan or apply run holds: the backend's clients for the subscription and the cluster,
 * the request counters, the live values steps hand each other (the identity's client ID, the
 * issuer after the cluster's operation), the journal and the per-identity write lock.
 */
import type { Journal, JournalEntry, SetupInputs } from '../core/provision/plan';
import type { Locale } from '../core/messages';
import { clusterUserKubeconfig } from '../azure/provision/cluster';
import {
  newCounters,
  provisionClients,
  type ProvisionClients,
  type RunCounters,
} from '../azure/provision/provisionClients';
import { kubeClients, kubeContexts, type KubeClients } from '../kube/provision/kubeClients';
import type { KubeconfigSource } from '../kube/kubeAccess';
import { KeyedMutex } from './executor';
import type { ProvisionBackend } from './session';

export interface Live {
  cluster?: {
    issuerUrl?: string;
    oidcIssuerEnabled: boolean;
    workloadIdentityEnabled: boolean;
    location: string;
    id: string;
  };
  identity?: { id: string; clientId: string; principalId: string; tenantId: string };
  annotationChangedAt?: string;
  credentialChangedAt?: string;
  vaultUri?: string;
}

export interface Runtime {
  readonly backend: ProvisionBackend;
  readonly arm: ProvisionClients;
  readonly counters: RunCounters;
  readonly locale: Locale;
  /** The cluster's Kubernetes clients, connected on first use; rejects with the reason it cannot connect. */
  kube(): Promise<KubeClients>;
  readonly live: Live;
  readonly mutex: KeyedMutex;
  journal?: Journal;
  record(entry: Omit<JournalEntry, 'at'>): void;
}

export function createRuntime(
  backend: ProvisionBackend,
  inputs: Pick<SetupInputs, 'subscriptionId' | 'resourceGroup' | 'clusterName' | 'kubeContext' | 'locale'>,
  hooks: { onJournal?: (j: Journal) => void } = {},
): Runtime {
  const counters = newCounters();
  const arm = provisionClients(backend.arm, inputs.subscriptionId, counters);
  let kube: Promise<KubeClients> | undefined;
  const rt: Runtime = {
    backend,
    arm,
    counters,
    locale: inputs.locale ?? 'en',
    live: {},
    mutex: new KeyedMutex(),
    kube: () => {
      kube ??= connectKube(backend, arm, inputs, counters);
      return kube;
    },
    record(entry) {
      if (!rt.journal) return;
      rt.journal.entries.push({ ...entry, at: new Date().toISOString() });
      hooks.onJournal?.(rt.journal);
    },
  };
  return rt;
}

/**
 * The cluster's context: the one asked for; else a context named after the cluster (as
 * `az aks get-credentials` names it); else a kubeconfig from ARM's listClusterUserCredential.
 */
async function connectKube(
  backend: ProvisionBackend,
  arm: ProvisionClients,
  inputs: Pick<SetupInputs, 'resourceGroup' | 'clusterName' | 'kubeContext'>,
  counters: RunCounters,
): Promise<KubeClients> {
  let source: KubeconfigSource =
    typeof backend.kube.source === 'function' ? backend.kube.source() : backend.kube.source;
  let context = inputs.kubeContext;
  if (!context) {
    const contexts = await kubeContexts(source).catch(() => [] as string[]);
    if (contexts.includes(inputs.clusterName)) context = inputs.clusterName;
    else if (backend.kube.useClusterUserCredential !== false) {
      const text = await clusterUserKubeconfig(arm, inputs.resourceGroup, inputs.clusterName);
      source = { text };
      context = (await kubeContexts(source))[0];
    }
  }
  if (!context) throw new Error(`no kubeconfig context for cluster '${inputs.clusterName}'`);
  return kubeClients(source, context, counters);
}

export function totalCounts(rt: Runtime): { writes: number; requests: number } {
  return { writes: rt.counters.writes, requests: rt.counters.requests };
}
