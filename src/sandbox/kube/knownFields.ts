import { badRequest } from './status';
import { isRecord } from '../../core/is';

/**
 * Field names of the core/v1 and apps/v1 types a workload-identity manifest touches (k8s.io/api
 * core/v1 and apps/v1 types.go), for the API server's field validation (`fieldValidation=Strict|Warn|Ignore`,
 * KEP-2885). kubectl sends Strict once the OpenAPI document says the server validates.
 * `'*'` marks a field whose content is not checked further.
 */
type Shape = { [field: string]: Shape | [Shape] | '*' };
const ANY = '*' as const;

const META: Shape = Object.fromEntries(
  [
    'name',
    'generateName',
    'namespace',
    'selfLink',
    'uid',
    'resourceVersion',
    'generation',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'labels',
    'annotations',
    'ownerReferences',
    'finalizers',
    'managedFields',
  ].map((f) => [f, ANY]),
);
const ENV: Shape = { name: ANY, value: ANY, valueFrom: ANY };
const MOUNT: Shape = Object.fromEntries(
  ['name', 'readOnly', 'recursiveReadOnly', 'mountPath', 'subPath', 'mountPropagation', 'subPathExpr'].map((f) => [
    f,
    ANY,
  ]),
);
const CONTAINER: Shape = {
  ...Object.fromEntries(
    [
      'name',
      'image',
      'command',
      'args',
      'workingDir',
      'ports',
      'envFrom',
      'resources',
      'resizePolicy',
      'restartPolicy',
      'restartPolicyRules',
      'volumeDevices',
      'livenessProbe',
      'readinessProbe',
      'startupProbe',
      'lifecycle',
      'terminationMessagePath',
      'terminationMessagePolicy',
      'imagePullPolicy',
      'securityContext',
      'stdin',
      'stdinOnce',
      'tty',
    ].map((f) => [f, ANY]),
  ),
  env: [ENV],
  volumeMounts: [MOUNT],
};
const VOLUME: Shape = Object.fromEntries(
  [
    'name',
    'hostPath',
    'emptyDir',
    'gcePersistentDisk',
    'awsElasticBlockStore',
    'gitRepo',
    'secret',
    'nfs',
    'iscsi',
    'glusterfs',
    'persistentVolumeClaim',
    'rbd',
    'flexVolume',
    'cinder',
    'cephfs',
    'flocker',
    'downwardAPI',
    'fc',
    'azureFile',
    'configMap',
    'vsphereVolume',
    'quobyte',
    'azureDisk',
    'photonPersistentDisk',
    'projected',
    'portworxVolume',
    'scaleIO',
    'storageos',
    'csi',
    'ephemeral',
    'image',
  ].map((f) => [f, ANY]),
);
const POD_SPEC: Shape = {
  ...Object.fromEntries(
    [
      'restartPolicy',
      'terminationGracePeriodSeconds',
      'activeDeadlineSeconds',
      'dnsPolicy',
      'nodeSelector',
      'serviceAccountName',
      'serviceAccount',
      'automountServiceAccountToken',
      'nodeName',
      'hostNetwork',
      'hostPID',
      'hostIPC',
      'shareProcessNamespace',
      'securityContext',
      'imagePullSecrets',
      'hostname',
      'subdomain',
      'affinity',
      'schedulerName',
      'tolerations',
      'hostAliases',
      'priorityClassName',
      'priority',
      'dnsConfig',
      'readinessGates',
      'runtimeClassName',
      'enableServiceLinks',
      'preemptionPolicy',
      'overhead',
      'topologySpreadConstraints',
      'setHostnameAsFQDN',
      'os',
      'hostUsers',
      'schedulingGates',
      'resourceClaims',
      'resources',
      'ephemeralContainers',
      'hostnameOverride',
    ].map((f) => [f, ANY]),
  ),
  volumes: [VOLUME],
  initContainers: [CONTAINER],
  containers: [CONTAINER],
};

/** apps/v1 types.go: DeploymentSpec, DeploymentStrategy, metav1.LabelSelector, core PodTemplateSpec. */
const LABEL_SELECTOR: Shape = { matchLabels: ANY, matchExpressions: [{ key: ANY, operator: ANY, values: ANY }] };
const DEPLOYMENT_SPEC: Shape = {
  replicas: ANY,
  selector: LABEL_SELECTOR,
  template: { metadata: META, spec: POD_SPEC },
  strategy: { type: ANY, rollingUpdate: { maxUnavailable: ANY, maxSurge: ANY } },
  minReadySeconds: ANY,
  revisionHistoryLimit: ANY,
  paused: ANY,
  progressDeadlineSeconds: ANY,
};

