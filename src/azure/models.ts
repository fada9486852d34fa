/** Plain data the explorer shows; no SDK types leak past the loaders. */
import type { RoleRisk } from './roleRisk';

export interface ClusterInfo {
  readonly id: string;
  readonly name: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly location: string;
  readonly provisioningState?: string;
  readonly oidcIssuerEnabled: boolean;
  /** Exactly as ARM returns it (`oidcIssuerProfile.issuerURL`), trailing slash included. */
  readonly issuerUrl?: string;
  readonly workloadIdentityEnabled: boolean;
  readonly kubelet?: { readonly resourceId?: string; readonly clientId?: string; readonly objectId?: string };
  readonly nodeResourceGroup?: string;
}

export interface IdentityInfo {
  readonly id: string;
  readonly name: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly location: string;
  readonly clientId: string;
  readonly principalId: string;
  readonly tenantId: string;
}

export interface FederatedCredentialInfo {
  readonly id: string;
  readonly name: string;
  /** The identity it belongs to. */
  readonly identityId: string;
  readonly issuer: string;
  readonly subject: string;
  readonly audiences: readonly string[];
  /** ARM `systemData.createdAt` (ms), when returned: how long the credential has had to propagate. */
  readonly createdAt?: number;
}

export interface RoleAssignmentInfo {
  readonly id: string;
  readonly name: string;
  readonly principalId: string;
  readonly principalType?: string;
  readonly roleDefinitionId: string;
  /** Resolved from the role definitions; the GUID when unknown. */
  readonly roleName: string;
  readonly scope: string;
  readonly risk?: RoleRisk;
  /** `properties.createdOn` (ms), when returned. */
  readonly createdAt?: number;
}
