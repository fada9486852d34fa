/**
 * The provisioning façade the CLI (`kwi setup`) and the VS Code commands call. It joins the pure
 * plans of src/core/provision with the observers and appliers of src/azure/provision and
 * src/kube/provision. No vscode import; no knowledge of whether the backend is Azure or the
 * sandbox: that is decided by whoever builds the `ProvisionBackend`.
 */
import type { ArmConnection } from '../azure/clients';
import type { ClusterInfo, IdentityInfo } from '../azure/models';
import type { SubscriptionInfo } from '../azure/subscriptions';
import type { KubeconfigSource } from '../kube/kubeAccess';
import type {
  ApplyResultData, Journal, Plan, ProgressState, SetupInputs, StepId, StepError, WorkloadRef,
} from '../core/provision/plan';
import type { WorkspaceIndex } from '../core/workspaceIndex';

export interface KubeTarget {
  /** Kubeconfig: text (the sandbox's) or files (KUBECONFIG / ~/.kube/config, as kubectl). Re-read per plan when a function. */
  readonly source: KubeconfigSource | (() => KubeconfigSource);
  /**
   * When no context is given and none is named after the cluster, build one from ARM's
   * `listClusterUserCredential` (as `az aks get-credentials`). Default true.
   */
  readonly useClusterUserCredential?: boolean;
}

export interface ProvisionBackend {
  readonly arm: ArmConnection;
  readonly kube: KubeTarget;
  /** The signed-in tenant (fallback when ARM does not report the identity's). */
  readonly tenantId?: string;
  /** Entra authority host for the propagation exchange: `https://login.microsoftonline.com` or the sandbox origin. */
  readonly authorityHost: string;
  /** Key Vault's challenge names `vault.azure.net`; the sandbox's vault hosts are loopback (set false there). */
  readonly verifyKeyVaultChallenge?: boolean;
}

export interface PlanOptions {
  readonly signal?: AbortSignal;
  /** The core's workspace index: where the ServiceAccount's manifest is, for the client-id edit. */
  readonly workspace?: WorkspaceIndex;
}

export interface BackoffOptions {
  /** First wait (default 500 ms). */
  readonly initialMs?: number;
  /** Cap of one wait (default 15 s). */
  readonly maxMs?: number;
  /** Growth factor (default 2). */
  readonly factor?: number;
}

export interface ApplyOptions {
  /** Called on each step's start ('running'), waits ('waiting', with what is awaited), and end (its final StepState). Details never hold secrets. */
  readonly onProgress?: (stepId: StepId, state: ProgressState, detail?: string) => void;
  /** Cancels between steps and during waits; started writes finish or fail, and the journal says what was created. */
  readonly signal?: AbortSignal;
  /** Limit on each propagation wait (default 10 minutes: RBAC can take that long). */
  readonly propagationTimeoutMs?: number;
  readonly backoff?: BackoffOptions;
  /** Continue this journal (a resumed run appends to it) instead of starting an empty one. */
  readonly journal?: Journal;
  /** Called after every journal entry is added, so a crash loses nothing (the CLI writes it to disk). */
  readonly onJournal?: (journal: Journal) => void;
}

export type ApplyResult = ApplyResultData;

export interface UndoItem {
  readonly resource: string;
  readonly state: 'removed' | 'absent' | 'failed' | 'skipped';
  readonly error?: StepError;
}

export interface UndoOptions {
  readonly onProgress?: (resource: string, state: UndoItem['state'] | 'running', detail?: string) => void;
  readonly signal?: AbortSignal;
}

export interface UndoResult {
  readonly items: readonly UndoItem[];
  readonly writes: number;
}

/** Inputs of the migration plan: the AAD Pod Identity resources found in the cluster or the workspace. */
export interface MigrateInputs extends SetupInputs {
  readonly podIdentity: {
    /** AzureIdentity `spec.resourceID` (a user-assigned identity) and `spec.clientID`. */
    readonly identityResourceId: string;
    readonly clientId?: string;
    /** AzureIdentityBinding `spec.selector` (the `aadpodidbinding` label value). */
    readonly selector: string;
    readonly azureIdentityName: string;
    readonly bindingName: string;
    readonly source: 'cluster' | 'workspace';
  };
}

export interface RepointInputs {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly clusterName: string;
  /** Limit the search to these identity IDs (default: every identity of the subscription). */
  readonly identityIds?: readonly string[];
  /** Also plan deleting each stale credential once its replacement exists (asks first in the UI). */
  readonly deleteStale?: boolean;
  readonly locale?: SetupInputs['locale'];
}

export interface StaleCredential {
  readonly identityId: string;
  readonly identityName: string;
  readonly credentialName: string;
  readonly issuer: string;
  readonly subject: string;
}

export interface RoleDefinitionInfo {
  readonly id: string;
  readonly name: string;
  readonly roleName: string;
  readonly description?: string;
}

export interface NamedItem { readonly name: string }

const notYet = (): never => {
  throw new Error('not implemented');
};

