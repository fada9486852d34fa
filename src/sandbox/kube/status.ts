import { json, type SandboxResponse } from '../http';

/**
 * `metav1.Status` failures exactly as kube-apiserver writes them
 * (k8s.io/apimachinery pkg/api/errors/errors.go: NewNotFound, NewAlreadyExists, NewConflict,
 * NewInvalid, NewBadRequest, NewForbidden, NewMethodNotSupported).
 */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
}

/** Thrown by handlers; the router turns it into the Status response. */
export class KubeStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string | undefined,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  static is(e: unknown): e is KubeStatusError {
    return e instanceof KubeStatusError;
  }

  toResponse(): SandboxResponse {
    return statusResponse(this.code, this.reason, this.message, this.details);
  }
}

export function statusResponse(
  code: number,
  reason: string | undefined,
  message: string,
  details?: StatusDetails,
): SandboxResponse {
  const body: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message };
  if (reason) {
    body.reason = reason;
  }
  if (details) {
    body.details = details;
  }
  body.code = code;
  return json(code, body);
}

/**
 * `resource` may be group-qualified (`deployments.apps`): the message keeps it whole, while
 * details carry `group` and the bare plural as `kind`, as NewNotFound(schema.GroupResource) does.
 */
function details(resource: string, name: string): StatusDetails {
  const dot = resource.indexOf('.');
  if (dot < 0) return { name, kind: resource };
  return { name, group: resource.slice(dot + 1), kind: resource.slice(0, dot) };
}

/** `pods "x" not found` — details.kind is the resource (plural), as in NewNotFound. */
export function notFound(resource: string, name: string): KubeStatusError {
  return new KubeStatusError(404, 'NotFound', `${resource} "${name}" not found`, details(resource, name));
}

export function alreadyExists(resource: string, name: string): KubeStatusError {
  return new KubeStatusError(409, 'AlreadyExists', `${resource} "${name}" already exists`, details(resource, name));
}

/** The optimistic-concurrency failure (registry/generic/registry/store.go uses OptimisticLockErrorMsg). */
export function conflict(
  resource: string,
  name: string,
  why = 'the object has been modified; please apply your changes to the latest version and try again',
): KubeStatusError {
  return new KubeStatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${resource} "${name}": ${why}`,
    details(resource, name),
  );
}

/** A field error as field.ErrorList renders it: `metadata.labels: Invalid value: "x": why`. */
export interface FieldError {
  type:
    | 'FieldValueInvalid'
    | 'FieldValueRequired'
    | 'FieldValueNotSupported'
    | 'FieldValueForbidden'
    | 'FieldValueDuplicate'
    | 'FieldValueTooLong';
  field: string;
  /** Already rendered detail, e.g. `Invalid value: "x": must be …` or `Required value`. */
  detail: string;
}

export function invalidValue(field: string, value: unknown, why: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: `Invalid value: ${renderValue(value)}: ${why}` };
}

export function requiredValue(field: string, why?: string): FieldError {
  return { type: 'FieldValueRequired', field, detail: why ? `Required value: ${why}` : 'Required value' };
}

/** field.Invalid with a value already rendered the way Go's `%#v` prints it (maps, structs). */
export function invalidGoValue(field: string, rendered: string, why: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: `Invalid value: ${rendered}: ${why}` };
}

export function notSupportedValue(field: string, value: string, supported: readonly string[]): FieldError {
  return {
    type: 'FieldValueNotSupported',
    field,
    detail: `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
  };
}

export function forbiddenValue(field: string, why: string): FieldError {
  return { type: 'FieldValueForbidden', field, detail: `Forbidden: ${why}` };
}

/** NewInvalid: `Pod "x" is invalid: [a, b]` (brackets only for more than one error), 422. */
export function invalid(kind: string, name: string, errors: readonly FieldError[], group?: string): KubeStatusError {
  const rendered = errors.map((e) => `${e.field}: ${e.detail}`);
  const summary = rendered.length === 1 ? rendered[0] : `[${rendered.join(', ')}]`;
  const qualified = group ? `${kind}.${group}` : kind;
  return new KubeStatusError(422, 'Invalid', `${qualified} "${name}" is invalid: ${summary}`, {
    name: name || undefined,
    group,
    kind,
    causes: errors.map((e) => ({ reason: e.type, message: e.detail, field: e.field })),
  });
}

export function badRequest(message: string): KubeStatusError {
  return new KubeStatusError(400, 'BadRequest', message);
}

export function forbidden(resource: string, name: string, why: string): KubeStatusError {
  const subject = name ? `${resource} "${name}"` : resource;
  return new KubeStatusError(403, 'Forbidden', `${subject} is forbidden: ${why}`, {
    name: name || undefined,
    kind: resource,
  });
}

export function methodNotSupported(resource: string, verb: string): KubeStatusError {
  return new KubeStatusError(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${resource}"`, {
    kind: resource,
  });
}

export function unsupportedMediaType(contentType: string): KubeStatusError {
  return new KubeStatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${contentType})`,
  );
}

/** Go's %q-like rendering that field.Invalid uses for strings; other values as JSON. */
function renderValue(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return JSON.stringify(value);
}
