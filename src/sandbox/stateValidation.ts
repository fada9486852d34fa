import type { SandboxState } from './state';
import { isRecord } from '../core/is';

/**
 * Checks a parsed state file shape by shape before the sandbox binds anything, so a file that
 * parses but is half there (`{"schema":1}`) is refused with the first bad field named, instead of
 * failing later inside a handler. It checks what the code relies on (types of every map and the
 * fields read without a guard), not every optional field.
 */
export function stateProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'the file does not hold a JSON object';
  const s = value;
  if (s.schema !== 1) return `unsupported sandbox state schema ${JSON.stringify(s.schema) ?? 'undefined'}`;
  for (const key of ['origin', 'tenantId', 'tenantDisplayName'] as const) {
    if (typeof s[key] !== 'string') return `'${key}' is missing or not a string`;
  }
  if (s.controlToken !== undefined && typeof s.controlToken !== 'string') return "'controlToken' is not a string";
  const dev = s.developer;
  if (!isRecord(dev)) return "'developer' is missing";
  for (const key of ['displayName', 'clientId', 'objectId', 'clientSecret']) {
    if (typeof dev[key] !== 'string') return `'developer.${key}' is missing or not a string`;
  }
  const keyProblem = signingKeyProblem(s.entraKey, 'entraKey');
  if (keyProblem) return keyProblem;
  const maps = [
    'subscriptions',
    'resourceGroups',
    'identities',
    'clusters',
    'roleAssignments',
    'vaults',
    'operations',
  ] as const;
  for (const key of maps) {
    const map = s[key];
    if (!isRecord(map)) return `'${key}' is missing or not an object`;
    for (const [k, entry] of Object.entries(map)) {
      if (!isRecord(entry)) return `'${key}.${k}' is not an object`;
    }
  }
  if (Object.keys(s.subscriptions as object).length === 0) return "'subscriptions' is empty";
  for (const [k, sub] of entries(s.subscriptions)) {
    if (typeof sub.subscriptionId !== 'string') return `'subscriptions.${k}.subscriptionId' is missing`;
  }
  for (const [k, rg] of entries(s.resourceGroups)) {
    for (const f of ['subscriptionId', 'name', 'location']) {
      if (typeof rg[f] !== 'string') return `'resourceGroups.${k}.${f}' is missing`;
    }
  }
  for (const [k, id] of entries(s.identities)) {
    const p = tracked(id, `identities.${k}`) ?? strings(id, `identities.${k}`, ['clientId', 'principalId', 'tenantId']);
    if (p) return p;
    if (!isRecord(id.federatedCredentials)) return `'identities.${k}.federatedCredentials' is missing`;
    for (const [f, fic] of entries(id.federatedCredentials)) {
      const q = strings(fic, `identities.${k}.federatedCredentials.${f}`, ['name', 'issuer', 'subject']);
      if (q) return q;
      if (!Array.isArray(fic.audiences)) return `'identities.${k}.federatedCredentials.${f}.audiences' is not an array`;
    }
  }
  for (const [k, c] of entries(s.clusters)) {
    const p =
      tracked(c, `clusters.${k}`) ??
      strings(c, `clusters.${k}`, ['guid', 'dnsPrefix', 'kubernetesVersion', 'controlPlanePrincipalId']);
    if (p) return p;
    if (c.clientToken !== undefined && typeof c.clientToken !== 'string') {
      return `'clusters.${k}.clientToken' is not a string`;
    }
    if (!Array.isArray(c.agentPoolProfiles)) return `'clusters.${k}.agentPoolProfiles' is not an array`;
    if (!isRecord(c.kubeletIdentity)) return `'clusters.${k}.kubeletIdentity' is missing`;
    const kube = c.kube;
    if (
      !isRecord(kube) ||
      typeof kube.resourceVersion !== 'number' ||
      !isRecord(kube.namespaces) ||
      !isRecord(kube.serviceaccounts) ||
      !isRecord(kube.pods)
    ) {
      return `'clusters.${k}.kube' is missing or incomplete`;
    }
    if (c.signingKey !== undefined) {
      const q = signingKeyProblem(c.signingKey, `clusters.${k}.signingKey`);
      if (q) return q;
    }
    if (!isRecord(c.extraProperties)) return `'clusters.${k}.extraProperties' is missing`;
  }
  for (const [k, a] of entries(s.roleAssignments)) {
    const p = strings(a, `roleAssignments.${k}`, ['name', 'scope', 'roleDefinitionGuid', 'principalId']);
    if (p) return p;
  }
  for (const [k, v] of entries(s.vaults)) {
    const p = tracked(v, `vaults.${k}`);
    if (p) return p;
    if (!isRecord(v.properties) || !isRecord(v.secrets)) return `'vaults.${k}' lacks properties or secrets`;
    for (const [n, secret] of entries(v.secrets)) {
      if (typeof secret.name !== 'string' || !Array.isArray(secret.versions)) {
        return `'vaults.${k}.secrets.${n}' is incomplete`;
      }
    }
  }
  for (const [k, o] of entries(s.operations)) {
    const p = strings(o, `operations.${k}`, ['id', 'resourceId', 'subscriptionId']);
    if (p) return p;
  }
  return undefined;
}

/** Throws unless the value is a whole state; returns it typed. */
export function validatedState(value: unknown, file: string): SandboxState {
  const problem = stateProblem(value);
  if (problem) throw new Error(`${file} is not a valid sandbox state: ${problem}; start with --reset to replace it`);
  return value as SandboxState;
}

function entries(v: unknown): [string, Record<string, unknown>][] {
  return Object.entries(v as Record<string, Record<string, unknown>>);
}

function strings(o: Record<string, unknown>, where: string, keys: readonly string[]): string | undefined {
  for (const key of keys) if (typeof o[key] !== 'string') return `'${where}.${key}' is missing or not a string`;
  return undefined;
}

function tracked(o: Record<string, unknown>, where: string): string | undefined {
  return strings(o, where, ['id', 'name', 'subscriptionId', 'resourceGroup', 'location']);
}

function signingKeyProblem(v: unknown, where: string): string | undefined {
  if (!isRecord(v) || typeof v.kid !== 'string' || typeof v.privateKeyPem !== 'string' || !isRecord(v.publicJwk)) {
    return `'${where}' is missing or incomplete`;
  }
  return undefined;
}
