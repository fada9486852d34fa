import { badRequest, forbiddenValue, invalid, invalidValue, requiredValue, type FieldError } from './status';
import { deepEqual } from './schema';
import type { KubeObject } from './kubeState';
import { isRecord } from '../../core/is';

/**
 * Validation with kube-apiserver's own messages (k8s.io/apimachinery pkg/util/validation
 * validation.go, pkg/api/validation/objectmeta.go; kubernetes pkg/apis/core/validation).
 */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const QUALIFIED_NAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/**
 * What Go's json decoder says for a value of the wrong type in a typed field (a YAML `true`
 * label value): `json: cannot unmarshal bool into Go struct field <Struct>.<path> of type
 * string`, the struct being the innermost Go type and the path the JSON path from the root
 * (encoding/json UnmarshalTypeError). Checked for the maps a workload manifest carries:
 * metadata labels and annotations, and for a Deployment also its template's and selector's.
 */
export function checkDecodable(kind: string, obj: KubeObject): void {
  const fail = (what: string): never => {
    throw badRequest(`${kind} in version "v1" cannot be handled as a ${kind}: json: cannot unmarshal ${what}`);
  };
  const md = obj.metadata;
  if (md !== undefined && !isRecord(md)) {
    fail(`${goType(md)} into Go struct field ${kind}.metadata of type v1.ObjectMeta`);
  }
  const maps: [unknown, string][] = [
    [isRecord(md) ? md.labels : undefined, 'ObjectMeta.metadata.labels'],
    [isRecord(md) ? md.annotations : undefined, 'ObjectMeta.metadata.annotations'],
  ];
  if (kind === 'Deployment' && isRecord(obj.spec)) {
    const spec = obj.spec;
    if (spec.replicas !== undefined && spec.replicas !== null && typeof spec.replicas !== 'number') {
      fail(`${goType(spec.replicas)} into Go struct field DeploymentSpec.spec.replicas of type int32`);
    }
    const tmd = isRecord(spec.template) ? spec.template.metadata : undefined;
    maps.push([isRecord(tmd) ? tmd.labels : undefined, 'ObjectMeta.spec.template.metadata.labels']);
    maps.push([isRecord(tmd) ? tmd.annotations : undefined, 'ObjectMeta.spec.template.metadata.annotations']);
    maps.push([
      isRecord(spec.selector) ? spec.selector.matchLabels : undefined,
      'LabelSelector.spec.selector.matchLabels',
    ]);
  }
  for (const [map, field] of maps) {
    if (map === undefined || map === null) continue;
    if (!isRecord(map)) fail(`${goType(map)} into Go struct field ${field} of type map[string]string`);
    for (const v of Object.values(map as Record<string, unknown>)) {
      if (typeof v !== 'string' && v !== null) fail(`${goType(v)} into Go struct field ${field} of type string`);
    }
  }
}

function goType(v: unknown): string {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

export function validateQualifiedName(key: string, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const parts = key.split('/');
  let name = key;
  if (parts.length === 2) {
    const prefix = parts[0] as string;
    name = parts[1] as string;
    if (!prefix) errs.push(invalidValue(field, key, 'prefix part must be non-empty'));
    else if (prefix.length > 253) {
      errs.push(invalidValue(field, key, 'prefix part must be no more than 253 characters'));
    } else if (!DNS1123_SUBDOMAIN.test(prefix)) {
      errs.push(invalidValue(field, key, `prefix part ${DNS1123_SUBDOMAIN_MSG}`));
    }
  } else if (parts.length > 2) {
    errs.push(
      invalidValue(
        field,
        key,
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ),
    );
    return errs;
  }
  if (!name) errs.push(invalidValue(field, key, 'name part must be non-empty'));
  else if (name.length > 63) errs.push(invalidValue(field, key, 'name part must be no more than 63 characters'));
  else if (!QUALIFIED_NAME.test(name)) errs.push(invalidValue(field, key, QUALIFIED_NAME_MSG));
  return errs;
}

/** ValidateLabels: keys are qualified names, values at most 63 characters of the label alphabet. */
export function validateLabels(labels: Record<string, unknown> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateQualifiedName(k, field));
    const value = String(v ?? '');
    if (value.length > 63) errs.push(invalidValue(field, value, 'must be no more than 63 characters'));
    if (!LABEL_VALUE.test(value)) errs.push(invalidValue(field, value, LABEL_VALUE_MSG));
  }
  return errs;
}

export function validateAnnotations(annotations: Record<string, unknown> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    errs.push(...validateQualifiedName(k.toLowerCase(), field));
    total += k.length + String(v ?? '').length;
  }
  if (total > 256 * 1024) {
    errs.push({ type: 'FieldValueTooLong', field, detail: `Too long: may not be more than 262144 bytes` });
  }
  return errs;
}

