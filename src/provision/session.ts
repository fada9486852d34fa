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
  ApplyResultData,
  Journal,
  ManifestEdit,
  Plan,
  PlanStep,
  ProgressState,
  SetupInputs,
  StepId,
  StepError,
  WorkloadRef,
} from '../core/provision/plan';
import type { WorkspaceIndex } from '../core/workspaceIndex';
import { CLIENT_ID_ANNOTATION } from '../core/rules/keys';
import { buildPartialPlan, buildSetupPlan, type SetupObservation } from '../core/provision/setupPlan';
import { newJournal, describeUndoLines } from '../core/provision/journal';
import { renderAzScript } from '../core/provision/export/az';
import { renderBicep } from '../core/provision/export/bicep';
import { renderTerraform } from '../core/provision/export/terraform';
import { renderKubernetesYaml } from '../core/provision/export/yaml';
import { stepContext } from '../core/provision/steps/stepContext';
import { findStale, staleDeleteStep } from '../core/provision/steps/staleCredential';
import { podIdentityCleanupStep, podLabelStep } from '../core/provision/steps/podIdentity';
import { federatedCredentialStep } from '../core/provision/steps/federatedCredential';
import { listClusters as loadClusters, listIdentities as loadIdentities } from '../azure/loaders';
import { listSubscriptions as loadSubscriptions, armGetJson } from '../azure/subscriptions';
import { listResourceGroupNames } from '../azure/resourceGroups';
import { listCredentials } from '../azure/provision/federatedCredential';
import { listRoleDefinitions as loadRoleDefinitions } from '../azure/provision/roleAssignment';
import { listKeyVaults as loadKeyVaults, type KeyVaultInfo } from '../azure/provision/keyVaults';
import { createArmClients } from '../azure/clients';
import { listNamespaces as kubeNamespaces } from '../kube/provision/serviceAccount';
import { workloadLabelled } from '../kube/provision/workloads';
import { execute } from './executor';
import { assertInputs } from './inputs';
import { observeSetup, type BusyWait, type ObserveNeeds } from './observe';
import { runnablesFor } from './applySteps';
import { createRuntime, type Runtime } from './runtime';
import { undoRun } from './undo';

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
  /**
   * When the cluster has an operation running (an interrupted run's, say), wait up to this long for
   * it to end before planning, instead of planning its step as blocked. Default 0: do not wait.
   */
  readonly waitWhileClusterBusyMs?: number;
  /** Told once when that wait starts, with the cluster's provisioning state. */
  readonly onClusterBusy?: (provisioningState: string) => void;
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
  /** Poll interval of the cluster's long-running operation (default 1000 ms). */
  readonly pollIntervalMs?: number;
  /** With `applyManifestEdit`: the workspace manifest of the ServiceAccount gets the client-id edit once it is known. */
  readonly workspace?: WorkspaceIndex;
  readonly applyManifestEdit?: (edit: ManifestEdit) => Promise<void>;
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
  /** Which stale credential to re-point (default: the first found). */
  readonly credential?: StaleCredential;
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
  readonly resourceGroup: string;
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

export interface NamedItem {
  readonly name: string;
}

type ClusterRef = { subscriptionId: string; resourceGroup: string; clusterName: string; kubeContext?: string };

const WAIT_DEFAULT_MS = 600_000;

async function observedPlan(
  b: ProvisionBackend,
  i: SetupInputs,
  o: PlanOptions,
  need: ObserveNeeds | undefined,
  names: { identity?: boolean; serviceAccount?: boolean } | undefined,
  build: (obs: SetupObservation) => Plan,
): Promise<Plan> {
  assertInputs(i, names);
  const rt = createRuntime(b, i);
  const obs = await observeSetup(rt, i, o.workspace, need, o.signal, busyWait(o));
  return build(obs);
}

function busyWait(o: PlanOptions): BusyWait | undefined {
  return o.waitWhileClusterBusyMs ? { maxMs: o.waitWhileClusterBusyMs, onBusy: o.onClusterBusy } : undefined;
}

