/** The values every renderer needs, read once from a plan (observed values win over inputs). */
import { defaultCredentialName } from '../names';
import type { Plan, StepId } from '../plan';
import { isKeyVaultScope, KEY_VAULT_SECRETS_USER } from '../steps/roleAssignment';

export interface ExportValues {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly clusterName: string;
  readonly location: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly identityName: string;
  readonly identityGroup: string;
  readonly identityExists: boolean;
  readonly clientId?: string;
  readonly issuer?: string;
  readonly credentialName: string;
  readonly subject: string;
  readonly scope?: string;
  readonly roleName?: string;
  readonly roleGuid?: string;
  readonly isKeyVault: boolean;
  readonly enableCluster: boolean;
  readonly has: (id: StepId) => boolean;
  readonly restarts: readonly { kind: string; namespace: string; name: string }[];
  readonly sample?: { podName: string; vaultUrl: string; secretName: string };
}

export function exportValues(plan: Plan): ExportValues {
  const i = plan.inputs;
  const o = plan.observed;
  const ids = new Set(plan.steps.map((s) => s.id));
  const identityStep = plan.steps.find((s) => s.id === 'identity');
  const roleGuid = o.role?.roleDefinitionId.split('/').pop();
  return {
    subscriptionId: i.subscriptionId,
    resourceGroup: i.resourceGroup,
    clusterName: i.clusterName,
    location: i.location ?? o.identity?.location ?? o.cluster?.location ?? 'eastus',
    namespace: i.namespace,
    serviceAccount: i.serviceAccount,
    identityName: i.identityName,
    identityGroup: i.identityResourceGroup ?? i.resourceGroup,
    // An identity that existed before the plan is referenced, never managed, by the exports.
    identityExists: identityStep ? identityStep.state === 'done' && !identityStep.changes.length : true,
    clientId: o.identity?.clientId,
    issuer: o.cluster?.issuerUrl,
    credentialName:
      i.credentialName ?? o.credential?.name ?? defaultCredentialName(i.clusterName, i.namespace, i.serviceAccount),
    subject: `system:serviceaccount:${i.namespace}:${i.serviceAccount}`,
    scope: i.scope,
    roleName:
      o.role?.roleName ??
      (i.role && !/[0-9a-f]{8}-/i.test(i.role) ? i.role : undefined) ??
      (i.scope && isKeyVaultScope(i.scope) && !i.role ? 'Key Vault Secrets User' : undefined),
    roleGuid:
      roleGuid ??
      (i.role && /[0-9a-f]{8}-[0-9a-f]{4}-/i.test(i.role)
        ? i.role.split('/').pop()
        : i.scope && isKeyVaultScope(i.scope) && !i.role
          ? KEY_VAULT_SECRETS_USER
          : undefined),
    isKeyVault: i.scope !== undefined && isKeyVaultScope(i.scope),
    enableCluster: ids.has('cluster.oidc-issuer') || ids.has('cluster.workload-identity'),
    has: (id) => ids.has(id),
    restarts: o.restartTargets ?? [],
    sample: i.sample
      ? { podName: i.sample.podName ?? 'quick-start', vaultUrl: i.sample.vaultUrl, secretName: i.sample.secretName }
      : undefined,
  };
}

/** `/subscriptions/s/resourceGroups/rg/providers/NS/type/name` → its parts. */
export function splitResourceId(id: string): {
  subscriptionId?: string;
  resourceGroup?: string;
  provider?: string;
  type?: string;
  name?: string;
} {
  const m = /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?(?:\/providers\/([^/]+)\/([^/]+)\/([^/]+))?/i.exec(
    id,
  );
  return m ? { subscriptionId: m[1], resourceGroup: m[2], provider: m[3], type: m[4], name: m[5] } : {};
}
