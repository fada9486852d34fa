import * as vscode from 'vscode';
import type { ClusterInfo } from '../../azure/models';
import { pickCluster, pickSubscription } from '../provision/prompts';
import { provisionUi } from '../provision/provisionUi';
import { openSession, reason, type ProvisionServices, type Session } from '../provision/services';
import { presetFrom, type Preset } from '../provision/treeContext';
import { diagnosisBackendFor } from './connect';
import type { DiagnosisApi, ReportTarget } from './reportView';

/** The ServiceAccount a diagnosis is about, when the caller already knows it (a tree node, the editor). */
export interface Known {
  readonly node?: unknown;
  readonly serviceAccount?: { readonly namespace: string; readonly name: string };
}

export interface Begun {
  readonly s: Session;
  readonly cluster: ClusterInfo;
  readonly subscriptionId: string;
  readonly preset: Preset;
  readonly make: (namespace: string, serviceAccount: string, clientId?: string) => Promise<ReportTarget | undefined>;
}

/** Session, subscription and cluster (from the node when it tells), and a way to build a report's target. */
export async function beginDiagnosis(svc: ProvisionServices, known: Known): Promise<Begun | undefined> {
  const s = await openSession(svc);
  if (!s) return undefined;
  const fromNode = presetFrom(known.node);
  const preset: Preset = known.serviceAccount ? { ...fromNode, serviceAccount: known.serviceAccount } : fromNode;
  const subscriptionId = await pickSubscription(s, preset);
  if (!subscriptionId) return undefined;
  const cluster = await pickCluster(s, subscriptionId, preset);
  if (!cluster) return undefined;
  const backend = await diagnosisBackendFor(s.backend, subscriptionId, cluster);
  if (typeof backend === 'string') {
    provisionUi().error(backend);
    return undefined;
  }
  const api: DiagnosisApi = (await import('../explorer/backend')).diagnosisSession;
  const identities = preset.identity ? undefined : s.api.listIdentities(s.backend, subscriptionId).catch(() => []);
  const make = async (namespace: string, serviceAccount: string, clientId?: string): Promise<ReportTarget> => {
    // Fix asks nothing the report knows: the identity is the one the client-id annotation names.
    const identity =
      preset.identity ??
      (clientId ? (await identities)?.find((i) => i.clientId.toLowerCase() === clientId.toLowerCase()) : undefined);
    return {
      backend,
      api,
      namespace,
      serviceAccount,
      options: { resourceGroup: cluster.resourceGroup, cluster: cluster.name, locale: s.locale },
      preset: {
        subscriptionId,
        cluster,
        serviceAccount: { namespace, name: serviceAccount },
        ...(identity ? { identity } : {}),
        ...(preset.credentialName ? { credentialName: preset.credentialName } : {}),
      },
    };
  };
  return { s, cluster, subscriptionId, preset, make };
}

/** Namespace, then ServiceAccount, from the cluster; the preset's when it names one. */
export async function pickClusterServiceAccount(
  b: Begun,
  svc: ProvisionServices,
): Promise<{ namespace: string; name: string; clientId?: string } | undefined> {
  const ref = { subscriptionId: b.subscriptionId, resourceGroup: b.cluster.resourceGroup, clusterName: b.cluster.name };
  if (b.preset.serviceAccount) {
    const { namespace, name } = b.preset.serviceAccount;
    const listed = await b.s.api.listClusterServiceAccounts(b.s.backend, ref, namespace).catch(() => []);
    return {
      namespace,
      name,
      ...(listed.find((x) => x.name === name)?.clientId
        ? { clientId: listed.find((x) => x.name === name)!.clientId }
        : {}),
    };
  }
  const namespaces = await b.s.api.listNamespaces(b.s.backend, ref).catch((e: unknown) => {
    svc.log.warn(`namespaces of ${b.cluster.name} not listed: ${reason(e)}`);
    return [] as string[];
  });
  const namespace = await provisionUi().pick(
    'namespace',
    namespaces.map((n) => ({ label: n, value: n })),
    { title: vscode.l10n.t('Namespace'), placeHolder: vscode.l10n.t('Pick the namespace of the ServiceAccount') },
  );
  if (!namespace) return undefined;
  const sas = await b.s.api.listClusterServiceAccounts(b.s.backend, ref, namespace).catch(() => []);
  if (!sas.length) {
    provisionUi().error(vscode.l10n.t('No ServiceAccount in namespace {0}.', namespace));
    return undefined;
  }
  return provisionUi().pick(
    'serviceAccount',
    sas.map((x) => ({
      label: x.name,
      description: x.clientId ? vscode.l10n.t('client ID {0}', x.clientId) : vscode.l10n.t('no client-id annotation'),
      value: x,
    })),
    { title: vscode.l10n.t('ServiceAccount'), placeHolder: vscode.l10n.t('Pick the ServiceAccount to diagnose') },
  );
}
