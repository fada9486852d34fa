/**
 * The ARM clients of one provisioning run, on the caller's connection (same limiter, CA, scope),
 * plus counters of the requests and the write requests this run sent: `kwi setup` prints the
 * write count, and an idempotent re-run must show 0. Counted per HTTP attempt (after the retry
 * policy), so a retried write counts as often as it was sent, as the server sees it.
 */
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { createArmClients, type ArmClients, type ArmConnection } from '../clients';

export interface RunCounters {
  writes: number;
  requests: number;
}

export function newCounters(): RunCounters {
  return { writes: 0, requests: 0 };
}

/** PUT/PATCH/DELETE, and POSTs other than ARM's read-like `list*` actions (listClusterUserCredential). */
export function isArmWrite(method: string, url: string): boolean {
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') return false;
  if (m !== 'POST') return true;
  const last = new URL(url).pathname.replace(/\/+$/, '').split('/').pop()?.toLowerCase() ?? '';
  return !last.startsWith('list');
}

export function countingPolicy(counters: RunCounters): PipelinePolicy {
  return {
    name: 'kwiProvisionCounter',
    sendRequest: (request, next) => {
      counters.requests++;
      if (isArmWrite(request.method, request.url)) counters.writes++;
      return next(request);
    },
  };
}

export interface ProvisionClients extends ArmClients {
  readonly counters: RunCounters;
}

export function provisionClients(
  connection: ArmConnection,
  subscriptionId: string,
  counters: RunCounters,
): ProvisionClients {
  const clients = createArmClients({ credential: connection.credential, subscriptionId, connection });
  const policy = countingPolicy(counters);
  for (const c of [clients.msi, clients.authorization, clients.containerService]) {
    c.pipeline.addPolicy(policy, { afterPhase: 'Retry' });
  }
  return { ...clients, counters };
}
