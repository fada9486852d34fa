/**
 * Name rules checked before any call, so a bad name gets a clear message and nothing is written.
 * Sources: identity names 3–128 characters (Azure/azure-rest-api-specs
 * specification/msi/resource-manager/Microsoft.ManagedIdentity/stable/2024-11-30/ManagedIdentity.json
 * and learn.microsoft.com "Resource naming rules, Microsoft.ManagedIdentity"); credential names
 * `^[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}$` (same spec); namespaces and ServiceAccounts are DNS-1123
 * (kubernetes/apimachinery pkg/util/validation/validation.go: a namespace is a DNS-1123 label,
 * a ServiceAccount name a DNS-1123 subdomain).
 */
import type { ProvisionMessageId } from './messages';

export interface NameProblem {
  readonly field:
    | 'identityName'
    | 'credentialName'
    | 'namespace'
    | 'serviceAccount'
    | 'role'
    | 'scope'
    | 'resourceGroup'
    | 'clusterName'
    | 'subscriptionId'
    | 'location';
  readonly id: ProvisionMessageId;
  readonly args: readonly string[];
}

const IDENTITY = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$/;
export const CREDENTIAL_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// Resource group names: 1–90 of letters, digits, '_', '-', '.', '(', ')', not ending in '.'.
const RESOURCE_GROUP = /^[-\w._()]{0,89}[-\w_()]$/;

export function identityNameProblem(name: string): NameProblem | undefined {
  if (name.length < 3 || name.length > 128) {
    return { field: 'identityName', id: 'name.identityLength', args: [name, String(name.length)] };
  }
  if (!IDENTITY.test(name)) return { field: 'identityName', id: 'name.identityChars', args: [name] };
  return undefined;
}

export function credentialNameProblem(name: string): NameProblem | undefined {
  return CREDENTIAL_NAME.test(name) ? undefined : { field: 'credentialName', id: 'name.credential', args: [name] };
}

export function namespaceProblem(name: string): NameProblem | undefined {
  return name.length <= 63 && DNS1123_LABEL.test(name)
    ? undefined
    : { field: 'namespace', id: 'name.namespace', args: [name] };
}

export function serviceAccountProblem(name: string): NameProblem | undefined {
  return name.length <= 253 && DNS1123_SUBDOMAIN.test(name)
    ? undefined
    : { field: 'serviceAccount', id: 'name.serviceAccount', args: [name] };
}

export function isGuidText(value: string): boolean {
  return GUID.test(value);
}

/** A role given as a GUID or a full role definition ID ends in a GUID; anything else is a name to look up. */
export function roleGuidOf(role: string): string | undefined {
  const last = role.trim().split('/').pop() ?? '';
  return GUID.test(last) ? last.toLowerCase() : undefined;
}

export function resourceGroupProblem(name: string, field: 'resourceGroup' = 'resourceGroup'): NameProblem | undefined {
  return RESOURCE_GROUP.test(name) ? undefined : { field, id: 'name.resourceGroup', args: [name] };
}

/** An ARM resource ID: `/subscriptions/{guid}/…`. */
export function scopeProblem(scope: string): NameProblem | undefined {
  return /^\/subscriptions\/[0-9a-fA-F-]{36}(\/.*)?$/.test(scope) && !/\/\//.test(scope)
    ? undefined
    : { field: 'scope', id: 'name.scope', args: [scope] };
}

/**
 * The default credential name: `kwi-{cluster}-{namespace}-{serviceaccount}`, characters outside
 * the rule replaced by '-', cut to 120. Deterministic, so a re-run proposes the same name.
 */
export function defaultCredentialName(cluster: string, namespace: string, serviceAccount: string): string {
  const raw = `kwi-${cluster}-${namespace}-${serviceAccount}`.replace(/[^a-zA-Z0-9_-]/g, '-');
  return raw.slice(0, 120);
}
