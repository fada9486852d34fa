import { randomBytes } from 'node:crypto';
import { CLIENT_ID_ANNOTATION } from '../core/rules/keys';
import { SAMPLE_IMAGE, samplePodManifest } from '../core/provision/steps/sampleWorkload';
import { newCluster } from './arm/clusters';
import { ROLE_GUIDS } from './arm/roles';
import { seededSystemData } from './arm/systemData';
import { issuerUrlFor } from './clusterBridge';
import { armKey, identityId, newGuid, newSecretVersion, resourceGroupId, vaultId } from './ids';
import type { SandboxRequest } from './http';
import type { KubeClusterContext } from './kube/clusterContext';
import type { Resource } from './kube/resources';
import { create } from './kube/writes';
import { createSigningKey } from './oidc/keys';
import type { ClusterRecord, IdentityRecord, SandboxState } from './state';

export interface ScaleOptions {
  identities?: number;
  ficsPerIdentity?: number;
  clusters?: number;
  /** Extra subscriptions (the developer owns them all): lets tests page the subscription list. */
  subscriptions?: number;
}

/** Names of the teaching scenario's resources (docs/contracts.md lists them for the other layers' tests). */
export const SCENARIO = {
  resourceGroup: 'rg-workload-identity',
  location: 'eastus',
  clusterWithIssuer: 'aks-wi-demo',
  clusterWithout: 'aks-legacy',
  workingIdentity: 'id-wi-demo',
  workingCredential: 'fic-wi-demo',
  brokenIdentity: 'id-wi-noslash',
  brokenCredential: 'fic-wi-noslash',
  namespace: 'default',
  serviceAccount: 'workload-identity-sa',
  brokenServiceAccount: 'noslash-sa',
  vault: 'kv-wi-demo',
  secret: 'my-secret',
  secretValue: 'Hello from the kwi sandbox!',
  /** The AKS tutorial's sample pod, seeded on the cluster with the issuer. */
  samplePod: 'sample-workload-identity-key-vault',
  samplePodImage: SAMPLE_IMAGE,
} as const;

/**
 * Fixed client and principal (object) IDs of the scenario's two identities, the same in every
 * state file: the sample workspace's ServiceAccount (test/fixtures/workspace/tutorial) carries the
 * working identity's client ID, so the manifest and the sandbox describe one world. Real Azure
 * assigns these at creation; an identity the user creates in the sandbox still gets random ones.
 */
export const SCENARIO_IDS = {
  workingClientId: '9a3e5c1d-2b4f-4a6e-8c0d-1f2e3a4b5c6d',
  workingPrincipalId: '4d6f8a0c-1e3b-4c5d-9e7f-0a1b2c3d4e5f',
  brokenClientId: '7c2d4e6f-8a0b-4c1d-9e2f-3a4b5c6d7e8f',
  brokenPrincipalId: '1b3d5f7a-9c0e-4f2a-8b4c-6d8e0f1a2b3c',
} as const;

/** What survives a reset: the tenant, its subscription, the developer sign-in and the Entra key. */
export type Identity = Pick<
  SandboxState,
  'tenantId' | 'tenantDisplayName' | 'developer' | 'entraKey' | 'subscriptions'
>;

export function newDirectory(): Identity {
  const subscriptionId = newGuid();
  return {
    tenantId: newGuid(),
    tenantDisplayName: 'kwi sandbox',
    developer: {
      displayName: 'kwi sandbox developer',
      clientId: newGuid(),
      objectId: newGuid(),
      // Entra client secrets are 40 characters with a `Q~` marker; the shape is kept for realism.
      clientSecret: `kws8Q~${randomBytes(26).toString('base64url').slice(0, 34)}`,
    },
    entraKey: createSigningKey(),
    subscriptions: { [subscriptionId]: { subscriptionId, displayName: 'Sandbox subscription', state: 'Enabled' } },
  };
}

/**
 * The empty world: tenant, subscription and developer, nothing else — except the developer's
 * Owner assignment on the subscription: ARM authorizes every call (arm/access.ts), and without
 * it the developer could do nothing at all.
 */
