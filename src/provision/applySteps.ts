/**
 * The `apply` of each step kind, bound to a run: each re-reads what it needs from the live values
 * earlier steps produced, writes through src/azure/provision or src/kube/provision, and records
 * what it created in the journal. Writes to the credentials of one identity go through the
 * run's per-identity lock.
 */
import { pmsg } from '../core/provision/messages';
import {
  MAX_CREDENTIALS_PER_IDENTITY,
  type ManifestEdit,
  type Plan,
  type PlanStep,
  type StepId,
  type WorkloadRef,
} from '../core/provision/plan';
import { manifestClientIdEdit } from '../core/provision/manifestEdit';
import { stalePods } from '../core/provision/steps/workloadRestart';
import type { BackoffSettings } from '../core/provision/backoff';
import type { WorkspaceIndex } from '../core/workspaceIndex';
import { updateClusterSwitches } from '../azure/provision/cluster';
import { createCredential, deleteCredential, listCredentials } from '../azure/provision/federatedCredential';
import { createIdentity } from '../azure/provision/identity';
import { waitForExchange, waitForSecret, PropagationTimeout } from '../azure/provision/propagation';
import { assignRole, findAssignment } from '../azure/provision/roleAssignment';
import { codeOf } from '../azure/provision/stepErrors';
import { createSamplePod } from '../kube/provision/samplePod';
import { createServiceAccount, observeServiceAccount, patchClientId } from '../kube/provision/serviceAccount';
import { requestServiceAccountToken } from '../kube/provision/tokenRequest';
import { labelForWorkloadIdentity, podsOfServiceAccount, rolloutRestart } from '../kube/provision/workloads';
import type { Runnable } from './executor';
import { credentialNameFor } from './observe';
import type { Runtime } from './runtime';
import type { ProgressState } from '../core/provision/plan';

export interface StepApplyOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (stepId: StepId, state: ProgressState, detail?: string) => void;
  readonly propagationTimeoutMs?: number;
  readonly backoff?: BackoffSettings;
  readonly pollIntervalMs?: number;
  readonly workspace?: WorkspaceIndex;
  readonly applyManifestEdit?: (edit: ManifestEdit) => Promise<void>;
}

