/**
 * Re-pointing after a cluster was re-created (its issuer changed: Azure/AKS#3982): a credential
 * whose issuer belongs to no current cluster and whose subject is a ServiceAccount of the chosen
 * cluster is stale. The plan creates the credential for the current issuer (the ordinary
 * `federated-credential` step) and, when asked, deletes the stale one afterwards.
 */
import { cmd } from '../shell';
import type { PlanStep } from '../plan';
import { t, type StepContext } from './stepContext';

export interface CredentialFacts {
  readonly identityId: string;
  readonly identityName: string;
  readonly resourceGroup: string;
  readonly name: string;
  readonly issuer: string;
  readonly subject: string;
}

/** Pure: the stale credentials, given every current cluster issuer and the chosen cluster's ServiceAccounts. */
export function findStale(
  credentials: readonly CredentialFacts[],
  currentIssuers: readonly string[],
  serviceAccounts: readonly { namespace: string; name: string }[],
): CredentialFacts[] {
  const issuers = new Set(currentIssuers);
  const subjects = new Set(serviceAccounts.map((s) => `system:serviceaccount:${s.namespace}:${s.name}`));
  return credentials.filter((c) => !issuers.has(c.issuer) && subjects.has(c.subject));
}

export function staleDeleteStep(ctx: StepContext, stale: CredentialFacts, replacementStep: PlanStep['id']): PlanStep {
  return {
    id: 'stale-credential-delete',
    title: t(ctx, 'step.staleDelete', stale.name, stale.identityName),
    dependsOn: [replacementStep],
    changes: [{ field: 'federatedIdentityCredential', before: `${stale.name} (${stale.issuer})`, after: '(deleted)' }],
    equivalent: cmd(
      'az',
      'identity',
      'federated-credential',
      'delete',
      '--name',
      stale.name,
      '--identity-name',
      stale.identityName,
      '--resource-group',
      stale.resourceGroup,
      '--yes',
    ),
    resource: `${stale.identityId}/federatedIdentityCredentials/${stale.name}`,
    destructive: true,
    warning: t(ctx, 'note.deleteStaleStops'),
    state: 'todo',
  };
}
