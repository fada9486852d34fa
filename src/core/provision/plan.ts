/**
 * A provisioning plan is data: an ordered list of steps, each with its dependencies, the state a
 * `check` observed (done / todo / blocked), the changes it would make, and the `az`/`kubectl`
 * command the AKS workload identity tutorial writes for it
 * (learn.microsoft.com/azure/aks/workload-identity-deploy-cluster). Everything here is pure and
 * JSON-serializable: the VS Code preview, `kwi setup --format json` and the export renderers all
 * read the same object. Observing and applying live in src/azure/provision and src/kube/provision.
 */
import type { TextEdit } from '../findings';
import type { Locale } from '../messages';

/** Stable step IDs (`kwi setup --format json` prints them; scripts may match on them). */
export type StepId =
  | 'cluster.oidc-issuer'
  | 'cluster.workload-identity'
  | 'identity'
  | 'serviceaccount'
  | 'federated-credential'
  | 'role-assignment'
  | 'propagation'
  | 'workload-restart'
  // Steps of the specialised plans (never part of the basic setup chain).
  | 'cluster.disable-workload-identity'
  | 'sample-workload'
  | 'pod-label'
  | 'pod-identity-cleanup'
  | 'stale-credential-delete';

export const SETUP_STEP_IDS: readonly StepId[] = [
  'cluster.oidc-issuer',
  'cluster.workload-identity',
  'identity',
  'serviceaccount',
  'federated-credential',
  'role-assignment',
  'propagation',
  'workload-restart',
];

/**
 * `check()` yields done | todo | blocked; the executor turns todo into applied | failed, and a
 * step whose dependency failed, or that was cancelled before it started, into skipped.
 */
export type StepState = 'done' | 'todo' | 'applied' | 'failed' | 'blocked' | 'skipped';

/** What the progress callback reports while a step runs (its final state comes as a StepState). */
export type ProgressState = StepState | 'running' | 'waiting';

/** One "will create" (no `before`) or "will change" (`before` → `after`) line of the preview. */
export interface PlannedChange {
  readonly field: string;
  readonly before?: string;
  readonly after: string;
}

/** An expected failure: the service's own code and message (ARM, Entra, Kubernetes). */
export interface StepError {
  readonly code: string;
  readonly message: string;
}

export interface PlanStep {
  readonly id: StepId;
  /** Localized (core messages, en | ko). */
  readonly title: string;
  readonly dependsOn: readonly StepId[];
  state: StepState;
  readonly changes: readonly PlannedChange[];
  /** Why the step cannot run, and what would unblock it (both localized). */
  readonly blockedReason?: string;
  readonly unblock?: string;
  /** The tutorial's az or kubectl command(s) for this step, with the plan's values filled in. */
  readonly equivalent: string;
  /** ARM ID, or `namespace/kind/name` for a Kubernetes object. */
  readonly resource: string;
  /** Extra facts for the preview (localized), e.g. "3 of 20 federated credentials used". */
  readonly notes?: readonly string[];
  /** Set by the executor when the step failed. */
  error?: StepError;
  /** Set by the executor: a short, secret-free description of what happened (localized). */
  detail?: string;
  /** A step that cannot be undone (enabling the OIDC issuer): the preview warns before it runs. */
  readonly irreversible?: boolean;
  /** A step that deletes or disables something: the UI asks a modal confirmation naming `warning`. */
  readonly destructive?: boolean;
  readonly warning?: string;
}

export type PlanKind =
  | 'setup'
  | 'enable-workload-identity'
  | 'disable-workload-identity'
  | 'create-identity'
  | 'create-credential'
  | 'annotate-serviceaccount'
  | 'grant-role'
  | 'restart-workloads'
  | 'deploy-sample'
  | 'migrate-pod-identity'
  | 'repoint-credentials';

/** The tutorial's sample pod (ghcr.io/azure/azure-workload-identity/msal-go). */
export interface SampleWorkloadInputs {
  readonly vaultUrl: string;
  readonly secretName: string;
  /** Default `quick-start`, as in the tutorial. */
  readonly podName?: string;
}