// ---- plans (observe, write nothing) ----------------------------------------------------------
export async function planSetup(b: ProvisionBackend, i: SetupInputs, o: PlanOptions = {}): Promise<Plan> {
  return observedPlan(b, i, o, undefined, undefined, (obs) =>
    buildSetupPlan(i, obs, { waitLimitSeconds: WAIT_DEFAULT_MS / 1000 }),
  );
}

const partial =
  (kind: Plan['kind'], ids: StepId[], need: ObserveNeeds, names?: { identity?: boolean; serviceAccount?: boolean }) =>
  (b: ProvisionBackend, i: SetupInputs, o: PlanOptions = {}): Promise<Plan> =>
    observedPlan(b, i, o, need, names, (obs) => buildPartialPlan(kind, i, obs, ids));

export const planEnableWorkloadIdentity = partial(
  'enable-workload-identity',
  ['cluster.oidc-issuer', 'cluster.workload-identity'],
  { cluster: true },
  { identity: false, serviceAccount: false },
);
export const planDisableWorkloadIdentity = partial(
  'disable-workload-identity',
  ['cluster.disable-workload-identity'],
  { cluster: true },
  { identity: false, serviceAccount: false },
);
export const planCreateIdentity = partial(
  'create-identity',
  ['identity'],
  { cluster: true, identity: true },
  { serviceAccount: false },
);
export const planCreateCredential = partial('create-credential', ['federated-credential'], {
  cluster: true,
  credentials: true,
});
export const planAnnotateServiceAccount = partial('annotate-serviceaccount', ['serviceaccount'], {
  serviceAccount: true,
});
export const planGrantRole = partial('grant-role', ['role-assignment'], { role: true }, { serviceAccount: false });
// Restart and the sample start from the ServiceAccount: an identity name is optional (given, its credentials date the change).
export const planRestartWorkloads = partial(
  'restart-workloads',
  ['workload-restart'],
  { serviceAccount: true, pods: true, credentials: true, cluster: true },
  { identity: false },
);
export const planDeploySample = partial(
  'deploy-sample',
  ['sample-workload'],
  { serviceAccount: true, sample: true },
  { identity: false },
);

/** Same identity, a credential for this cluster's issuer, the annotation, the pod label; then remove pod identity (told, not done). */
export async function planMigratePodIdentity(
  b: ProvisionBackend,
  m: MigrateInputs,
  o: PlanOptions = {},
): Promise<Plan> {
  const id = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+)$/i.exec(
    m.podIdentity.identityResourceId,
  );
  const inputs: SetupInputs = id ? { ...m, identityResourceGroup: id[1], identityName: id[2]! } : m;
  const workloads = m.podLabelWorkloads ?? [];
  const rt = createRuntime(b, inputs);
  assertInputs(inputs);
  const obs = await observeSetup(
    rt,
    inputs,
    o.workspace,
    { cluster: true, credentials: true, serviceAccount: true, pods: true },
    o.signal,
    busyWait(o),
  );
  const k = obs.kubeError === undefined && workloads.length ? await rt.kube() : undefined;
  const labelled = await Promise.all(
    workloads.map(async (ref) => ({ ref, labelled: k ? await workloadLabelled(k, ref).catch(() => false) : false })),
  );
  const base = buildPartialPlan('migrate-pod-identity', inputs, obs, [
    'cluster.oidc-issuer',
    'cluster.workload-identity',
    'serviceaccount',
    'federated-credential',
    'workload-restart',
  ]);
  const ctx = stepContext(inputs, obs);
  const steps = [...base.steps];
  steps.splice(
    steps.findIndex((s) => s.id === 'workload-restart'),
    0,
    podLabelStep(ctx, labelled),
  );
  steps.push({
    ...podIdentityCleanupStep(ctx, m.podIdentity.azureIdentityName, m.podIdentity.bindingName, inputs.namespace),
    state: 'todo',
  });
  const restart = steps.find((s) => s.id === 'workload-restart');
  if (restart) {
    Object.assign(restart, {
      dependsOn: [...restart.dependsOn, 'pod-label'],
      state: restart.state === 'done' && labelled.some((l) => !l.labelled) ? 'todo' : restart.state,
    });
  }
  return { ...base, steps, extra: { workloads, podIdentity: m.podIdentity } };
}

