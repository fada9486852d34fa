import type { Observed } from './types';

/**
 * Everything the observers saw of one ServiceAccount's chain. Each field is filled by one
 * observer in src/azure/diagnosis or src/kube/diagnosis; the checks read nothing else, so they
 * are pure functions of this object and of the clock value it carries.
 */
export interface ChainTarget {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly clusterName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** A resource the workload reaches (ARM ID), when the user named it. */
  readonly scope?: string;
}

export interface ClusterObservation {
  readonly id: string;
  readonly name: string;
  readonly location: string;
  readonly oidcIssuerEnabled: boolean;
  /** Exactly as ARM returns it (`oidcIssuerProfile.issuerURL`). */
  readonly issuerUrl?: string;
  readonly workloadIdentityEnabled: boolean;
}

/** The workload identity webhook's MutatingWebhookConfiguration, where the API server lists them. */
export interface WebhookObservation {
  /** false: the admissionregistration API is not served to us (404/403): nothing to compare. */
  readonly exposed: boolean;
  /** Names of configurations that look like the workload identity webhook's. */
  readonly found: readonly string[];
}

export interface DiscoveryObservation {
  readonly url: string;
  /** The discovery document's `issuer`, verbatim. */
  readonly issuer?: string;
  readonly jwksUri?: string;
  readonly keyCount?: number;
  /** Why the document or the keys could not be fetched (HTTP status or network error). */
  readonly failure?: { readonly stage: 'discovery' | 'jwks'; readonly status?: number; readonly message: string };
}

export interface ServiceAccountObservation {
  readonly exists: boolean;
  readonly annotations: Readonly<Record<string, string>>;
  readonly uid?: string;
  /** When the client-id annotation last changed (managedFields time), else the creation time; ms. */
  readonly annotationChangedAt?: number;
}

export interface IdentityObservation {
  readonly id: string;
  readonly name: string;
  readonly resourceGroup: string;
  readonly subscriptionId: string;
  readonly clientId: string;
  readonly principalId: string;
  readonly tenantId: string;
}

export interface IdentityLookup {
  /** undefined: no user-assigned identity the user can read has that client ID. */
  readonly identity?: IdentityObservation;
  /** How many identities were searched (evidence for "not found"). */
  readonly searched: number;
}

export interface CredentialObservation {
  readonly name: string;
  readonly issuer: string;
  readonly subject: string;
  readonly audiences: readonly string[];
  /** ms since epoch, from ARM's systemData when it is returned. */
  readonly createdAt?: number;
}

export interface ContainerObservation {
  readonly name: string;
  /** Names of the AZURE_* variables it carries, with their values (none of them is a secret). */
  readonly env: Readonly<Record<string, string>>;
  /** Whether a projected service-account token volume with the exchange audience is mounted. */
  readonly tokenVolumeMounted: boolean;
  readonly skipped: boolean;
}

export interface PodObservation {
  readonly name: string;
  readonly namespace: string;
  /** The `azure.workload.identity/use` label's value, verbatim; undefined = absent. */
  readonly useLabel?: string;
  readonly createdAt: number;
  readonly owner?: { readonly kind: string; readonly name: string };
  readonly phase?: string;
  readonly containers: readonly ContainerObservation[];
}

export interface TokenRequestObservation {
  readonly iss: string;
  readonly sub: string;
  readonly aud: readonly string[];
  readonly expirationSeconds: number;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export type ExchangeObservation =
  | {
      readonly ok: true;
      readonly expiresOn: number;
      readonly scope: string;
      readonly tenantId: string;
      readonly clientId: string;
    }
  | {
      readonly ok: false;
      readonly aadsts?: string;
      readonly message: string;
      readonly scope: string;
      readonly tenantId: string;
      readonly clientId: string;
    };

export interface RoleAssignmentObservation {
  readonly roleName: string;
  readonly roleDefinitionId: string;
  readonly scope: string;
  /** The role's data actions (wildcards as ARM writes them). */
  readonly dataActions: readonly string[];
  readonly notDataActions: readonly string[];
  readonly createdAt?: number;
}

export interface TargetObservation {
  /** ARM ID of the target resource. */
  readonly scope: string;
  readonly source: 'user' | 'pod-env';
  /** e.g. `KEYVAULT_URL=https://…` when it came from a pod. */
  readonly from?: string;
  readonly vaultUrl?: string;
  /** The data action the workload needs there (e.g. Key Vault's getSecret), when known. */
  readonly dataAction?: string;
}

export interface ResourceAccessObservation {
  readonly kind: 'keyvault-secrets';
  readonly url: string;
  readonly status: number;
  /** Secret NAMES only: a value is never read. */
  readonly secretNames?: readonly string[];
  readonly message?: string;
}

export interface ChainObservation {
  readonly target: ChainTarget;
  /** When the observation was made (ms since epoch); ages are measured from it. */
  readonly now: number;
  /** The usual delays after which a new credential / role assignment works (ms). */
  readonly propagation: { readonly credentialMs: number; readonly roleMs: number };
  readonly cluster?: Observed<ClusterObservation>;
  /** Issuers of every cluster the user can see (for "no current cluster has this issuer"). */
  readonly knownIssuers?: readonly { readonly issuer: string; readonly source: string }[];
  readonly webhook?: Observed<WebhookObservation>;
  readonly discovery?: Observed<DiscoveryObservation>;
  readonly serviceAccount?: Observed<ServiceAccountObservation>;
  readonly identity?: Observed<IdentityLookup>;
  readonly credentials?: Observed<readonly CredentialObservation[]>;
  readonly pods?: Observed<readonly PodObservation[]>;
  readonly tokenRequest?: Observed<TokenRequestObservation>;
  readonly exchange?: Observed<ExchangeObservation>;
  /** The exchange was not attempted on purpose (`--no-exchange`). */
  readonly exchangeDisabled?: boolean;
  /** The resource the workload reaches: from the user, or resolved from the pods' environment; undefined value = none known. */
  readonly resource?: Observed<TargetObservation | undefined>;
  readonly roleAssignments?: Observed<readonly RoleAssignmentObservation[]>;
  readonly resourceAccess?: Observed<ResourceAccessObservation>;
}
