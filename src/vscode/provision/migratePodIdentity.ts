import * as vscode from 'vscode';
import type { MigrateInputs } from '../../provision/session';
import { provisionUi } from './provisionUi';
import { reason, type ProvisionServices } from './services';
import { gather, planAndRun, titleFor } from './singleStep';

/**
 * Migrate from AAD Pod Identity: from an AzureIdentity/AzureIdentityBinding in the cluster, a
 * credential on the same identity for this cluster's issuer, the ServiceAccount annotated, the
 * pods labelled; the last step says to remove the pod identity resources.
 */
export async function migratePodIdentity(svc: ProvisionServices, node?: unknown): Promise<unknown> {
  const g = await gather(svc, node, {});
  if (!g) return undefined;
  const ref = { subscriptionId: g.subscriptionId, resourceGroup: g.cluster.resourceGroup, clusterName: g.cluster.name };
  let bindings: Awaited<ReturnType<typeof g.s.api.listPodIdentityBindings>>;
  try {
    bindings = await g.s.api.listPodIdentityBindings(g.s.backend, ref);
  } catch (e) {
    provisionUi().error(vscode.l10n.t('Could not list {0}: {1}', 'AzureIdentityBinding', reason(e)));
    return undefined;
  }
  if (!bindings.length) {
    provisionUi().info(vscode.l10n.t('No AzureIdentityBinding in {0}: nothing to migrate.', g.cluster.name));
    return undefined;
  }
  const binding = await provisionUi().pick(
    'podIdentityBinding',
    bindings.map((b) => ({
      label: `${b.namespace}/${b.bindingName}`,
      description: `${b.azureIdentityName} · aadpodidbinding=${b.selector}`,
      detail: b.workloads.map((w) => `${w.kind}/${w.name}`).join(', '),
      value: b,
    })),
    {
      title: vscode.l10n.t('AAD Pod Identity binding to migrate'),
      placeHolder: vscode.l10n.t('Pick the binding whose pods move to workload identity'),
    },
  );
  if (!binding) return undefined;
  const serviceAccount = await provisionUi().input('serviceAccountName', {
    title: vscode.l10n.t('ServiceAccount the migrated pods run as'),
    value: binding.workloads.length ? 'default' : 'workload-identity-sa',
  });
  if (!serviceAccount) return undefined;
  const identityName = binding.identityResourceId.split('/').pop() ?? '';
  const identityResourceGroup =
    /\/resourceGroups\/([^/]+)/i.exec(binding.identityResourceId)?.[1] ?? g.cluster.resourceGroup;
  const { namespace, workloads, ...podIdentity } = binding;
  const inputs: MigrateInputs = {
    ...g.inputs,
    namespace,
    serviceAccount,
    identityName,
    identityResourceGroup,
    podLabelWorkloads: workloads,
    podIdentity,
  };
  return planAndRun(
    svc,
    g,
    titleFor(vscode.l10n.t('Migrate from AAD Pod Identity'), `${namespace}/${binding.bindingName}`),
    (s, _i, o) => s.api.planMigratePodIdentity(s.backend, inputs, o),
    inputs,
  );
}
