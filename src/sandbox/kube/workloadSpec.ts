import type { KubeObject } from './kubeState';
import { goLabelSelector, goStringMap, selectorRequirements, type LabelSelector } from './deploymentSpec';
import { matchesLabels } from './labelSelector';
import { defaultPodSpec } from './podLifecycle';
import type { WorkloadResource } from './resources';
import { deepEqual } from './schema';
import { invalidGoValue, invalidValue, notSupportedValue, requiredValue, type FieldError } from './status';
import { validateLabels, validatePodSpec } from './validation';
import { isRecord } from '../../core/is';

type Obj = Record<string, unknown>;

/**
 * Defaulting and validation of the pod-template kinds besides Deployments (kubernetes
 * pkg/apis/apps/v1/defaults.go SetDefaults_ReplicaSet/StatefulSet/DaemonSet,
 * pkg/apis/batch/v1/defaults.go SetDefaults_Job; pkg/apis/apps/validation and
 * pkg/apis/batch/validation), reduced to the fields a workload-identity manifest uses.
 */
export function defaultWorkload(resource: Exclude<WorkloadResource, 'deployments'>, obj: KubeObject): void {
  const spec = (obj.spec ??= {}) as Obj;
  const template = (spec.template ??= {}) as Obj;
  template.metadata ??= {};
  const podSpec = (template.spec ??= {}) as Obj;
  if (resource === 'jobs') {
    // A Job's pods must not restart forever: the API server requires Never or OnFailure.
    spec.parallelism ??= 1;
    spec.completions ??= spec.parallelism;
    spec.backoffLimit ??= 6;
    spec.completionMode ??= 'NonIndexed';
    spec.suspend ??= false;
    spec.podReplacementPolicy ??= 'TerminatingOrFailed';
    spec.manualSelector ??= undefined;
    if (spec.manualSelector === undefined) delete spec.manualSelector;
  } else if (resource === 'daemonsets') {
    const strategy = (spec.updateStrategy ??= {}) as Obj;
    strategy.type ??= 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') {
      const ru = (strategy.rollingUpdate ??= {}) as Obj;
      ru.maxUnavailable ??= 1;
      ru.maxSurge ??= 0;
    }
    spec.revisionHistoryLimit ??= 10;
  } else {
    spec.replicas ??= 1;
    if (resource === 'statefulsets') {
      spec.podManagementPolicy ??= 'OrderedReady';
      const strategy = (spec.updateStrategy ??= {}) as Obj;
      strategy.type ??= 'RollingUpdate';
      if (strategy.type === 'RollingUpdate') ((strategy.rollingUpdate ??= {}) as Obj).partition ??= 0;
      spec.revisionHistoryLimit ??= 10;
      spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
    }
  }
  defaultPodSpec(podSpec);
}

/** The selector/template checks the apps validators share; Jobs get their selector generated. */
export function validateWorkloadSpec(
  resource: Exclude<WorkloadResource, 'deployments'>,
  obj: KubeObject,
): FieldError[] {
  const spec = (obj.spec ?? {}) as Obj;
  const errs: FieldError[] = [];
  if (typeof spec.replicas === 'number' && spec.replicas < 0) {
    errs.push(invalidValue('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  }
  const template = (spec.template ?? {}) as Obj;
  const tmd = (template.metadata ?? {}) as Obj;
  const sel = isRecord(spec.selector) ? (spec.selector as LabelSelector) : undefined;
  if (resource !== 'jobs' || spec.manualSelector === true) {
    if (!sel) errs.push(requiredValue('spec.selector'));
    else if (selectorRequirements(sel).length === 0) {
      errs.push(
        invalidGoValue(
          'spec.selector',
          goLabelSelector(sel),
          `empty selector is invalid for ${resource === 'jobs' ? 'job' : resource.slice(0, -1)}`,
        ),
      );
    }
    if (!(sel && matchesLabels(selectorRequirements(sel), (tmd.labels ?? {}) as Record<string, string>))) {
      errs.push(
        invalidGoValue(
          'spec.template.metadata.labels',
          goStringMap(tmd.labels),
          '`selector` does not match template `labels`',
        ),
      );
    }
  }
  errs.push(...validateLabels(tmd.labels as Obj | undefined, 'spec.template.metadata.labels'));
  const podSpec = (template.spec ?? {}) as Obj;
  errs.push(...validatePodSpec(podSpec, 'spec.template.spec'));
  if (resource === 'jobs') {
    if (podSpec.restartPolicy !== 'Never' && podSpec.restartPolicy !== 'OnFailure') {
      errs.push(
        notSupportedValue('spec.template.spec.restartPolicy', String(podSpec.restartPolicy), ['OnFailure', 'Never']),
      );
    }
  } else if (podSpec.restartPolicy !== 'Always') {
    errs.push(notSupportedValue('spec.template.spec.restartPolicy', String(podSpec.restartPolicy), ['Always']));
  }
  return errs;
}

/** Selectors are immutable on every kind; a Job's template is immutable too (batch validation). */
export function validateWorkloadUpdate(
  resource: Exclude<WorkloadResource, 'deployments'>,
  oldObj: KubeObject,
  newObj: KubeObject,
): FieldError[] {
  const was = (oldObj.spec ?? {}) as Obj;
  const now = (newObj.spec ?? {}) as Obj;
  const errs: FieldError[] = [];
  if (!deepEqual(was.selector, now.selector)) {
    errs.push(
      invalidGoValue('spec.selector', goLabelSelector(now.selector as LabelSelector | undefined), 'field is immutable'),
    );
  }
  if (resource === 'jobs' && !deepEqual(was.template, now.template)) {
    errs.push(invalidGoValue('spec.template', 'core.PodTemplateSpec{…}', 'field is immutable'));
  }
  return errs;
}

/**
 * A Job's generated selector and labels (pkg/registry/batch/job/strategy.go generateSelector):
 * `batch.kubernetes.io/controller-uid` and `batch.kubernetes.io/job-name`, plus the legacy
 * `controller-uid` and `job-name` labels, from the uid the API server has just assigned.
 */
export function generateJobSelector(obj: KubeObject): void {
  const md = obj.metadata as Obj;
  const spec = obj.spec as Obj;
  if (spec.manualSelector === true) return;
  const uid = String(md.uid);
  const name = String(md.name);
  const tmd = ((spec.template as Obj).metadata ??= {}) as Obj;
  tmd.labels = {
    ...((tmd.labels ?? {}) as Obj),
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
  spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
}
