import { msg, result, skipAfter, type Check } from '../checkContext';

/**
 * ARM `securityProfile.workloadIdentity.enabled`, and where the API server lists admission
 * webhooks, the webhook's MutatingWebhookConfiguration (Azure/azure-workload-identity
 * deploy/azure-wi-webhook.yaml names it `azure-wi-webhook-mutating-webhook-configuration`).
 */
export const checkClusterWorkloadIdentity: Check = (c) => {
  const id = 'cluster.workload-identity';
  const { cluster, webhook } = c.o;
  if (!cluster?.ok) return skipAfter(c, id, 'cluster.oidc-issuer');
  const v = cluster.value;
  const hook = webhook?.ok ? webhook.value : undefined;
  const evidence = {
    workloadIdentityEnabled: v.workloadIdentityEnabled,
    webhook: hook
      ? hook.exposed
        ? { listed: true, found: hook.found }
        : { listed: false }
      : webhook && !webhook.ok
        ? { error: webhook.error.message }
        : null,
  };
  if (!v.workloadIdentityEnabled) {
    return result(id, 'fail', msg(c, 'wi.off', v.name), evidence, { fix: 'cluster.workload-identity' });
  }
  if (hook?.exposed && hook.found.length === 0) {
    return result(id, 'fail', msg(c, 'wi.webhookMissing'), evidence, { fix: 'cluster.workload-identity' });
  }
  const detail = hook?.exposed ? msg(c, 'wi.webhookFound', hook.found.join(', ')) : msg(c, 'wi.webhookHidden');
  return result(id, 'pass', msg(c, 'wi.ok', detail), evidence);
};