/** apps/v1 ReplicaSetSpec, StatefulSetSpec, DaemonSetSpec; batch/v1 JobSpec. */
const TEMPLATE: Shape = { metadata: META, spec: POD_SPEC };
const REPLICA_SET_SPEC: Shape = { replicas: ANY, minReadySeconds: ANY, selector: LABEL_SELECTOR, template: TEMPLATE };
const STATEFUL_SET_SPEC: Shape = {
  ...Object.fromEntries(
    [
      'replicas',
      'serviceName',
      'volumeClaimTemplates',
      'podManagementPolicy',
      'updateStrategy',
      'revisionHistoryLimit',
      'minReadySeconds',
      'persistentVolumeClaimRetentionPolicy',
      'ordinals',
    ].map((f) => [f, ANY]),
  ),
  selector: LABEL_SELECTOR,
  template: TEMPLATE,
};
const DAEMON_SET_SPEC: Shape = {
  selector: LABEL_SELECTOR,
  template: TEMPLATE,
  updateStrategy: ANY,
  minReadySeconds: ANY,
  revisionHistoryLimit: ANY,
};
const JOB_SPEC: Shape = {
  ...Object.fromEntries(
    [
      'parallelism',
      'completions',
      'activeDeadlineSeconds',
      'podFailurePolicy',
      'successPolicy',
      'backoffLimit',
      'backoffLimitPerIndex',
      'maxFailedIndexes',
      'manualSelector',
      'ttlSecondsAfterFinished',
      'completionMode',
      'suspend',
      'podReplacementPolicy',
      'managedBy',
    ].map((f) => [f, ANY]),
  ),
  selector: LABEL_SELECTOR,
  template: TEMPLATE,
};

const KINDS: Record<string, Shape> = {
  Deployment: { apiVersion: ANY, kind: ANY, metadata: META, spec: DEPLOYMENT_SPEC, status: ANY },
  ReplicaSet: { apiVersion: ANY, kind: ANY, metadata: META, spec: REPLICA_SET_SPEC, status: ANY },
  StatefulSet: { apiVersion: ANY, kind: ANY, metadata: META, spec: STATEFUL_SET_SPEC, status: ANY },
  DaemonSet: { apiVersion: ANY, kind: ANY, metadata: META, spec: DAEMON_SET_SPEC, status: ANY },
  Job: { apiVersion: ANY, kind: ANY, metadata: META, spec: JOB_SPEC, status: ANY },
  Pod: { apiVersion: ANY, kind: ANY, metadata: META, spec: POD_SPEC, status: ANY },
  ServiceAccount: {
    apiVersion: ANY,
    kind: ANY,
    metadata: META,
    secrets: ANY,
    imagePullSecrets: ANY,
    automountServiceAccountToken: ANY,
  },
  Namespace: { apiVersion: ANY, kind: ANY, metadata: META, spec: ANY, status: ANY },
};

/** Paths of fields the type does not have, rendered as the strict decoder does (`spec.containers[0].envv`). */
export function unknownFields(kind: string, obj: unknown): string[] {
  const shape = KINDS[kind];
  const out: string[] = [];
  if (shape) walk(shape, obj, '', out);
  return out;
}

function walk(shape: Shape, value: unknown, path: string, out: string[]): void {
  if (!isRecord(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const p = path ? `${path}.${k}` : k;
    const child = shape[k];
    if (child === undefined) {
      out.push(p);
    } else if (Array.isArray(child)) {
      if (Array.isArray(v)) v.forEach((item, i) => walk(child[0], item, `${p}[${i}]`, out));
    } else if (child !== ANY) {
      walk(child, v, p, out);
    }
  }
}

/**
 * Applies the request's `fieldValidation` (default Warn): Strict fails with the decoder's error,
 * Warn returns `Warning` header values, Ignore returns nothing.
 */
export function checkFields(kind: string, obj: unknown, directive: string | null): string[] {
  const mode = directive ?? 'Warn';
  if (!['Strict', 'Warn', 'Ignore'].includes(mode)) {
    throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${mode}"`);
  }
  if (mode === 'Ignore') return [];
  const unknown = unknownFields(kind, obj).map((f) => `unknown field "${f}"`);
  if (unknown.length && mode === 'Strict') {
    throw badRequest(
      `${kind} in version "v1" cannot be handled as a ${kind}: strict decoding error: ${unknown.join(', ')}`,
    );
  }
  return unknown;
}

/** RFC 7234 warn-code 299 with the message quoted, as kube-apiserver sends warnings. */
export function warningHeader(warnings: readonly string[]): Record<string, string> {
  return warnings.length ? { warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ') } : {};
}
