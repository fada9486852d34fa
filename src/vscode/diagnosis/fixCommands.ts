import type { FixStepId } from '../../core/diagnosis/types';
import type { Preset } from '../provision/treeContext';

/**
 * Which provisioning command repairs a link, by the `fix` a check names. The command gets a
 * preset (subscription, cluster, identity, ServiceAccount) instead of a tree node, so it asks
 * nothing the report already knows. `propagation` is not a command: the report re-checks.
 */
export const FIX_COMMAND: Readonly<Record<Exclude<FixStepId, 'propagation'>, string>> = {
  'cluster.oidc-issuer': 'kwi.provision.enableWorkloadIdentity',
  'cluster.workload-identity': 'kwi.provision.enableWorkloadIdentity',
  identity: 'kwi.provision.createIdentity',
  serviceaccount: 'kwi.provision.annotateServiceAccount',
  'federated-credential': 'kwi.provision.createCredential',
  'role-assignment': 'kwi.provision.grantRole',
  'workload-restart': 'kwi.provision.restartWorkloads',
};

/** What a provisioning command accepts in place of a tree node (see presetFrom). */
export interface PresetCarrier {
  readonly kwiPreset: Preset;
}

export function presetCarrier(preset: Preset): PresetCarrier {
  return { kwiPreset: preset };
}
