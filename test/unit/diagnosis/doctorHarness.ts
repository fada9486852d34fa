// Shared setup for the diagnosis tests: a real sandbox, the developer's SDK clients, and helpers
// that build the broken cases over the same HTTP APIs a user would use.
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import type { CheckResult } from '../../../src/core/diagnosis/types';
import type { Diagnosis } from '../../../src/core/diagnosis/runChecks';
import { sandboxDiagnosisBackend } from '../../../src/diagnosis/backends';
import type { DiagnosisBackend } from '../../../src/diagnosis/diagnosisBackend';
import { SCENARIO } from '../../../src/sandbox/scenario';
import type { RunningSandbox, SandboxOptions } from '../../../src/sandbox/server';
import { rawRequest, startHarness, type Harness } from '../sandbox/sandboxClients';

export interface DoctorHarness extends Harness {
  backend: DiagnosisBackend;
  msi: ManagedServiceIdentityClient;
  vaultUri: string;
  clusterGuid: string;
  kube(method: string, path: string, body?: object): Promise<{ status: number; json: () => unknown; text: string }>;
  createIdentity(
    name: string,
    credential?: { subject: string; audience?: string; issuer?: string },
  ): Promise<{ clientId: string; principalId: string; id: string }>;
  serviceAccount(name: string, clientId?: string, namespace?: string): Promise<void>;
  pod(name: string, sa: string, o?: { label?: string | null; namespace?: string }): Promise<void>;
  issuer(): Promise<string>;
}

export async function startDoctorHarness(options: SandboxOptions = {}): Promise<DoctorHarness> {
  const h = await startHarness({ port: 0, ...options });
  const backend = await sandboxDiagnosisBackend(h.sandbox, {
    name: SCENARIO.clusterWithIssuer,
    resourceGroup: SCENARIO.resourceGroup,
  });
  const msi = new ManagedServiceIdentityClient(h.credential, h.sandbox.subscriptionId, h.armOptions);
  const kv = new KeyVaultManagementClient(h.credential, h.sandbox.subscriptionId, {
    ...h.armOptions,
    credentials: { scopes: h.armOptions.credentialScopes },
  } as ConstructorParameters<typeof KeyVaultManagementClient>[2]);
  const vaultUri = (await kv.vaults.get(SCENARIO.resourceGroup, SCENARIO.vault)).properties.vaultUri!;
  const clusterGuid = Object.values(h.sandbox.state().clusters).find(
    (c) => c.name === SCENARIO.clusterWithIssuer,
  )!.guid;
  // The cluster's admin token, as its kubeconfig carries it (the API server refuses any other).
  const clusterToken = () =>
    Object.values(h.sandbox.state().clusters).find((c) => c.guid === clusterGuid)!.clientToken ?? '';
  const kube = (method: string, path: string, body?: object) =>
    rawRequest(h.sandbox, method, `/k8s/${clusterGuid}${path}`, {
      headers: {
        authorization: `Bearer ${clusterToken()}`,
        ...(method === 'PATCH' ? { 'content-type': 'application/merge-patch+json' } : {}),
      },
      body: body === undefined ? undefined : method === 'PATCH' ? JSON.stringify(body) : body,
    });
  const issuer = async () =>
    Object.values(h.sandbox.state().clusters).find((c) => c.name === SCENARIO.clusterWithIssuer)!.issuerUrl!;
  return {
    ...h,
    backend,
    msi,
    vaultUri,
    clusterGuid,
    kube,
    issuer,
    async createIdentity(name, credential) {
      const i = await msi.userAssignedIdentities.createOrUpdate(SCENARIO.resourceGroup, name, {
        location: SCENARIO.location,
      });
      if (credential) {
        await msi.federatedIdentityCredentials.createOrUpdate(SCENARIO.resourceGroup, name, `fic-${name}`, {
          issuer: credential.issuer ?? (await issuer()),
          subject: credential.subject,
          audiences: [credential.audience ?? 'api://AzureADTokenExchange'],
        });
      }
      return { clientId: i.clientId!, principalId: i.principalId!, id: i.id! };
    },
    async serviceAccount(name, clientId, namespace = 'default') {
      const res = await kube('POST', `/api/v1/namespaces/${namespace}/serviceaccounts`, {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: {
          name,
          namespace,
          ...(clientId ? { annotations: { 'azure.workload.identity/client-id': clientId } } : {}),
        },
      });
      if (res.status !== 201) throw new Error(`create ServiceAccount ${name}: ${res.status} ${res.text}`);
    },
    async pod(name, sa, o = {}) {
      const namespace = o.namespace ?? 'default';
      const label = o.label === undefined ? 'true' : o.label;
      const res = await kube('POST', `/api/v1/namespaces/${namespace}/pods`, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace, ...(label !== null ? { labels: { 'azure.workload.identity/use': label } } : {}) },
        spec: {
          serviceAccountName: sa,
          containers: [
            {
              name: 'app',
              image: 'ghcr.io/azure/azure-workload-identity/msal-go',
              env: [
                { name: 'KEYVAULT_URL', value: vaultUri },
                { name: 'SECRET_NAME', value: SCENARIO.secret },
              ],
            },
          ],
        },
      });
      if (res.status !== 201) throw new Error(`create Pod ${name}: ${res.status} ${res.text}`);
    },
  };
}

export function check(d: Diagnosis, id: CheckResult['id']): CheckResult {
  const c = d.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id}`);
  return c;
}

export function statuses(d: Diagnosis): Record<string, string> {
  return Object.fromEntries(d.checks.map((c) => [c.id, c.status]));
}

export type { RunningSandbox };