export interface SetupInputs {
  readonly subscriptionId: string;
  /** The cluster's resource group. */
  readonly resourceGroup: string;
  readonly clusterName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly identityName: string;
  /** Default: the cluster's resource group. */
  readonly identityResourceGroup?: string;
  /** Default: the cluster's location. Used only when the identity is created. */
  readonly location?: string;
  /** Role target: any ARM resource ID (a Key Vault, a storage account, a resource group…). */
  readonly scope?: string;
  /** Role: a role definition GUID (or full ID), or an exact role name found at `scope`. Default for a Key Vault: Key Vault Secrets User. */
  readonly role?: string;
  /** Workspace manifest of the ServiceAccount (uri as the workspace index knows it). */
  readonly manifestUri?: string;
  /** Default `kwi-{cluster}-{namespace}-{serviceaccount}` cut to the name rule. */
  readonly credentialName?: string;
  /** Default: the tenant of the identity (as ARM reports it) or the backend's. */
  readonly tenantId?: string;
  /** Kubeconfig context of the cluster; default: a context named after the cluster, else listClusterUserCredential. */
  readonly kubeContext?: string;
  /** Wait until a real token exchange succeeds after the credential (default true). */
  readonly waitForPropagation?: boolean;
  /** After the role, wait until a data-plane call on the target succeeds (Key Vault: get the secret). */
  readonly dataPlaneCheck?: { readonly secretName: string };
  /** Add the restart step (default true). */
  readonly restartWorkloads?: boolean;
  /** Add the sample workload step. */
  readonly sample?: SampleWorkloadInputs;
  /** Labels for the pod-label step of the migration plan. */
  readonly podLabelWorkloads?: readonly WorkloadRef[];
  readonly locale?: Locale;
}

export interface WorkloadRef {
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Pod';
  readonly namespace: string;
  readonly name: string;
}

/** What the checks saw; carried in the plan so apply and the renderers need not observe again. */
export interface Observation {
  /** The cluster does not exist (ARM 404). */
  readonly clusterMissing?: boolean;
  /** The identity's resource group does not exist. */
  readonly identityGroupMissing?: boolean;
  /** The role's target does not exist, or the role name is not found at it. */
  readonly scopeMissing?: boolean;
  readonly roleMissing?: boolean;
  /** The cluster's API server could not be reached (message only). */
  readonly kubeError?: string;
  /** All credentials of the identity (for the limit and the (issuer, subject) match). */
  readonly credentials?: readonly { readonly name: string; readonly issuer: string; readonly subject: string }[];
  /** Set when the role assignment already exists (under any name). */
  readonly roleAssigned?: boolean;
  /** The sample pod already exists. */
  readonly samplePodExists?: boolean;
  /** Workloads whose pods predate the change, to restart. */
  readonly restartTargets?: readonly WorkloadRef[];
  readonly cluster?: {
    readonly id: string;
    readonly location: string;
    readonly oidcIssuerEnabled: boolean;
    readonly issuerUrl?: string;
    readonly workloadIdentityEnabled: boolean;
    readonly provisioningState?: string;
  };
  readonly identity?: {
    readonly id: string;
    readonly clientId: string;
    readonly principalId: string;
    readonly tenantId: string;
    readonly location?: string;
  };
  /** The credential with the cluster's (issuer, subject), found by those values, not by name. */
  readonly credential?: {
    readonly id: string;
    readonly name: string;
    readonly issuer: string;
    readonly subject: string;
  };
  /** How many credentials the identity holds (limit 20). */
  readonly credentialCount?: number;
  readonly serviceAccount?: {
    readonly exists: boolean;
    readonly clientId?: string;
    readonly annotationsBefore?: Readonly<Record<string, string>>;
  };
  readonly role?: {
    readonly roleDefinitionId: string;
    readonly roleName: string;
    readonly assignmentName: string;
    readonly assignmentId?: string;
  };
  readonly targetKind?: 'keyVault' | 'other';
  /** The Key Vault's data-plane URL, when the target is a vault (for the optional data-plane wait). */
  readonly targetVaultUri?: string;
  /** Pods using the ServiceAccount created before its annotation/credential changed. */
  readonly stalePods?: readonly { readonly name: string; readonly owner?: WorkloadRef }[];
  readonly manifest?: { readonly uri: string; readonly clientId?: string };
}

