import type { KubeState } from './kube/kubeState';
import type { SigningKey } from './oidc/keys';
import type { SystemData } from './arm/systemData';

/**
 * The sandbox's whole world, as one JSON document (persisted by store.ts). Maps are keyed by the
 * lower-cased ARM ID because ARM IDs are case-insensitive; records keep the casing they were
 * created with, which is what ARM returns.
 */
export interface SandboxState {
  schema: 1;
  /** The journal generation to replay after this snapshot (store.ts); absent = 0. */
  journal?: number;
  /**
   * Set once the developer's Owner assignment has been seeded (ARM authorizes every call). Files
   * saved before ARM checked authorization lack it and are migrated on load (scenario.ts).
   */
  armRbac?: true;
  /** The origin the stored absolute URLs (issuer URLs, credential issuers) were built with. */
  origin: string;
  tenantId: string;
  tenantDisplayName: string;
  developer: DeveloperPrincipal;
  /**
   * Bearer token the control API (`/_sandbox/*`) requires. Absent in files saved before it
   * existed: created at start. Like the developer secret, it is why the file is mode 0600.
   */
  controlToken?: string;
  /** Key the sandbox's Entra ID signs access tokens with (RS256, published in its JWKS). */
  entraKey: SigningKey;
  subscriptions: Record<string, SubscriptionRecord>;
  resourceGroups: Record<string, ResourceGroupRecord>;
  identities: Record<string, IdentityRecord>;
  clusters: Record<string, ClusterRecord>;
  /** By lower-cased assignment name (a GUID, unique tenant-wide like the real service). */
  roleAssignments: Record<string, RoleAssignmentRecord>;
  vaults: Record<string, VaultRecord>;
  /** Long-running operations (AKS), by operation id. */
  operations: Record<string, OperationRecord>;
}

/** The built-in app registration the user signs in with (client-credentials grant). */
export interface DeveloperPrincipal {
  displayName: string;
  clientId: string;
  objectId: string;
  clientSecret: string;
}

export interface SubscriptionRecord {
  subscriptionId: string;
  displayName: string;
  state: 'Enabled';
}

export interface ResourceGroupRecord {
  subscriptionId: string;
  name: string;
  location: string;
  tags?: Record<string, string>;
}

/** What every ARM tracked resource stores (its id, name, place and tags). */
export interface TrackedResourceRecord {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  tags?: Record<string, string>;
}

export interface IdentityRecord extends TrackedResourceRecord {
  clientId: string;
  principalId: string;
  tenantId: string;
  isolationScope: 'None' | 'Regional';
  /** ms since epoch (absent for seeded identities): the principal-replication knob counts from here. */
  createdAt?: number;
  /** By lower-cased credential name; insertion order = creation order. */
  federatedCredentials: Record<string, FederatedCredentialRecord>;
}

export interface FederatedCredentialRecord {
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
  /** ms since epoch: the FIC propagation knob counts from here. */
  createdAt: number;
}

export interface KubeletIdentity {
  resourceId: string;
  clientId: string;
  objectId: string;
}

export interface ClusterRecord extends TrackedResourceRecord {
  /** Used in `/k8s/{guid}` and in the issuer path, like the GUID in AKS's issuer URL. */
  guid: string;
  dnsPrefix: string;
  kubernetesVersion: string;
  /** Agent pools as last PUT (returned as-is, with server-owned fields filled in). */
  agentPoolProfiles: Record<string, unknown>[];
  oidcIssuerEnabled: boolean;
  /** `{origin}/oidc/{region}/{tenantId}/{guid}/` once the issuer has been enabled (never cleared). */
  issuerUrl?: string;
  workloadIdentityEnabled: boolean;
  kubeletIdentity: KubeletIdentity;
  provisioningState: 'Creating' | 'Updating' | 'Succeeded' | 'Failed';
  /** The running (or last) long-running operation on this cluster. */
  operationId?: string;
  /** The control plane's system-assigned identity (`identity.principalId`). */
  controlPlanePrincipalId: string;
  /** Set for a cluster created with a service principal instead of a managed identity. */
  servicePrincipalClientId?: string;
  /** ARM IDs of the user-assigned control-plane identity, when `identity.type` is UserAssigned. */
  userAssignedIdentityIds?: string[];
  /** Opaque to the Azure side: owned by src/sandbox/kube. */
  kube: KubeState;
  /** Created lazily (RSA key generation is the slow part of creating many clusters). */
  signingKey?: SigningKey;
  /**
   * Bearer token of the cluster's admin credential (kubeconfig, `listClusterUserCredential`);
   * its API server refuses any other caller. Absent in files saved before it existed: created at start.
   */
  clientToken?: string;
  /** Extra top-level properties the caller sent that the sandbox stores without interpreting. */
  extraProperties: Record<string, unknown>;
}

export interface RoleAssignmentRecord {
  name: string;
  scope: string;
  /** Trailing GUID of the role definition (compared case-insensitively). */
  roleDefinitionGuid: string;
  principalId: string;
  principalType: string;
  description?: string;
  createdAt: number;
  createdBy: string;
}

export interface VaultRecord extends TrackedResourceRecord {
  /** Stored properties (sku, tenantId, enableRbacAuthorization, accessPolicies, …) minus server-owned ones. */
  properties: Record<string, unknown>;
  /** ARM's `systemData` (who created and last changed the vault); absent for vaults saved before it was kept. */
  systemData?: SystemData;
  /** Loopback port of this vault's data plane (see docs/contracts.md: one port per vault). */
  port?: number;
  /** By lower-cased secret name; versions oldest first. */
  secrets: Record<string, SecretRecord>;
}

export interface SecretRecord {
  name: string;
  versions: SecretVersionRecord[];
}

export interface SecretVersionRecord {
  version: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  enabled: boolean;
  /** Unix seconds, as Key Vault's attributes. */
  created: number;
  updated: number;
}

export interface OperationRecord {
  id: string;
  /** Absent for AKS operations (Azure-AsyncOperation); `resourceGroupDelete` for ARM's Location-polled delete. */
  kind?: 'resourceGroupDelete';
  resourceId: string;
  location: string;
  subscriptionId: string;
  startTime: number;
  endTime: number;
  /** State the cluster ends in once the operation completes. */
  finalState: 'Succeeded' | 'Failed';
  error?: { code: string; message: string };
}