export function emptyState(origin: string, directory: Identity = newDirectory()): SandboxState {
  const state: SandboxState = {
    schema: 1,
    origin,
    ...directory,
    resourceGroups: {},
    identities: {},
    clusters: {},
    roleAssignments: {},
    vaults: {},
    operations: {},
  };
  grantDeveloperOwner(state);
  return state;
}

/**
 * Gives the developer Owner on every subscription and marks the state as authorized by ARM RBAC.
 * Also the migration for state files saved before ARM checked authorization (no `armRbac`
 * marker): they lack the assignment, and would otherwise lock the developer out. Runs once per
 * file, so a developer who later removes their own Owner assignment keeps it removed.
 */
export function grantDeveloperOwner(state: SandboxState): void {
  if (state.armRbac) return;
  const developer = state.developer.objectId.toLowerCase();
  for (const sub of Object.keys(state.subscriptions)) {
    const scope = `/subscriptions/${sub}`;
    const held = Object.values(state.roleAssignments).some(
      (a) =>
        a.principalId.toLowerCase() === developer &&
        a.roleDefinitionGuid === ROLE_GUIDS.owner &&
        a.scope.toLowerCase() === scope.toLowerCase(),
    );
    if (!held) assign(state, scope, ROLE_GUIDS.owner, developer);
  }
  state.armRbac = true;
}

export function subscriptionIdOf(state: SandboxState): string {
  return Object.keys(state.subscriptions)[0]!;
}

function addIdentity(
  state: SandboxState,
  subscriptionId: string,
  rg: string,
  name: string,
  location: string,
  ids?: { clientId: string; principalId: string },
): IdentityRecord {
  const record: IdentityRecord = {
    id: identityId(subscriptionId, rg, name),
    name,
    subscriptionId,
    resourceGroup: rg,
    location,
    tags: {},
    clientId: ids?.clientId ?? newGuid(),
    principalId: ids?.principalId ?? newGuid(),
    tenantId: state.tenantId,
    isolationScope: 'None',
    federatedCredentials: {},
  };
  state.identities[armKey(record.id)] = record;
  return record;
}

function addCluster(
  state: SandboxState,
  origin: string,
  subscriptionId: string,
  rg: string,
  name: string,
  location: string,
  withIssuer: boolean,
): ClusterRecord {
  const cluster = newCluster(state, subscriptionId, rg, name, location, {});
  cluster.provisioningState = 'Succeeded';
  if (withIssuer) {
    cluster.oidcIssuerEnabled = true;
    cluster.workloadIdentityEnabled = true;
    cluster.issuerUrl = issuerUrlFor(origin, location, state.tenantId, cluster.guid);
  }
  state.clusters[armKey(cluster.id)] = cluster;
  return cluster;
}

function assign(state: SandboxState, scope: string, roleGuid: string, principalId: string): void {
  const name = newGuid();
  // createdAt 0: seeded assignments have long propagated.
  state.roleAssignments[name] = {
    name,
    scope,
    roleDefinitionGuid: roleGuid,
    principalId,
    principalType: 'ServicePrincipal',
    createdAt: 0,
    createdBy: state.developer.objectId,
  };
}

/**
 * The teaching scenario: a cluster with issuer + workload identity and one with neither (its
 * pods cannot get a federated token at all); an identity whose credential works (ServiceAccount
 * `workload-identity-sa`), and one whose credential names the issuer without its trailing slash
 * (ServiceAccount `noslash-sa`: Entra compares issuers exactly and answers AADSTS70021, see
 * learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations); both hold
 * Key Vault Secrets User on an RBAC vault holding one secret. The cluster with the issuer already
 * runs the AKS tutorial's ServiceAccount and sample pod (learn.microsoft.com/azure/aks/
 * workload-identity-deploy-cluster), the same manifests as the sample workspace's `tutorial/`.
 */
