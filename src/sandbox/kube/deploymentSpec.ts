import type { KubeObject } from './kubeState';
import type { Requirement } from './labelSelector';
import { defaultPodSpec } from './podLifecycle';
import { deepEqual } from './schema';
import {
  forbiddenValue,
  invalidGoValue,
  invalidValue,
  notSupportedValue,
  requiredValue,
  type FieldError,
} from './status';
import { validateLabels, validatePodSpec } from './validation';
import { matchesLabels } from './labelSelector';
import { isRecord } from '../../core/is';

type Obj = Record<string, unknown>;

/**
 * apps/v1 Deployment defaulting and validation, after kubernetes pkg/apis/apps/v1/defaults.go
 * (SetDefaults_Deployment) and pkg/apis/apps/validation/validation.go (ValidateDeploymentSpec,
 * ValidatePodTemplateSpecForReplicaSet, ValidateDeploymentUpdate), with the API server's
 * messages as a v1.33 server renders them (Go `%#v` for maps and structs; v1.34 moved to JSON).
 */
export function defaultDeployment(obj: KubeObject): void {
  const spec = (obj.spec ??= {}) as Obj;
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {}) as Obj;
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {}) as Obj;
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  const template = (spec.template ??= {}) as Obj;
  template.metadata ??= {};
  defaultPodSpec((template.spec ??= {}) as Obj);
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** metav1.LabelSelectorAsSelector: matchLabels as `=`, expressions mapped, sorted by key. */
export function selectorRequirements(sel: LabelSelector): Requirement[] {
  const reqs: Requirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, v]) => ({
    key,
    op: '=',
    values: [String(v)],
  }));
  for (const e of sel.matchExpressions ?? []) {
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as const)[e.operator as 'In'];
    if (op) reqs.push({ key: e.key, op, values: [...(e.values ?? [])].sort() });
  }
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** labels.Selector.String(): what `status.selector` of a Scale and the SELECTOR column show. */
export function selectorString(sel: LabelSelector): string {
  return selectorRequirements(sel)
    .map((r) => {
      switch (r.op) {
        case 'in':
        case 'notin':
          return `${r.key} ${r.op} (${r.values.join(',')})`;
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
        default:
          return `${r.key}${r.op}${r.values[0] ?? ''}`;
      }
    })
    .join(',');
}

/** Go's `%#v` of a map[string]string: keys sorted, `map[string]string{"a":"b", "c":"d"}`. */
export function goStringMap(m: unknown): string {
  if (!isRecord(m)) return 'map[string]string(nil)';
  const entries = Object.keys(m)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(String(m[k]))}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/** Go's `%#v` of a *metav1.LabelSelector, as `field is immutable` prints it. */
export function goLabelSelector(sel: LabelSelector | undefined): string {
  if (!sel) return 'null';
  const exprs = sel.matchExpressions?.length
    ? `[]v1.LabelSelectorRequirement{${sel.matchExpressions
        .map(
          (e) =>
            `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key)}, Operator:${JSON.stringify(e.operator)}, Values:${e.values ? `[]string{${e.values.map((v) => JSON.stringify(v)).join(', ')}}` : '[]string(nil)'}}`,
        )
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels)}, MatchExpressions:${exprs}}`;
}

/** ValidateDeploymentSpec (after ObjectMeta validation, which the caller does). */
export function validateDeploymentSpec(obj: KubeObject): FieldError[] {
  const spec = (obj.spec ?? {}) as Obj;
  const errs: FieldError[] = [];
  if (typeof spec.replicas === 'number' && spec.replicas < 0) {
    errs.push(invalidValue('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  }
  const sel = isRecord(spec.selector) ? (spec.selector as LabelSelector) : undefined;
  if (!sel) {
    errs.push(requiredValue('spec.selector'));
  } else {
    errs.push(...validateSelector(sel));
    if (Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0) {
      errs.push(invalidGoValue('spec.selector', goLabelSelector(sel), 'empty selector is invalid for deployment'));
    }
  }
  // ValidatePodTemplateSpecForReplicaSet: a nil selector converts to labels.Nothing(), which is
  // not Empty() and matches nothing, so a missing selector also reports the label mismatch.
  const template = (spec.template ?? {}) as Obj;
  const tmd = (template.metadata ?? {}) as Obj;
  const labels = (tmd.labels ?? {}) as Record<string, string>;
  const selectorEmpty = !!sel && selectorRequirements(sel).length === 0;
  if (!selectorEmpty && !(sel && matchesLabels(selectorRequirements(sel), labels))) {
    errs.push(
      invalidGoValue(
        'spec.template.metadata.labels',
        goStringMap(tmd.labels),
        '`selector` does not match template `labels`',
      ),
    );
  }
  errs.push(...validateLabels(tmd.labels as Obj | undefined, 'spec.template.metadata.labels'));
  const podSpec = (template.spec ?? {}) as Obj;
  errs.push(...validatePodSpec(podSpec, 'spec.template.spec'));
  if (podSpec.restartPolicy !== 'Always') {
    errs.push(notSupportedValue('spec.template.spec.restartPolicy', String(podSpec.restartPolicy), ['Always']));
  }
  if (podSpec.activeDeadlineSeconds !== undefined) {
    errs.push(
      invalidValue(
        'spec.template.spec.activeDeadlineSeconds',
        podSpec.activeDeadlineSeconds,
        'activeDeadlineSeconds in ReplicaSet is not Supported',
      ),
    );
  }
  const strategy = (spec.strategy ?? {}) as Obj;
  if (strategy.type !== 'RollingUpdate' && strategy.type !== 'Recreate') {
    errs.push(notSupportedValue('spec.strategy.type', String(strategy.type), ['Recreate', 'RollingUpdate']));
  } else if (strategy.type === 'Recreate' && strategy.rollingUpdate !== undefined) {
    errs.push(forbiddenValue('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
  }
  return errs;
}

/** ValidateLabelSelector: matchLabels are labels; expressions need a known operator and values. */
function validateSelector(sel: LabelSelector): FieldError[] {
  const errs = validateLabels(sel.matchLabels as Obj | undefined, 'spec.selector.matchLabels');
  (sel.matchExpressions ?? []).forEach((e, i) => {
    const at = `spec.selector.matchExpressions[${i}]`;
    if (e.operator === 'In' || e.operator === 'NotIn') {
      if (!e.values?.length) {
        errs.push(requiredValue(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      }
    } else if (e.operator === 'Exists' || e.operator === 'DoesNotExist') {
      if (e.values?.length) {
        errs.push(forbiddenValue(`${at}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      }
    } else {
      errs.push(notSupportedValue(`${at}.operator`, String(e.operator), ['In', 'NotIn', 'Exists', 'DoesNotExist']));
    }
  });
  return errs;
}

/** ValidateDeploymentUpdate for apps/v1: the selector may not change (apps/v1 made it immutable). */
export function validateDeploymentUpdate(oldObj: KubeObject, newObj: KubeObject): FieldError[] {
  const was = (oldObj.spec as Obj | undefined)?.selector as LabelSelector | undefined;
  const now = (newObj.spec as Obj | undefined)?.selector as LabelSelector | undefined;
  const norm = (s: LabelSelector | undefined): unknown =>
    s ? { matchLabels: s.matchLabels ?? {}, matchExpressions: s.matchExpressions ?? [] } : undefined;
  if (deepEqual(norm(was), norm(now))) return [];
  return [invalidGoValue('spec.selector', goLabelSelector(now), 'field is immutable')];
}