/** ValidateObjectMeta for a kind whose names are DNS subdomains (pods, SAs) or labels (namespaces). */
export function validateMeta(obj: KubeObject, nameRule: 'subdomain' | 'label'): FieldError[] {
  const md = (obj.metadata ?? {}) as Record<string, unknown>;
  const errs: FieldError[] = [];
  const name = typeof md.name === 'string' ? md.name : '';
  if (!name) {
    errs.push(requiredValue('metadata.name', 'name or generateName is required'));
  } else if (nameRule === 'label') {
    if (name.length > 63) errs.push(invalidValue('metadata.name', name, 'must be no more than 63 characters'));
    if (!DNS1123_LABEL.test(name)) errs.push(invalidValue('metadata.name', name, DNS1123_LABEL_MSG));
  } else {
    if (name.length > 253) errs.push(invalidValue('metadata.name', name, 'must be no more than 253 characters'));
    if (!DNS1123_SUBDOMAIN.test(name)) errs.push(invalidValue('metadata.name', name, DNS1123_SUBDOMAIN_MSG));
  }
  errs.push(...validateLabels(md.labels as Record<string, unknown> | undefined, 'metadata.labels'));
  errs.push(...validateAnnotations(md.annotations as Record<string, unknown> | undefined, 'metadata.annotations'));
  return errs;
}

/** The parts of ValidatePodSpec a hand-written manifest most often gets wrong. */
export function validatePodSpec(spec: Record<string, unknown> | undefined, at = 'spec'): FieldError[] {
  const errs: FieldError[] = [];
  const s = spec ?? {};
  const volumes = new Set<string>();
  for (const [i, v] of ((s.volumes ?? []) as Record<string, unknown>[]).entries()) {
    const name = String(v.name ?? '');
    if (!name) errs.push(requiredValue(`${at}.volumes[${i}].name`));
    else if (volumes.has(name)) {
      errs.push({
        type: 'FieldValueDuplicate',
        field: `${at}.volumes[${i}].name`,
        detail: `Duplicate value: "${name}"`,
      });
    }
    volumes.add(name);
  }
  const containers = (s.containers ?? []) as Record<string, unknown>[];
  if (!Array.isArray(containers) || containers.length === 0) {
    errs.push(requiredValue(`${at}.containers`));
  }
  const names = new Set<string>();
  for (const list of ['initContainers', 'containers'] as const) {
    for (const [i, c] of (((s[list] ?? []) as Record<string, unknown>[]) || []).entries()) {
      const path = `${at}.${list}[${i}]`;
      const name = typeof c.name === 'string' ? c.name : '';
      if (!name) errs.push(requiredValue(`${path}.name`));
      else if (!DNS1123_LABEL.test(name)) errs.push(invalidValue(`${path}.name`, name, DNS1123_LABEL_MSG));
      else if (names.has(name)) {
        errs.push({ type: 'FieldValueDuplicate', field: `${path}.name`, detail: `Duplicate value: "${name}"` });
      }
      names.add(name);
      if (!c.image) errs.push(requiredValue(`${path}.image`));
      const mountPaths = new Set<string>();
      for (const [j, m] of ((c.volumeMounts ?? []) as Record<string, unknown>[]).entries()) {
        const mname = String(m.name ?? '');
        if (!volumes.has(mname)) {
          errs.push({
            type: 'FieldValueNotSupported',
            field: `${path}.volumeMounts[${j}].name`,
            detail: `Not found: "${mname}"`,
          });
        }
        const mp = String(m.mountPath ?? '');
        if (!mp) errs.push(requiredValue(`${path}.volumeMounts[${j}].mountPath`));
        else if (mountPaths.has(mp)) {
          errs.push(invalidValue(`${path}.volumeMounts[${j}].mountPath`, mp, 'must be unique'));
        }
        mountPaths.add(mp);
      }
      for (const [j, e] of ((c.env ?? []) as Record<string, unknown>[]).entries()) {
        if (!e.name) errs.push(requiredValue(`${path}.env[${j}].name`));
      }
    }
  }
  return errs;
}

/**
 * ValidatePodUpdate: a pod's spec is immutable except container images, activeDeadlineSeconds,
 * tolerations (additions) and terminationGracePeriodSeconds.
 */
export function validatePodUpdate(oldPod: KubeObject, newPod: KubeObject): FieldError[] {
  const strip = (spec: unknown): unknown => {
    const s = structuredClone((spec ?? {}) as Record<string, unknown>);
    for (const list of ['containers', 'initContainers'] as const) {
      for (const c of (s[list] ?? []) as Record<string, unknown>[]) delete c.image;
    }
    delete s.activeDeadlineSeconds;
    delete s.tolerations;
    delete s.terminationGracePeriodSeconds;
    return s;
  };
  if (deepEqual(strip(oldPod.spec), strip(newPod.spec))) return [];
  return [
    forbiddenValue(
      'spec',
      'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    ),
  ];
}

/** `group` qualifies the kind in the message (`Deployment.apps "x" is invalid`), as NewInvalid does. */
export function assertValid(kind: string, name: string, errs: FieldError[], group?: string): void {
  if (errs.length) throw invalid(kind, name, errs, group);
}