export function teachingState(
  origin: string,
  directory: Identity = newDirectory(),
  scale?: ScaleOptions,
  seed: { tutorialWorkload?: boolean } = {},
): SandboxState {
  const state = emptyState(origin, directory); // the developer already holds Owner on the subscription
  const sub = subscriptionIdOf(state);
  const { resourceGroup: rg, location } = SCENARIO;
  state.resourceGroups[armKey(resourceGroupId(sub, rg))] = { subscriptionId: sub, name: rg, location, tags: {} };

  const demo = addCluster(state, origin, sub, rg, SCENARIO.clusterWithIssuer, location, true);
  addCluster(state, origin, sub, rg, SCENARIO.clusterWithout, location, false);
  const subject = `system:serviceaccount:${SCENARIO.namespace}:${SCENARIO.serviceAccount}`;
  const audiences = ['api://AzureADTokenExchange'];
  const working = addIdentity(state, sub, rg, SCENARIO.workingIdentity, location, {
    clientId: SCENARIO_IDS.workingClientId,
    principalId: SCENARIO_IDS.workingPrincipalId,
  });
  working.federatedCredentials[SCENARIO.workingCredential] = {
    name: SCENARIO.workingCredential,
    issuer: demo.issuerUrl!,
    subject,
    audiences,
    createdAt: 0,
  };
  const broken = addIdentity(state, sub, rg, SCENARIO.brokenIdentity, location, {
    clientId: SCENARIO_IDS.brokenClientId,
    principalId: SCENARIO_IDS.brokenPrincipalId,
  });
  const brokenSubject = `system:serviceaccount:${SCENARIO.namespace}:${SCENARIO.brokenServiceAccount}`;
  broken.federatedCredentials[SCENARIO.brokenCredential] = {
    name: SCENARIO.brokenCredential,
    issuer: demo.issuerUrl!.replace(/\/$/, ''),
    subject: brokenSubject,
    audiences,
    createdAt: 0,
  };

  const kvId = vaultId(sub, rg, SCENARIO.vault);
  const now = Math.floor(Date.now() / 1000);
  state.vaults[armKey(kvId)] = {
    id: kvId,
    name: SCENARIO.vault,
    subscriptionId: sub,
    resourceGroup: rg,
    location,
    tags: {},
    systemData: seededSystemData(state.developer.clientId, now * 1000),
    properties: {
      tenantId: state.tenantId,
      sku: { family: 'A', name: 'standard' },
      accessPolicies: [],
      enableRbacAuthorization: true,
      enablePurgeProtection: true,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      publicNetworkAccess: 'Enabled',
    },
    secrets: {
      [SCENARIO.secret]: {
        name: SCENARIO.secret,
        versions: [
          { version: newSecretVersion(), value: SCENARIO.secretValue, enabled: true, created: now, updated: now },
        ],
      },
    },
  };
  assign(state, kvId, ROLE_GUIDS.keyVaultSecretsOfficer, state.developer.objectId);
  assign(state, kvId, ROLE_GUIDS.keyVaultSecretsUser, working.principalId);
  assign(state, kvId, ROLE_GUIDS.keyVaultSecretsUser, broken.principalId);
  if (seed.tutorialWorkload) seedTutorialWorkload(state, origin, demo, `https://${SCENARIO.vault}.vault.azure.net/`);

  if (scale) addScale(state, origin, scale);
  return state;
}

/**
 * The tutorial's ServiceAccount and Key Vault sample pod (plus the broken identity's ServiceAccount)
 * on the cluster with the issuer, created
 * through the Kubernetes API's own create path (admission, the workload identity webhook, the
 * pod's start), so they look exactly as if `kubectl apply` had created them. The manifests are
 * those of test/fixtures/workspace/tutorial, with the working identity's fixed client ID.
 */
