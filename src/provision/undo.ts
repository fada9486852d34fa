/**
 * Undo: deletes what the journal says this run created, newest first, and nothing else. An
 * annotation added to a ServiceAccount that existed is put back to its value before (or removed).
 * Something already gone counts as `absent`, not as a failure.
 */
import type { Journal, JournalEntry } from '../core/provision/plan';
import { undoOrder } from '../core/provision/journal';
import { deleteCredential } from '../azure/provision/federatedCredential';
import { deleteIdentity } from '../azure/provision/identity';
import { deleteAssignment } from '../azure/provision/roleAssignment';
import { statusOf, toStepError } from '../azure/provision/stepErrors';
import { isNotFound } from '../kube/provision/kubeClients';
import { deletePod } from '../kube/provision/samplePod';
import { deleteServiceAccount, patchClientId } from '../kube/provision/serviceAccount';
import { labelForWorkloadIdentity } from '../kube/provision/workloads';
import type { WorkloadRef } from '../core/provision/plan';
import type { Runtime } from './runtime';
import type { UndoItem, UndoOptions } from './session';

async function undoEntry(rt: Runtime, e: JournalEntry, signal?: AbortSignal): Promise<void> {
  const d = e.detail;
  switch (e.kind) {
    case 'identity':
      return deleteIdentity(rt.arm, d.resourceGroup!, d.name!, signal);
    case 'federated-credential':
      return deleteCredential(rt.arm, d.resourceGroup!, d.identityName!, d.name!, signal);
    case 'role-assignment':
      return deleteAssignment(rt.arm, e.resource, signal);
    case 'serviceaccount':
      return deleteServiceAccount(await rt.kube(), d.namespace!, d.name!);
    case 'serviceaccount-annotation':
      return patchClientId(await rt.kube(), d.namespace!, d.name!, e.before ?? null);
    case 'pod':
      return deletePod(await rt.kube(), d.namespace!, d.name!);
    case 'pod-label':
      return labelForWorkloadIdentity(
        await rt.kube(),
        { kind: d.kind as WorkloadRef['kind'], namespace: d.namespace!, name: d.name! },
        null,
      );
  }
}

export async function undoRun(rt: Runtime, journal: Journal, o: UndoOptions): Promise<UndoItem[]> {
  const items: UndoItem[] = [];
  for (const e of undoOrder(journal)) {
    if (o.signal?.aborted) {
      items.push({ resource: e.resource, state: 'skipped' });
      continue;
    }
    o.onProgress?.(e.resource, 'running');
    try {
      await undoEntry(rt, e, o.signal);
      items.push({ resource: e.resource, state: 'removed' });
      o.onProgress?.(e.resource, 'removed');
    } catch (err) {
      if (statusOf(err) === 404 || isNotFound(err)) {
        items.push({ resource: e.resource, state: 'absent' });
        o.onProgress?.(e.resource, 'absent');
      } else {
        const error = toStepError(err);
        items.push({ resource: e.resource, state: 'failed', error });
        o.onProgress?.(e.resource, 'failed', `${error.code}: ${error.message}`);
      }
    }
  }
  return items;
}
