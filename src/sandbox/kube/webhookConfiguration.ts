import { createHash } from 'node:crypto';
import { json, type SandboxRequest, type SandboxResponse } from '../http';
import type { KubeClusterContext } from './clusterContext';
import type { LabelSelector } from './deploymentSpec';
import { selectorRequirements } from './deploymentSpec';
import type { KubeObject } from './kubeState';
import { matchesLabels, matchesFields, parseFieldSelector, parseLabelSelector } from './labelSelector';
import { pageNotFound } from './request';
import { methodNotSupported, notFound } from './status';
import { toTable, wantsTable } from './tables';
import { header } from './request';
import { isWatch, selectableFields } from './reads';
import { withoutKind } from './reads';
import { watchResponse } from './watch';
import { USE_LABEL } from '../../core/rules/keys';
import { WEBHOOK_NAME } from './webhook';

type Obj = Record<string, unknown>;

/**
 * `admissionregistration.k8s.io/v1` MutatingWebhookConfigurations: the one the workload
 * identity add-on installs, present exactly while the cluster has workload identity enabled.
 * Its shape follows Azure/azure-workload-identity deploy/azure-wi-webhook.yaml (name, labels,
 * the `mutation.azure-workload-identity.io` webhook on pod CREATE, objectSelector on the
 * `azure.workload.identity/use: "true"` label, `failurePolicy: Fail`,
 * `reinvocationPolicy: IfNeeded`); on AKS the add-on runs in kube-system and its
 * namespaceSelector leaves kube-system out. The webhook (webhook.ts) decides which pods it
 * mutates from this object's selectors. The add-on manager owns it: writes are refused.
 */
export const MWC_NAME = 'azure-wi-webhook-mutating-webhook-configuration';

const ADMISSION_V1 = { groupVersion: 'admissionregistration.k8s.io/v1', version: 'v1' };
export const ADMISSION_GROUP = {
  name: 'admissionregistration.k8s.io',
  versions: [ADMISSION_V1],
  preferredVersion: ADMISSION_V1,
};
export const ADMISSION_V1_RESOURCES = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'admissionregistration.k8s.io/v1',
  resources: [
    {
      name: 'mutatingwebhookconfigurations',
      singularName: 'mutatingwebhookconfiguration',
      namespaced: false,
      kind: 'MutatingWebhookConfiguration',
      verbs: ['get', 'list', 'watch'],
      categories: ['api-extensions'],
      storageVersionHash: 'Sqi0GUgDaX0=',
    },
  ],
};

const NAMESPACE_SELECTOR: LabelSelector = {
  matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }],
};
const OBJECT_SELECTOR: LabelSelector = { matchLabels: { [USE_LABEL]: 'true' } };

/** The configuration as `kubectl get -o yaml` shows it, or undefined when workload identity is off. */
export function webhookConfiguration(ctx: KubeClusterContext): KubeObject | undefined {
  if (!ctx.workloadIdentityEnabled) return undefined;
  const system = (ctx.kube.namespaces['kube-system']?.metadata ?? {}) as Obj;
  const uid = createHash('sha256')
    .update(`${ctx.guid}/${MWC_NAME}`)
    .digest('hex')
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/, '$1-$2-$3-$4-$5');
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: {
      name: MWC_NAME,
      uid,
      creationTimestamp: system.creationTimestamp,
      resourceVersion: system.resourceVersion,
      generation: 1,
      labels: { 'azure-workload-identity.io/system': 'true', 'addonmanager.kubernetes.io/mode': 'Reconcile' },
    },
    webhooks: [
      {
        admissionReviewVersions: ['v1', 'v1beta1'],
        clientConfig: {
          service: {
            name: 'azure-wi-webhook-webhook-service',
            namespace: 'kube-system',
            path: '/mutate-v1-pod',
            port: 443,
          },
        },
        failurePolicy: 'Fail',
        matchPolicy: 'Equivalent',
        name: WEBHOOK_NAME,
        namespaceSelector: NAMESPACE_SELECTOR,
        objectSelector: OBJECT_SELECTOR,
        reinvocationPolicy: 'IfNeeded',
        rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'], scope: '*' }],
        sideEffects: 'None',
        timeoutSeconds: 10,
      },
    ],
  };
}

/** Whether the installed configuration sends this pod CREATE to the webhook (its two selectors). */
export function configurationSelects(
  ctx: KubeClusterContext,
  namespace: string,
  podLabels: Record<string, string>,
): boolean {
  const mwc = webhookConfiguration(ctx);
  if (!mwc) return false;
  const hook = (mwc.webhooks as Obj[])[0] as Obj;
  const nsLabels = (((ctx.kube.namespaces[namespace]?.metadata ?? {}) as Obj).labels ?? {
    'kubernetes.io/metadata.name': namespace,
  }) as Record<string, string>;
  return (
    matchesLabels(selectorRequirements(hook.namespaceSelector as LabelSelector), nsLabels) &&
    matchesLabels(selectorRequirements(hook.objectSelector as LabelSelector), podLabels)
  );
}

export function handleWebhookConfigurations(
  ctx: KubeClusterContext,
  req: SandboxRequest,
  rest: string[],
  method: string,
  now: Date,
): SandboxResponse {
  if (rest[0] !== 'mutatingwebhookconfigurations' || rest.length > 2) return pageNotFound();
  if (method !== 'GET') throw methodNotSupported('mutatingwebhookconfigurations', method.toLowerCase());
  const labels = parseLabelSelector(req.query.get('labelSelector'));
  const fields = parseFieldSelector(req.query.get('fieldSelector'), ['metadata.name']);
  const select = (): KubeObject[] => {
    const mwc = webhookConfiguration(ctx);
    return mwc &&
      matchesLabels(labels, (mwc.metadata as Obj).labels as Record<string, string>) &&
      matchesFields(fields, selectableFields(mwc))
      ? [mwc]
      : [];
  };
  const rv = String(ctx.kube.resourceVersion);
  if (rest.length === 2) {
    const mwc = webhookConfiguration(ctx);
    if (!mwc || rest[1] !== MWC_NAME) {
      throw notFound('mutatingwebhookconfigurations.admissionregistration.k8s.io', String(rest[1]));
    }
    return wantsTable(header(req, 'accept'))
      ? json(200, toTable('mutatingwebhookconfigurations', [mwc], rv, req.query.get('includeObject'), now))
      : json(200, mwc);
  }
  if (isWatch(req)) {
    return watchResponse(req, {
      resource: 'mutatingwebhookconfigurations',
      kind: 'MutatingWebhookConfiguration',
      apiVersion: 'admissionregistration.k8s.io/v1',
      select,
      resourceVersion: () => ctx.kube.resourceVersion,
    });
  }
  const items = select();
  if (wantsTable(header(req, 'accept'))) {
    return json(200, toTable('mutatingwebhookconfigurations', items, rv, req.query.get('includeObject'), now));
  }
  return json(200, {
    kind: 'MutatingWebhookConfigurationList',
    apiVersion: 'admissionregistration.k8s.io/v1',
    metadata: { resourceVersion: rv },
    items: items.map(withoutKind),
  });
}
