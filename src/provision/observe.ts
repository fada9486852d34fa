/**
 * The checks: observe Azure and the cluster for a setup plan, concurrently where the chain allows
 * (cluster, identity, target and Kubernetes at once; credentials and assignments once the
 * identity is known). Writes nothing. No local file is trusted: a resumed run sees the real state.
 */
import type { SetupInputs, WorkloadRef } from '../core/provision/plan';
import { manifestState } from '../core/provision/manifestEdit';
import type { SetupObservation } from '../core/provision/setupPlan';
import { stalePods } from '../core/provision/steps/workloadRestart';
import { defaultCredentialName } from '../core/provision/names';
import type { WorkspaceIndex } from '../core/workspaceIndex';
import { observeCluster, type ClusterObservation } from '../azure/provision/cluster';
import { sleep } from '../azure/provision/sleep';
import { clusterBusy } from '../core/provision/steps/oidcIssuer';
import { listCredentials } from '../azure/provision/federatedCredential';
import { observeIdentity, resourceGroupExists } from '../azure/provision/identity';
import { findAssignment, resolveRole, scopeExists } from '../azure/provision/roleAssignment';
import { roleAssignmentName } from '../core/provision/assignmentName';
import { podExists } from '../kube/provision/samplePod';
import { observeServiceAccount } from '../kube/provision/serviceAccount';
import { podsOfServiceAccount } from '../kube/provision/workloads';
import { toStepError } from '../azure/provision/stepErrors';
import type { Runtime } from './runtime';

export interface ObserveNeeds {
  readonly cluster?: boolean;
  readonly identity?: boolean;
  readonly serviceAccount?: boolean;
  readonly credentials?: boolean;
  readonly role?: boolean;
  readonly pods?: boolean;
  readonly sample?: boolean;
}

const ALL: ObserveNeeds = {
  cluster: true,
  identity: true,
  serviceAccount: true,
  credentials: true,
  role: true,
  pods: true,
  sample: true,
};

/** How long to wait for a running cluster operation before planning (see PlanOptions). */
export interface BusyWait {
  readonly maxMs: number;
  readonly onBusy?: (provisioningState: string) => void;
}

/**
 * The cluster once no operation runs on it, polled with a capped back-off up to `wait.maxMs`
 * (never a fixed sleep); as it is when the wait ends, so a still-busy cluster plans as blocked.
 */
async function clusterWhenIdle(
  rt: Runtime,
  i: SetupInputs,
  wait: BusyWait | undefined,
  signal?: AbortSignal,
): Promise<ClusterObservation | undefined> {
  let cluster = await observeCluster(rt.arm, i.resourceGroup, i.clusterName, signal);
  if (!wait || !cluster || !clusterBusy(cluster.provisioningState)) return cluster;
  wait.onBusy?.(cluster.provisioningState!);
  const deadline = Date.now() + wait.maxMs;
  for (
    let delay = 500;
    cluster && clusterBusy(cluster.provisioningState) && Date.now() < deadline;
    delay = Math.min(delay * 2, 15_000)
  ) {
    await sleep(Math.min(delay, Math.max(0, deadline - Date.now())), signal);
    cluster = await observeCluster(rt.arm, i.resourceGroup, i.clusterName, signal);
  }
  return cluster;
}

