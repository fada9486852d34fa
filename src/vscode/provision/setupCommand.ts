import * as vscode from 'vscode';
import type { SetupInputs } from '../../core/provision/plan';
import { offerEnable, pickCluster, pickIdentity, pickRole, pickServiceAccount } from './prompts';
import { observe, previewAndApply } from './runPlan';
import type { ProvisionServices } from './services';
import { beginInSubscription } from './singleStep';

/**
 * Set Up Workload Identity…: the tutorial's whole chain for one ServiceAccount, asked in its
 * order (learn.microsoft.com/azure/aks/workload-identity-deploy-cluster): cluster, ServiceAccount,
 * identity, optional role; then the plan preview, then apply.
 */
export async function setUpWorkloadIdentity(svc: ProvisionServices, node?: unknown): Promise<unknown> {
  const begun = await beginInSubscription(svc, node);
  if (!begun) return undefined;
  const { s, preset, subscriptionId } = begun;
  const cluster = await pickCluster(s, subscriptionId, preset);
  if (!cluster) return undefined;
  if (!(await offerEnable(cluster))) return undefined;
  const sa = await pickServiceAccount(s, svc, cluster, preset);
  if (!sa) return undefined;
  const identity = await pickIdentity(s, subscriptionId, cluster, preset);
  if (!identity) return undefined;
  const role = await pickRole(s, subscriptionId, true);
  if (role === undefined) return undefined;
  const inputs: SetupInputs = {
    subscriptionId,
    resourceGroup: cluster.resourceGroup,
    clusterName: cluster.name,
    namespace: sa.namespace,
    serviceAccount: sa.name,
    identityName: identity.identityName,
    identityResourceGroup: identity.identityResourceGroup,
    ...(identity.location ? { location: identity.location } : {}),
    ...(role ? { scope: role.scope, role: role.role } : {}),
    ...(sa.manifestUri ? { manifestUri: sa.manifestUri } : {}),
    locale: s.locale,
  };
  const title = vscode.l10n.t('Set up workload identity for {0}/{1}', sa.namespace, sa.name);
  const workspace = await svc.manifests.workspaceIndex();
  const plan = await observe(title, (signal) => s.api.planSetup(s.backend, inputs, { signal, workspace }));
  if (!plan) return undefined;
  return previewAndApply(svc, s, plan, title);
}
