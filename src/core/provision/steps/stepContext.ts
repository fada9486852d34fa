/** What every pure step builder reads: the inputs, what the checks observed, and derived names. */
import type { Locale } from '../../messages';
import { pmsg, type ProvisionMessageId } from '../messages';
import type { Observation, PlanStep, SetupInputs, StepId } from '../plan';
import { defaultCredentialName } from '../names';

export interface StepContext {
  readonly inputs: SetupInputs;
  readonly obs: Observation;
  readonly locale: Locale;
  readonly identityGroup: string;
  readonly credentialName: string;
  readonly subject: string;
  readonly clusterId: string;
  readonly identityId: string;
  /** Limit on each propagation wait, seconds (shown in the preview). */
  readonly waitLimitSeconds: number;
}

export function stepContext(inputs: SetupInputs, obs: Observation, waitLimitSeconds = 600): StepContext {
  const identityGroup = inputs.identityResourceGroup ?? inputs.resourceGroup;
  return {
    inputs,
    obs,
    locale: inputs.locale ?? 'en',
    identityGroup,
    credentialName:
      inputs.credentialName ??
      obs.credential?.name ??
      defaultCredentialName(inputs.clusterName, inputs.namespace, inputs.serviceAccount),
    subject: `system:serviceaccount:${inputs.namespace}:${inputs.serviceAccount}`,
    clusterId: `/subscriptions/${inputs.subscriptionId}/resourceGroups/${inputs.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${inputs.clusterName}`,
    identityId:
      obs.identity?.id ??
      `/subscriptions/${inputs.subscriptionId}/resourceGroups/${identityGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${inputs.identityName}`,
    waitLimitSeconds,
  };
}

export function t(ctx: StepContext, id: ProvisionMessageId, ...args: Array<string | number>): string {
  return pmsg(ctx.locale, id, ...args);
}

/** A blocked step (reason and what unblocks it). */
export function blocked(step: Omit<PlanStep, 'state'>, reason: string, unblock?: string): PlanStep {
  return { ...step, state: 'blocked', blockedReason: reason, ...(unblock ? { unblock } : {}) };
}

export function deps(...ids: Array<StepId | false | undefined>): StepId[] {
  return ids.filter((x): x is StepId => typeof x === 'string');
}

/** Tutorial variables (learn.microsoft.com/azure/aks/workload-identity-deploy-cluster), as "${NAME}". */
export const V = {
  rg: '"${RESOURCE_GROUP}"',
  cluster: '"${CLUSTER_NAME}"',
  identity: '"${USER_ASSIGNED_IDENTITY_NAME}"',
  identityRg: '"${IDENTITY_RESOURCE_GROUP}"',
  location: '"${LOCATION}"',
  subscription: '"${SUBSCRIPTION}"',
  namespace: '"${SERVICE_ACCOUNT_NAMESPACE}"',
  serviceAccount: '"${SERVICE_ACCOUNT_NAME}"',
  credential: '"${FEDERATED_IDENTITY_CREDENTIAL_NAME}"',
  issuer: '"${AKS_OIDC_ISSUER}"',
  clientId: '"${USER_ASSIGNED_CLIENT_ID}"',
  principalId: '"${IDENTITY_PRINCIPAL_ID}"',
  scope: '"${ROLE_SCOPE}"',
  role: '"${ROLE}"',
} as const;