/** Stale credentials: issuer of no current cluster, subject a ServiceAccount of the chosen cluster. */
export async function listStaleCredentials(
  b: ProvisionBackend,
  r: RepointInputs,
  signal?: AbortSignal,
): Promise<StaleCredential[]> {
  const rt = createRuntime(b, { ...r });
  const clusters = await loadClusters(
    createArmClients({ credential: b.arm.credential, subscriptionId: r.subscriptionId, connection: b.arm }),
    signal,
  );
  if (!clusters.ok) throw Object.assign(new Error(clusters.error.message), { code: clusters.error.code });
  const issuers = clusters.value.map((c) => c.issuerUrl).filter((x): x is string => !!x);
  const k = await rt.kube();
  k.counters.requests++;
  const sas = (await k.core.listServiceAccountForAllNamespaces()).items.map((s) => ({
    namespace: s.metadata?.namespace ?? 'default',
    name: s.metadata?.name ?? '',
  }));
  const ids = await loadIdentities(
    createArmClients({ credential: b.arm.credential, subscriptionId: r.subscriptionId, connection: b.arm }),
    signal,
  );
  if (!ids.ok) throw Object.assign(new Error(ids.error.message), { code: ids.error.code });
  const chosen = ids.value.filter(
    (i) => !r.identityIds || r.identityIds.some((x) => x.toLowerCase() === i.id.toLowerCase()),
  );
  const all = (
    await Promise.all(
      chosen.map(async (i) =>
        (await listCredentials(rt.arm, i.resourceGroup, i.name, signal)).map((c) => ({
          identityId: i.id,
          identityName: i.name,
          resourceGroup: i.resourceGroup,
          name: c.name,
          issuer: c.issuer,
          subject: c.subject,
        })),
      ),
    )
  ).flat();
  return findStale(all, issuers, sas).map((c) => ({
    identityId: c.identityId,
    identityName: c.identityName,
    resourceGroup: c.resourceGroup,
    credentialName: c.name,
    issuer: c.issuer,
    subject: c.subject,
  }));
}

/** A credential for the cluster's current issuer on the stale one's identity; then, if asked, the stale one deleted. */
export async function planRepointCredentials(
  b: ProvisionBackend,
  r: RepointInputs,
  o: PlanOptions = {},
): Promise<Plan> {
  const stale = r.credential ?? (await listStaleCredentials(b, r, o.signal))[0];
  if (!stale) {
    const empty: SetupInputs = {
      subscriptionId: r.subscriptionId,
      resourceGroup: r.resourceGroup,
      clusterName: r.clusterName,
      namespace: 'default',
      serviceAccount: 'default',
      identityName: '',
      locale: r.locale,
    };
    return {
      kind: 'repoint-credentials',
      inputs: empty,
      steps: [],
      observed: {},
      manifestEdits: [],
      extra: { none: true },
    };
  }
  const [, , ns, sa] = stale.subject.split(':');
  const inputs: SetupInputs = {
    subscriptionId: r.subscriptionId,
    resourceGroup: r.resourceGroup,
    clusterName: r.clusterName,
    namespace: ns ?? 'default',
    serviceAccount: sa ?? 'default',
    identityName: stale.identityName,
    identityResourceGroup: stale.resourceGroup,
    locale: r.locale,
  };
  assertInputs(inputs);
  const rt = createRuntime(b, inputs);
  const obs = await observeSetup(rt, inputs, undefined, { cluster: true, credentials: true }, o.signal);
  const ctx = stepContext(inputs, obs);
  const create: PlanStep = { ...federatedCredentialStep(ctx), dependsOn: [] };
  const steps: PlanStep[] = [create];
  if (r.deleteStale) steps.push(staleDeleteStep(ctx, { ...stale, name: stale.credentialName }, 'federated-credential'));
  return {
    kind: 'repoint-credentials',
    inputs,
    steps,
    observed: obs,
    manifestEdits: [],
    extra: { stale: { ...stale, name: stale.credentialName } },
  };
}

