import type { AdmissionregistrationV1Api } from '@kubernetes/client-node';
import type { WebhookObservation } from '../../core/diagnosis/observation';
import type { Observed } from '../../core/diagnosis/types';
import { apiFor, kubeResult, type Kubeconfig } from '../kubeAccess';
import { fromKube } from './kubeObserved';

/**
 * The workload identity webhook's MutatingWebhookConfiguration: upstream names it
 * `azure-wi-webhook-mutating-webhook-configuration` with a webhook `mutation.azure-workload-identity.io`
 * (Azure/azure-workload-identity deploy/azure-wi-webhook.yaml); AKS installs the same. A cluster
 * that does not let us list them (404/403) is `exposed: false`, not a failure.
 */
export async function observeWebhook(config: Kubeconfig, context: string): Promise<Observed<WebhookObservation>> {
  return fromKube(
    await kubeResult(async (): Promise<WebhookObservation> => {
      const api = await apiFor<AdmissionregistrationV1Api>(config, context, (k, kc) =>
        kc.makeApiClient(k.AdmissionregistrationV1Api),
      );
      try {
        const list = await api.listMutatingWebhookConfiguration();
        const found = list.items
          .filter(
            (w) =>
              /azure-wi|workload-identity/i.test(w.metadata?.name ?? '') ||
              (w.webhooks ?? []).some((h) => /azure-workload-identity/i.test(h.name)),
          )
          .map((w) => w.metadata?.name ?? '');
        return { exposed: true, found };
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        if (code === 404 || code === 403) return { exposed: false, found: [] };
        throw e;
      }
    }),
  );
}
