import * as vscode from 'vscode';
import type { ClusterInfo } from '../../azure/models';
import type { Plan, SetupInputs } from '../../core/provision/plan';
import type { PlanOptions } from '../../provision/session';
import {
  pickCluster,
  pickIdentity,
  pickServiceAccount,
  pickSubscription,
  type PickedIdentity,
  type PickedServiceAccount,
} from './prompts';
import { observe, previewAndApply } from './runPlan';
import { openSession, requireTrust, type ProvisionServices, type Session } from './services';
import { presetFrom, type Preset } from './treeContext';

export interface Needs {
  readonly serviceAccount?: boolean;
  readonly identity?: boolean | 'existing';
}

export interface Gathered {
  readonly s: Session;
  readonly preset: Preset;
  readonly subscriptionId: string;
  readonly cluster: ClusterInfo;
  readonly sa?: PickedServiceAccount;
  readonly identity?: PickedIdentity;
  readonly inputs: SetupInputs;
}

/** How every provisioning command starts: trust, a session, what the tree node tells, the subscription. */
export async function beginInSubscription(
  svc: ProvisionServices,
  node: unknown,
): Promise<{ s: Session; preset: Preset; subscriptionId: string } | undefined> {
  if (!requireTrust()) return undefined;
  const s = await openSession(svc);
  if (!s) return undefined;
  const preset = presetFrom(node);
  const subscriptionId = await pickSubscription(s, preset);
  return subscriptionId ? { s, preset, subscriptionId } : undefined;
}

/** The questions most single-step commands share: subscription, cluster, and as needed ServiceAccount and identity. */
export async function gather(svc: ProvisionServices, node: unknown, needs: Needs): Promise<Gathered | undefined> {
  const begun = await beginInSubscription(svc, node);
  if (!begun) return undefined;
  const { s, preset, subscriptionId } = begun;
  const cluster = await pickCluster(s, subscriptionId, preset);
  if (!cluster) return undefined;
  const sa = needs.serviceAccount ? await pickServiceAccount(s, svc, cluster, preset) : undefined;
  if (needs.serviceAccount && !sa) return undefined;
  const identity = needs.identity
    ? await pickIdentity(s, subscriptionId, cluster, preset, needs.identity !== 'existing')
    : undefined;
  if (needs.identity && !identity) return undefined;
  const inputs: SetupInputs = {
    subscriptionId,
    resourceGroup: cluster.resourceGroup,
    clusterName: cluster.name,
    namespace: sa?.namespace ?? 'default',
    serviceAccount: sa?.name ?? '',
    identityName: identity?.identityName ?? '',
    identityResourceGroup: identity?.identityResourceGroup ?? cluster.resourceGroup,
    ...(identity?.location ? { location: identity.location } : {}),
    ...(sa?.manifestUri ? { manifestUri: sa.manifestUri } : {}),
    ...(preset.credentialName ? { credentialName: preset.credentialName } : {}),
    locale: s.locale,
  };
  return { s, preset, subscriptionId, cluster, sa, identity, inputs };
}

/** The inputs of a step on an identity alone (no ServiceAccount): the identity's group stands in for the cluster's. */
export function identityInputs(
  s: Session,
  subscriptionId: string,
  preset: Preset,
  identity: PickedIdentity,
): SetupInputs {
  return {
    subscriptionId,
    resourceGroup: identity.identityResourceGroup,
    clusterName: preset.cluster?.name ?? '',
    namespace: 'default',
    serviceAccount: '',
    identityName: identity.identityName,
    identityResourceGroup: identity.identityResourceGroup,
    locale: s.locale,
  };
}

/** Plans with `plan` (observing only), previews, applies. */
export async function planAndRun(
  svc: ProvisionServices,
  g: Gathered,
  title: string,
  plan: (s: Session, inputs: SetupInputs, options: PlanOptions) => Promise<Plan>,
  inputs: SetupInputs = g.inputs,
): Promise<unknown> {
  const workspace = await svc.manifests.workspaceIndex();
  const built = await observe(title, (signal) => plan(g.s, inputs, { signal, workspace }));
  if (!built) return undefined;
  return previewAndApply(svc, g.s, built, title);
}

export const titleFor = (what: string, where: string) => vscode.l10n.t('{0} — {1}', what, where);