function seedTutorialWorkload(state: SandboxState, origin: string, cluster: ClusterRecord, vaultUrl: string): void {
  const ctx: KubeClusterContext = {
    guid: cluster.guid,
    name: cluster.name,
    tenantId: state.tenantId,
    issuerUrl: cluster.issuerUrl,
    workloadIdentityEnabled: cluster.workloadIdentityEnabled,
    // The webhook and pod start never sign; a key is made only if something asks for one.
    get signingKey() {
      return (cluster.signingKey ??= createSigningKey());
    },
    kube: cluster.kube,
    webhookLayout: 'v1.6',
    authorityHost: `${origin}/`,
    // Seeding calls the create path in-process, past authentication; the token is never read.
    clientToken: cluster.clientToken ?? '',
    persist: () => undefined,
  };
  const req: SandboxRequest = {
    method: 'POST',
    path: '/',
    query: new URLSearchParams(),
    headers: {},
    body: Buffer.alloc(0),
    origin,
  };
  const now = new Date();
  const ns = SCENARIO.namespace;
  const seed = (resource: Resource, manifest: Record<string, unknown>) =>
    create(ctx, req, resource, ns, manifest, now, 'kubectl-client-side-apply');
  const serviceAccount = (name: string, clientId: string) => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace: ns, annotations: { [CLIENT_ID_ANNOTATION]: clientId } },
  });
  seed('serviceaccounts', serviceAccount(SCENARIO.serviceAccount, SCENARIO_IDS.workingClientId));
  // The broken identity's ServiceAccount exists too, so its credential's only fault is the issuer.
  seed('serviceaccounts', serviceAccount(SCENARIO.brokenServiceAccount, SCENARIO_IDS.brokenClientId));
  seed('pods', samplePodManifest(ns, SCENARIO.serviceAccount, SCENARIO.samplePod, vaultUrl, SCENARIO.secret));
}

/**
 * Extra generated resources for benchmarks and large-tree tests, in `rg-scale`: K clusters with
 * issuers, N identities with M credentials each (subjects spread over namespaces). Signing keys
 * are not generated here (lazily, on first use), which keeps 1,000 × 5 + 50 at tens of ms.
 */
export function addScale(state: SandboxState, origin: string, scale: ScaleOptions): void {
  const sub = subscriptionIdOf(state);
  // Idempotent: the directory (and so its subscriptions) survives resets.
  for (let n = Object.keys(state.subscriptions).length; n < 1 + (scale.subscriptions ?? 0); n++) {
    const id = newGuid();
    state.subscriptions[id] = { subscriptionId: id, displayName: `Sandbox subscription ${n + 1}`, state: 'Enabled' };
  }
  for (const id of Object.keys(state.subscriptions)) {
    const scope = `/subscriptions/${id}`;
    if (
      !Object.values(state.roleAssignments).some((a) => a.scope === scope && a.principalId === state.developer.objectId)
    ) {
      assign(state, scope, ROLE_GUIDS.owner, state.developer.objectId);
    }
  }
  const rg = 'rg-scale';
  const location = SCENARIO.location;
  state.resourceGroups[armKey(resourceGroupId(sub, rg))] ??= { subscriptionId: sub, name: rg, location, tags: {} };
  const clusters: ClusterRecord[] = [];
  for (let k = 0; k < (scale.clusters ?? 0); k++) {
    clusters.push(addCluster(state, origin, sub, rg, `aks-scale-${String(k).padStart(3, '0')}`, location, true));
  }
  const issuers =
    clusters.length > 0
      ? clusters.map((c) => c.issuerUrl!)
      : Object.values(state.clusters)
          .filter((c) => c.issuerUrl)
          .map((c) => c.issuerUrl!);
  const fics = scale.ficsPerIdentity ?? 0;
  for (let i = 0; i < (scale.identities ?? 0); i++) {
    const identity = addIdentity(state, sub, rg, `id-scale-${String(i).padStart(4, '0')}`, location);
    for (let j = 0; j < Math.min(fics, 20); j++) {
      const name = `fic-${String(j).padStart(2, '0')}`;
      identity.federatedCredentials[name] = {
        name,
        issuer: issuers.length > 0 ? issuers[(i + j) % issuers.length]! : 'https://oidc.example.invalid/',
        subject: `system:serviceaccount:ns-${i % 10}:sa-${j}`,
        audiences: ['api://AzureADTokenExchange'],
        createdAt: 0,
      };
    }
  }
}

/** Moves every stored sandbox URL to a new origin (the port changed since the state was saved). */
export function rebaseOrigin(state: SandboxState, origin: string): void {
  const old = state.origin;
  if (old === origin) return;
  const move = (url: string): string => (url.startsWith(`${old}/`) ? `${origin}${url.slice(old.length)}` : url);
  for (const c of Object.values(state.clusters)) if (c.issuerUrl) c.issuerUrl = move(c.issuerUrl);
  for (const i of Object.values(state.identities)) {
    for (const f of Object.values(i.federatedCredentials)) f.issuer = move(f.issuer);
  }
  state.origin = origin;
}