/** A workspace edit computed in core (the UI applies it; the CLI writes the file whole). */
export interface ManifestEdit {
  readonly uri: string;
  readonly edits: readonly TextEdit[];
  readonly title: string;
}

export interface Plan {
  readonly kind: PlanKind;
  readonly inputs: SetupInputs;
  readonly steps: PlanStep[];
  readonly observed: Observation;
  /** Edits to the workspace manifest that go with the plan (the ServiceAccount's client-id). */
  readonly manifestEdits: readonly ManifestEdit[];
  /** Extra data of specialised plans (migrate, re-point), JSON only. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** One resource THIS run created (or changed), in order. No secrets, no tokens. */
export interface JournalEntry {
  readonly stepId: StepId;
  readonly kind:
    | 'identity'
    | 'federated-credential'
    | 'role-assignment'
    | 'serviceaccount'
    | 'serviceaccount-annotation'
    | 'pod'
    | 'pod-label';
  /** ARM ID, or `namespace/kind/name`. */
  readonly resource: string;
  /** ISO time. */
  readonly at: string;
  /** For an annotation added to an existing object: the value before (absent: there was none). */
  readonly before?: string;
  /** What to put back / address on undo (names, resource group, cluster…). */
  readonly detail: Readonly<Record<string, string>>;
}

export interface Journal {
  readonly version: 1;
  readonly planKind: PlanKind;
  readonly startedAt: string;
  readonly subscriptionId: string;
  readonly clusterName?: string;
  readonly resourceGroup?: string;
  readonly entries: JournalEntry[];
}

export interface ApplyResultData {
  readonly plan: Plan;
  /** Write requests (PUT/PATCH/POST/DELETE, TokenRequest excluded) this run sent. */
  readonly writes: number;
  /** All requests this run sent (reads included). */
  readonly requests: number;
  readonly journal: Journal;
  readonly cancelled: boolean;
}

// ---- helpers -------------------------------------------------------------------------------

export function stepById(plan: Plan, id: StepId): PlanStep | undefined {
  return plan.steps.find((s) => s.id === id);
}

/** Exit code rule of `kwi setup`: 0 when every step is done or applied, else 1. */
export function planSucceeded(plan: Plan): boolean {
  return plan.steps.every((s) => s.state === 'done' || s.state === 'applied');
}

/** Whether a check found anything to do. */
export function planHasWork(plan: Plan): boolean {
  return plan.steps.some((s) => s.state === 'todo');
}

export function workloadResource(ref: WorkloadRef): string {
  return `${ref.namespace}/${ref.kind}/${ref.name}`;
}

export function serviceAccountResource(namespace: string, name: string): string {
  return `${namespace}/ServiceAccount/${name}`;
}

/** The subject Entra compares for a Kubernetes ServiceAccount token. */
export function serviceAccountSubject(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** The only audience workload identity uses (learn.microsoft.com "workload identity federation"). */
export const WI_AUDIENCE = 'api://AzureADTokenExchange';

/** Identities hold at most 20 federated credentials (learn.microsoft.com, "workload identity federation considerations"). */
export const MAX_CREDENTIALS_PER_IDENTITY = 20;

/** The JSON `kwi setup --format json` prints: `{ steps: [{ id, title, state, equivalent, resource, error? }], writes }`. */
export function planJson(
  plan: Plan,
  writes: number,
): {
  steps: Array<{
    id: StepId;
    title: string;
    state: StepState;
    equivalent: string;
    resource: string;
    error?: StepError;
  }>;
  writes: number;
} {
  return {
    steps: plan.steps.map((s) => ({
      id: s.id,
      title: s.title,
      state: s.state,
      equivalent: s.equivalent,
      resource: s.resource,
      ...(s.error ? { error: s.error } : {}),
    })),
    writes,
  };
}