export async function observeSetup(
  rt: Runtime,
  i: SetupInputs,
  workspace: WorkspaceIndex | undefined,
  need: ObserveNeeds = ALL,
  signal?: AbortSignal,
  busyWait?: BusyWait,
): Promise<SetupObservation> {
  const identityGroup = i.identityResourceGroup ?? i.resourceGroup;
  const wantKube = need.serviceAccount || (need.pods && i.restartWorkloads !== false) || (need.sample && i.sample);

  const clusterP =
    need.cluster || need.credentials ? clusterWhenIdle(rt, i, busyWait, signal) : Promise.resolve(undefined);
  const identityP = (
    i.identityName ? observeIdentity(rt.arm, identityGroup, i.identityName, signal) : Promise.resolve(undefined)
  ).then(async (identity) => ({
    identity,
    groupMissing:
      identity === undefined && need.identity ? !(await resourceGroupExists(rt.arm, identityGroup, signal)) : false,
  }));
  const targetP =
    need.role && i.scope
      ? Promise.all([scopeExists(rt.arm, i.scope, signal), resolveRole(rt.arm, i.scope, i.role, signal)])
      : Promise.resolve(undefined);
  const kubeP = wantKube
    ? rt.kube().then(
        (k) => ({ k, error: undefined }),
        (e: unknown) => ({ k: undefined, error: toStepError(e).message }),
      )
    : Promise.resolve({ k: undefined, error: undefined });

  const [cluster, { identity, groupMissing }, target, kube] = await Promise.all([clusterP, identityP, targetP, kubeP]);

  const credsP =
    identity && need.credentials
      ? listCredentials(rt.arm, identityGroup, i.identityName, signal)
      : Promise.resolve(undefined);
  const roleP =
    identity && target?.[1] && target[0]?.exists !== false
      ? findAssignment(rt.arm, i.scope!, target[1].guid, identity.principalId, signal)
      : Promise.resolve(undefined);
  const saP =
    kube.k && need.serviceAccount
      ? observeServiceAccount(kube.k, i.namespace, i.serviceAccount)
      : Promise.resolve(undefined);
  const podsP =
    kube.k && need.pods && i.restartWorkloads !== false
      ? podsOfServiceAccount(kube.k, i.namespace, i.serviceAccount)
      : Promise.resolve(undefined);
  const sampleP =
    kube.k && need.sample && i.sample
      ? podExists(kube.k, i.namespace, i.sample.podName ?? 'quick-start')
      : Promise.resolve(undefined);
  const [creds, assignmentId, sa, pods, sampleExists] = await Promise.all([credsP, roleP, saP, podsP, sampleP]);

  const subject = `system:serviceaccount:${i.namespace}:${i.serviceAccount}`;
  const matching = creds?.find((c) => c.issuer === cluster?.issuerUrl && c.subject === subject);
  const role = target?.[1];
  const manifest = workspace ? manifestState(workspace, i.namespace, i.serviceAccount, i.manifestUri) : undefined;
  const annotationChangedAt = sa?.annotationChangedAt;
  const restart = pods ? stalePods(pods, annotationChangedAt, identity?.clientId) : undefined;

  rt.live.cluster = cluster ? { ...cluster } : undefined;
  rt.live.identity = identity ? { ...identity } : undefined;
  rt.live.annotationChangedAt = annotationChangedAt;
  rt.live.vaultUri = target?.[0]?.vaultUri;
  return {
    cluster,
    clusterMissing: need.cluster ? cluster === undefined : undefined,
    identity,
    identityGroupMissing: groupMissing,
    credentials: creds?.map(({ name, issuer, subject: s }) => ({ name, issuer, subject: s })),
    credentialCount: creds?.length,
    credential: matching
      ? { id: matching.id, name: matching.name, issuer: matching.issuer, subject: matching.subject }
      : undefined,
    serviceAccount: sa ? { exists: sa.exists, clientId: sa.clientId } : undefined,
    kubeError: kube.error,
    scopeMissing: target?.[0]?.exists === false,
    roleMissing: target !== undefined && !role,
    role: role
      ? {
          roleDefinitionId: role.roleDefinitionId,
          roleName: role.roleName,
          assignmentName: identity ? roleAssignmentName(i.scope!, role.guid, identity.principalId) : '',
          assignmentId,
        }
      : undefined,
    roleAssigned: assignmentId !== undefined,
    targetVaultUri: target?.[0]?.vaultUri,
    targetKind:
      i.scope && /\/providers\/Microsoft\.KeyVault\/vaults\//i.test(i.scope)
        ? 'keyVault'
        : i.scope
          ? 'other'
          : undefined,
    pods,
    annotationChangedAt,
    restartTargets: restart?.owners as WorkloadRef[] | undefined,
    stalePods: pods
      ?.filter(
        (p) =>
          restart?.bare.includes(p.name) ||
          (p.owner && restart?.owners.some((o) => o.kind === p.owner!.kind && o.name === p.owner!.name)),
      )
      .map((p) => ({ name: p.name, owner: p.owner })),
    samplePodExists: sampleExists,
    manifest,
  };
}

/** The credential name the plan will use: the input, the existing one for (issuer, subject), or the default. */
export function credentialNameFor(i: SetupInputs, obs: SetupObservation): string {
  return (
    i.credentialName ?? obs.credential?.name ?? defaultCredentialName(i.clusterName, i.namespace, i.serviceAccount)
  );
}
