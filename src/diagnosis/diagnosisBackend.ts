import type { ArmConnection } from '../azure/clients';
import type { EntraEndpoint } from '../azure/diagnosis/exchange';
import type { Kubeconfig } from '../kube/kubeAccess';

/**
 * What a diagnosis talks to: ARM (a signed-in connection), Entra for the real exchange, and one
 * kubeconfig context for the cluster. The CLI builds it from the Azure CLI credential or an
 * attached sandbox, VS Code from its backend; nothing below knows which.
 */
export interface DiagnosisBackend {
  readonly arm: ArmConnection;
  readonly subscriptionId: string;
  /** The tenant the exchange goes to when the ServiceAccount names none. */
  readonly tenantId: string;
  readonly entra: EntraEndpoint;
  readonly kube: { readonly config: Kubeconfig; readonly context: string };
  /** CA for the issuer's discovery document and the data plane (the sandbox's); undefined = system CAs. */
  readonly tlsCa?: string;
}

export interface DiagnoseOptions {
  readonly resourceGroup: string;
  readonly cluster: string;
  readonly scope?: string;
  /** Skip the real exchange and the data-plane call. */
  readonly noExchange?: boolean;
  readonly locale?: 'en' | 'ko';
  /** Usual propagation delays (default: credentials 60 s, role assignments 10 minutes). */
  readonly propagation?: { readonly credentialMs?: number; readonly roleMs?: number };
  /** Concurrent ServiceAccounts for `--all` (default 16). */
  readonly concurrency?: number;
}

/** Role assignments can take up to 10 minutes (learn.microsoft.com, "Troubleshoot Azure RBAC"). */
export const DEFAULT_PROPAGATION = { credentialMs: 60_000, roleMs: 600_000 } as const;