export class StepFailure extends Error {
  override readonly name = 'StepFailure';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function runnablesFor(plan: Plan, rt: Runtime, o: StepApplyOptions): Runnable[] {
  const ids = new Set(plan.steps.map((s) => s.id));
  return plan.steps.map((step) => ({
    step,
    apply: step.state === 'todo' ? applier(step, plan, rt, o, ids) : undefined,
  }));
}

function applier(
  step: PlanStep,
  plan: Plan,
  rt: Runtime,
  o: StepApplyOptions,
  ids: Set<StepId>,
): (() => Promise<string | void>) | undefined {
  const i = plan.inputs;
  const identityGroup = i.identityResourceGroup ?? i.resourceGroup;
  const wait = (detail: string) => o.onProgress?.(step.id, 'waiting', detail);
  const identity = () => {
    if (!rt.live.identity?.clientId) {
      throw new StepFailure('IdentityMissing', `identity '${i.identityName}' is not available`);
    }
    return rt.live.identity;
  };
  switch (step.id) {
    case 'cluster.oidc-issuer':
    case 'cluster.workload-identity':
    case 'cluster.disable-workload-identity':
      return async () => {
        const c = rt.live.cluster;
        const wantWi =
          step.id === 'cluster.disable-workload-identity'
            ? false
            : step.id === 'cluster.oidc-issuer'
              ? ids.has('cluster.workload-identity') || undefined
              : true;
        // One operation for both switches, as the tutorial's single `az aks update` does.
        if (step.id === 'cluster.workload-identity' && c?.workloadIdentityEnabled) return;
        const after = await updateClusterSwitches(
          rt.arm,
          i.resourceGroup,
          i.clusterName,
          { oidcIssuer: step.id === 'cluster.disable-workload-identity' ? undefined : true, workloadIdentity: wantWi },
          {
            abortSignal: o.signal,
            pollIntervalMs: o.pollIntervalMs,
            onStatus: (s) => wait(pmsg(rt.locale, 'progress.operation', s)),
          },
        );
        rt.live.cluster = { ...after };
      };
    case 'identity':
      return async () => {
        const location = i.location ?? rt.live.cluster?.location ?? plan.observed.cluster?.location ?? '';
        const created = await createIdentity(rt.arm, identityGroup, i.identityName, location, o.signal);
        rt.live.identity = created;
        rt.record({
          stepId: 'identity',
          kind: 'identity',
          resource: created.id,
          detail: { resourceGroup: identityGroup, name: i.identityName },
        });
      };
    case 'serviceaccount':
      return async () => {
        const { clientId } = identity();
        const k = await rt.kube();
        const now = await observeServiceAccount(k, i.namespace, i.serviceAccount);
        const resource = `${i.namespace}/ServiceAccount/${i.serviceAccount}`;
        if (!now.exists) {
          await createServiceAccount(k, i.namespace, i.serviceAccount, clientId);
          rt.record({
            stepId: 'serviceaccount',
            kind: 'serviceaccount',
            resource,
            detail: { namespace: i.namespace, name: i.serviceAccount, context: k.context },
          });
        } else if (now.clientId !== clientId) {
          await patchClientId(k, i.namespace, i.serviceAccount, clientId);
          rt.record({
            stepId: 'serviceaccount',
            kind: 'serviceaccount-annotation',
            resource,
            ...(now.clientId !== undefined ? { before: now.clientId } : {}),
            detail: { namespace: i.namespace, name: i.serviceAccount, context: k.context },
          });
        }
        rt.live.annotationChangedAt = new Date().toISOString();
        if (o.workspace && o.applyManifestEdit) {
          const edit = manifestClientIdEdit(
            o.workspace,
            i.namespace,
            i.serviceAccount,
            clientId,
            i.manifestUri,
            rt.locale,
          );
          if (edit) await o.applyManifestEdit(edit);
        }
      };
    case 'federated-credential':
      return async () => {
        const id = identity();
        const issuer = rt.live.cluster?.issuerUrl;
        if (!issuer) throw new StepFailure('IssuerMissing', `cluster '${i.clusterName}' has no OIDC issuer URL`);
        const subject = `system:serviceaccount:${i.namespace}:${i.serviceAccount}`;
        const name = credentialNameFor(i, plan.observed);
        // Read and write under the identity's lock: the count and the (issuer, subject) match stay true.
        return rt.mutex.run(id.id, async () => {
          const existing = await listCredentials(rt.arm, identityGroup, i.identityName, o.signal);
          const same = existing.find((c) => c.issuer === issuer && c.subject === subject);
          if (same) return pmsg(rt.locale, 'note.foundByIssuerSubject', same.name);
          if (existing.length >= MAX_CREDENTIALS_PER_IDENTITY) {
            throw new StepFailure(
              'FederatedIdentityCredentialLimit',
              `${pmsg(rt.locale, 'error.credentialLimit')} ${pmsg(rt.locale, 'unblock.credentialLimit')}`,
            );
          }
          const created = await createCredential(rt.arm, identityGroup, i.identityName, name, issuer, subject, {
            abortSignal: o.signal,
            backoff: o.backoff,
          });
          rt.live.credentialChangedAt = new Date().toISOString();
          rt.record({
            stepId: 'federated-credential',
            kind: 'federated-credential',
            resource: created.id,
            detail: {
              resourceGroup: identityGroup,
              identityName: i.identityName,
              name,
              serviceAccount: `${i.namespace}/${i.serviceAccount}`,
            },
          });
          return pmsg(rt.locale, 'note.credentialCount', existing.length + 1);
        });
      };
    case 'role-assignment':
      return async () => {
        const id = identity();
        const role = plan.observed.role;
        if (!role || !i.scope) throw new StepFailure('RoleNotFound', step.blockedReason ?? 'no role');
        const guid = role.roleDefinitionId.split('/').pop()!;
        const existing = await findAssignment(rt.arm, i.scope, guid, id.principalId, o.signal);
        if (existing) return pmsg(rt.locale, 'note.roleExists', existing.split('/').pop() ?? '');
        try {
          const assignment = await assignRole(
            rt.arm,
            i.scope,
            { roleDefinitionId: role.roleDefinitionId, roleName: role.roleName, guid },
            id.principalId,
            {
              abortSignal: o.signal,
              backoff: o.backoff,
              limitMs: o.propagationTimeoutMs,
              onRetry: (_code, delay) => wait(pmsg(rt.locale, 'progress.principalRetry', (delay / 1000).toFixed(1))),
            },
          );
          rt.record({
            stepId: 'role-assignment',
            kind: 'role-assignment',
            resource: assignment,
            detail: { scope: i.scope, role: role.roleName },
          });
        } catch (e) {
          if (codeOf(e) === 'AuthorizationFailed') {
            throw new StepFailure(
              'AuthorizationFailed',
              `${pmsg(rt.locale, 'error.roleForbidden', i.scope)} ${(e as Error).message}`,
            );
          }
          throw e;
        }
      };
    case 'propagation':
      return async () => {
        const id = identity();
        const k = await rt.kube();
        const limitMs = o.propagationTimeoutMs ?? 600_000;
        const exchange = {
          authorityHost: rt.backend.authorityHost,
          tenantId: i.tenantId ?? (id.tenantId || rt.backend.tenantId || ''),
          clientId: id.clientId,
          assertion: () => requestServiceAccountToken(k, i.namespace, i.serviceAccount),
          tlsCa: rt.backend.arm.tlsCa,
        };
        try {
          wait(pmsg(rt.locale, 'step.propagation'));
          await waitForExchange(exchange, {
            abortSignal: o.signal,
            limitMs,
            backoff: o.backoff,
            onWait: (n, d) => wait(pmsg(rt.locale, 'progress.waitExchange', n, (d / 1000).toFixed(1))),
          });
          if (i.dataPlaneCheck && i.scope && rt.live.vaultUri) {
            await waitForSecret(
              {
                vaultUrl: rt.live.vaultUri,
                secretName: i.dataPlaneCheck.secretName,
                exchange,
                verifyChallenge: rt.backend.verifyKeyVaultChallenge !== false,
              },
              {
                abortSignal: o.signal,
                limitMs,
                backoff: o.backoff,
                onWait: (n, d) => wait(pmsg(rt.locale, 'progress.waitDataPlane', i.scope!, n, (d / 1000).toFixed(1))),
              },
            );
            return pmsg(rt.locale, 'progress.dataPlaneOk');
          }
          return pmsg(rt.locale, 'progress.exchangeOk');
        } catch (e) {
          if (PropagationTimeout.is(e)) {
            throw new StepFailure(
              e.code,
              pmsg(rt.locale, 'error.propagationTimeout', Math.round(limitMs / 1000), e.message),
            );
          }
          throw e;
        }
      };
    case 'workload-restart':
      return async () => {
        const k = await rt.kube();
        const pods = await podsOfServiceAccount(k, i.namespace, i.serviceAccount);
        const changedAt = [rt.live.annotationChangedAt, rt.live.credentialChangedAt].filter(Boolean).sort().pop();
        const stale = stalePods(pods, changedAt ?? new Date().toISOString(), rt.live.identity?.clientId);
        for (const owner of stale.owners) await rolloutRestart(k, owner);
        return (
          [
            ...stale.owners.map((w) => `${w.kind}/${w.name}`),
            ...stale.bare.map((b) => pmsg(rt.locale, 'note.barePod', b)),
          ].join('; ') || pmsg(rt.locale, 'note.nothingToRestart')
        );
      };
    case 'sample-workload':
      return async () => {
        const s = i.sample!;
        const k = await rt.kube();
        const podName = s.podName ?? 'quick-start';
        await createSamplePod(k, i.namespace, i.serviceAccount, podName, s.vaultUrl, s.secretName);
        rt.record({
          stepId: 'sample-workload',
          kind: 'pod',
          resource: `${i.namespace}/Pod/${podName}`,
          detail: { namespace: i.namespace, name: podName, context: k.context },
        });
      };
    case 'pod-label':
      return async () => {
        const k = await rt.kube();
        const refs = (plan.extra?.workloads ?? i.podLabelWorkloads ?? []) as WorkloadRef[];
        for (const ref of refs) {
          await labelForWorkloadIdentity(k, ref);
          rt.record({
            stepId: 'pod-label',
            kind: 'pod-label',
            resource: `${ref.namespace}/${ref.kind}/${ref.name}`,
            detail: { kind: ref.kind, namespace: ref.namespace, name: ref.name, context: k.context },
          });
        }
      };
    case 'pod-identity-cleanup':
      // Never deleted by the plan: the user removes them once the workload works (the note says how).
      return async () => step.notes?.[0];
    case 'stale-credential-delete':
      return async () => {
        const stale = plan.extra?.stale as
          { identityId: string; identityName: string; resourceGroup: string; name: string } | undefined;
        if (!stale) throw new StepFailure('NoStaleCredential', 'no stale credential in the plan');
        await rt.mutex.run(stale.identityId, () =>
          deleteCredential(rt.arm, stale.resourceGroup, stale.identityName, stale.name, o.signal),
        );
      };
  }
}