// ---- apply / undo ----------------------------------------------------------------------------
export async function applyPlan(b: ProvisionBackend, p: Plan, o: ApplyOptions = {}): Promise<ApplyResult> {
  const plan = structuredClone(p);
  const rt = createRuntime(b, plan.inputs, { onJournal: o.onJournal });
  seedLive(rt, plan);
  rt.journal = o.journal
    ? structuredClone(o.journal)
    : newJournal(plan.kind, plan.inputs.subscriptionId, plan.inputs.clusterName, plan.inputs.resourceGroup);
  const runnables = runnablesFor(plan, rt, {
    signal: o.signal,
    onProgress: o.onProgress,
    propagationTimeoutMs: o.propagationTimeoutMs ?? WAIT_DEFAULT_MS,
    backoff: o.backoff,
    pollIntervalMs: o.pollIntervalMs,
    workspace: o.workspace,
    applyManifestEdit: o.applyManifestEdit,
  });
  const { cancelled } = await execute(runnables, { signal: o.signal, onProgress: o.onProgress, locale: rt.locale });
  const observed = {
    ...plan.observed,
    ...(rt.live.identity ? { identity: { ...plan.observed.identity, ...rt.live.identity } } : {}),
    ...(rt.live.cluster ? { cluster: { ...plan.observed.cluster, ...rt.live.cluster } } : {}),
  };
  return {
    plan: { ...plan, observed },
    writes: rt.counters.writes,
    requests: rt.counters.requests,
    journal: rt.journal,
    cancelled,
  };
}

function seedLive(rt: Runtime, plan: Plan): void {
  const o = plan.observed as SetupObservation;
  if (o.cluster) rt.live.cluster = { ...o.cluster };
  if (o.identity) rt.live.identity = { ...o.identity };
  rt.live.annotationChangedAt = o.annotationChangedAt;
  rt.live.vaultUri = o.targetVaultUri;
}

export async function undoJournal(b: ProvisionBackend, j: Journal, o: UndoOptions = {}): Promise<UndoResult> {
  const context = j.entries.find((e) => e.detail.context)?.detail.context;
  const rt = createRuntime(b, {
    subscriptionId: j.subscriptionId,
    resourceGroup: j.resourceGroup ?? '',
    clusterName: j.clusterName ?? '',
    kubeContext: context,
  });
  const items = await undoRun(rt, j, o);
  return { items, writes: rt.counters.writes };
}

// ---- listings for the quick picks --------------------------------------------------------------
const clientsFor = (b: ProvisionBackend, sub: string) =>
  createArmClients({ credential: b.arm.credential, subscriptionId: sub, connection: b.arm });
const unwrap = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string; code?: string } }): T => {
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value;
};