// ---- plans (observe, write nothing) ----------------------------------------------------------
export async function planSetup(_b: ProvisionBackend, _i: SetupInputs, _o: PlanOptions = {}): Promise<Plan> { return notYet(); }
export async function planEnableWorkloadIdentity(_b: ProvisionBackend, _i: SetupInputs, _o: PlanOptions = {}): Promise<Plan> { return notYet(); }
export async function planDisableWorkloadIdentity(_b: ProvisionBackend, _i: SetupInputs, _o: PlanOptions = {}): Promise<Plan> { return notYet(); }
export async function planCreateIdentity(_b: ProvisionBackend, _i: SetupInputs, _o: PlanOptions = {}): Promise<Plan> { return notYet(); }
export async function planCreateCredential(_b: ProvisionBackend, _i: SetupInputs, _o: PlanOptions = {}): Promise<Plan> { return notYet(); }
export async function planAnnotateServiceAccount(_b: ProvisionBackend, _i: SetupInputs, _o: PlanOptions = {}): Promise<Plan> { return notYet(); }
export async function planGrantRole(_b: ProvisionBackend, _i: SetupInputs, _o: PlanOptions = {}): Promise<Plan> { return notYet(); }
export async function planRestartWorkloads(_b: ProvisionBackend, _i: SetupInputs, _o: PlanOptions = {}): Promise<Plan> { return notYet(); }
export async function planDeploySample(_b: ProvisionBackend, _i: SetupInputs, _o: PlanOptions = {}): Promise<Plan> { return notYet(); }
export async function planMigratePodIdentity(_b: ProvisionBackend, _i: MigrateInputs, _o: PlanOptions = {}): Promise<Plan> { return notYet(); }
export async function planRepointCredentials(_b: ProvisionBackend, _i: RepointInputs, _o: PlanOptions = {}): Promise<Plan> { return notYet(); }

// ---- apply / undo ----------------------------------------------------------------------------
export async function applyPlan(_b: ProvisionBackend, _p: Plan, _o: ApplyOptions = {}): Promise<ApplyResult> { return notYet(); }
export async function undoJournal(_b: ProvisionBackend, _j: Journal, _o: UndoOptions = {}): Promise<UndoResult> { return notYet(); }

// ---- listings for the quick picks --------------------------------------------------------------
export async function listSubscriptions(_b: ProvisionBackend, _s?: AbortSignal): Promise<SubscriptionInfo[]> { return notYet(); }
export async function listResourceGroups(_b: ProvisionBackend, _sub: string, _s?: AbortSignal): Promise<string[]> { return notYet(); }
export async function listLocations(_b: ProvisionBackend, _sub: string, _s?: AbortSignal): Promise<string[]> { return notYet(); }
export async function listClusters(_b: ProvisionBackend, _sub: string, _s?: AbortSignal): Promise<ClusterInfo[]> { return notYet(); }
export async function listIdentities(_b: ProvisionBackend, _sub: string, _s?: AbortSignal): Promise<IdentityInfo[]> { return notYet(); }
export async function listNamespaces(_b: ProvisionBackend, _cluster: { subscriptionId: string; resourceGroup: string; clusterName: string; kubeContext?: string }, _s?: AbortSignal): Promise<string[]> { return notYet(); }
export async function listClusterServiceAccounts(_b: ProvisionBackend, _cluster: { subscriptionId: string; resourceGroup: string; clusterName: string; kubeContext?: string }, _namespace?: string, _s?: AbortSignal): Promise<Array<{ namespace: string; name: string; clientId?: string }>> { return notYet(); }
export async function listRoleDefinitions(_b: ProvisionBackend, _scope: string, _s?: AbortSignal): Promise<RoleDefinitionInfo[]> { return notYet(); }
export async function listStaleCredentials(_b: ProvisionBackend, _i: RepointInputs, _s?: AbortSignal): Promise<StaleCredential[]> { return notYet(); }
/** AzureIdentity/AzureIdentityBinding pairs in the cluster (AAD Pod Identity CRDs), for the migration's pick. */
export async function listPodIdentityBindings(_b: ProvisionBackend, _cluster: { subscriptionId: string; resourceGroup: string; clusterName: string; kubeContext?: string }, _s?: AbortSignal): Promise<Array<MigrateInputs['podIdentity'] & { namespace: string; workloads: WorkloadRef[] }>> { return notYet(); }

// ---- pure re-exports the UI needs (renderers take a plan, return text) -------------------------
export type ExportFormat = 'az' | 'bicep' | 'terraform' | 'yaml';
export interface ExportOptions {
  /** azurerm provider version for Terraform (default 4.65.0): property names changed in 4.65 and 5.0. */
  readonly terraformProvider?: string;
}
export function exportPlan(_p: Plan, _f: ExportFormat, _o: ExportOptions = {}): string { return notYet(); }
/** The modal's text for Undo: what will be deleted and what stops working (localized). */
export function describeUndo(_j: Journal, _locale: SetupInputs['locale'] = 'en'): string[] { return notYet(); }