export async function listSubscriptions(b: ProvisionBackend, s?: AbortSignal): Promise<SubscriptionInfo[]> {
  return loadSubscriptions(b.arm, s);
}
export async function listResourceGroups(b: ProvisionBackend, sub: string, s?: AbortSignal): Promise<string[]> {
  return listResourceGroupNames(b.arm, sub, s);
}
export async function listLocations(b: ProvisionBackend, sub: string, s?: AbortSignal): Promise<string[]> {
  try {
    const body = (await armGetJson(
      b.arm,
      `${b.arm.endpoint}/subscriptions/${sub}/locations?api-version=2022-12-01`,
      s,
    )) as { value?: Array<{ name?: string }> };
    return (body.value ?? [])
      .map((l) => l.name ?? '')
      .filter(Boolean)
      .sort();
  } catch {
    // Not every endpoint serves locations (the sandbox does not): the UI then asks for a name.
    return [];
  }
}
export async function listClusters(b: ProvisionBackend, sub: string, s?: AbortSignal): Promise<ClusterInfo[]> {
  return unwrap(await loadClusters(clientsFor(b, sub), s));
}
export async function listIdentities(b: ProvisionBackend, sub: string, s?: AbortSignal): Promise<IdentityInfo[]> {
  return unwrap(await loadIdentities(clientsFor(b, sub), s));
}
/** The subscription's Key Vaults (role targets offered beside "any resource ID"). */
export async function listKeyVaults(b: ProvisionBackend, sub: string, s?: AbortSignal): Promise<KeyVaultInfo[]> {
  return loadKeyVaults(clientsFor(b, sub), s);
}
export async function listNamespaces(b: ProvisionBackend, c: ClusterRef, _s?: AbortSignal): Promise<string[]> {
  return kubeNamespaces(await createRuntime(b, c).kube());
}
export async function listClusterServiceAccounts(
  b: ProvisionBackend,
  c: ClusterRef,
  namespace?: string,
  _s?: AbortSignal,
): Promise<Array<{ namespace: string; name: string; clientId?: string }>> {
  const k = await createRuntime(b, c).kube();
  k.counters.requests++;
  const r = namespace
    ? await k.core.listNamespacedServiceAccount({ namespace })
    : await k.core.listServiceAccountForAllNamespaces();
  return r.items
    .map((sa) => ({
      namespace: sa.metadata?.namespace ?? 'default',
      name: sa.metadata?.name ?? '',
      clientId: sa.metadata?.annotations?.[CLIENT_ID_ANNOTATION],
    }))
    .sort((x, y) => x.namespace.localeCompare(y.namespace) || x.name.localeCompare(y.name));
}
export async function listRoleDefinitions(
  b: ProvisionBackend,
  scope: string,
  s?: AbortSignal,
): Promise<RoleDefinitionInfo[]> {
  const sub = /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1] ?? '';
  return loadRoleDefinitions(
    createRuntime(b, { subscriptionId: sub, resourceGroup: '', clusterName: '' }).arm,
    scope,
    s,
  );
}
/** AzureIdentity/AzureIdentityBinding pairs in the cluster (AAD Pod Identity CRDs), for the migration's pick; none when the CRDs are not served. */
export async function listPodIdentityBindings(
  b: ProvisionBackend,
  c: ClusterRef,
  _s?: AbortSignal,
): Promise<Array<MigrateInputs['podIdentity'] & { namespace: string; workloads: WorkloadRef[] }>> {
  const k = await createRuntime(b, c).kube();
  const custom = k.kc.makeApiClient(k.lib.CustomObjectsApi);
  type Item = { metadata?: { name?: string; namespace?: string }; spec?: Record<string, unknown> };
  const list = async (plural: string): Promise<Item[]> => {
    try {
      k.counters.requests++;
      return (
        (
          (await custom.listClusterCustomObject({ group: 'aadpodidentity.k8s.io', version: 'v1', plural })) as {
            items?: Item[];
          }
        ).items ?? []
      );
    } catch {
      return [];
    }
  };
  const [identities, bindings] = await Promise.all([list('azureidentities'), list('azureidentitybindings')]);
  const out: Array<MigrateInputs['podIdentity'] & { namespace: string; workloads: WorkloadRef[] }> = [];
  for (const bnd of bindings) {
    const ns = bnd.metadata?.namespace ?? 'default';
    const idName = String(bnd.spec?.azureIdentity ?? '');
    const id = identities.find((x) => x.metadata?.name === idName && (x.metadata?.namespace ?? 'default') === ns);
    if (!id) continue;
    out.push({
      identityResourceId: String(id.spec?.resourceID ?? ''),
      clientId: id.spec?.clientID !== undefined ? String(id.spec.clientID) : undefined,
      selector: String(bnd.spec?.selector ?? ''),
      azureIdentityName: idName,
      bindingName: bnd.metadata?.name ?? '',
      source: 'cluster',
      namespace: ns,
      workloads: [],
    });
  }
  return out;
}

// ---- pure helpers the UI needs (renderers take a plan, return text) -----------------------------
export type ExportFormat = 'az' | 'bicep' | 'terraform' | 'yaml';
export interface ExportOptions {
  /** azurerm provider version for Terraform (default 4.65.0): property names changed in 4.65 and 5.0. */
  readonly terraformProvider?: string;
}
export function exportPlan(p: Plan, f: ExportFormat, o: ExportOptions = {}): string {
  switch (f) {
    case 'az':
      return renderAzScript(p);
    case 'bicep':
      return renderBicep(p);
    case 'terraform':
      return renderTerraform(p, o.terraformProvider);
    case 'yaml':
      return renderKubernetesYaml(p);
  }
}
/** The modal's text for Undo: what will be deleted and what stops working (localized). */
export function describeUndo(j: Journal, locale: SetupInputs['locale'] = 'en'): string[] {
  return describeUndoLines(j, locale);
}
