import * as vscode from 'vscode';
import { newIdentity, pickSubscription } from './prompts';
import { observe, previewAndApply } from './runPlan';
import { openSession, requireTrust, type ProvisionServices } from './services';
import { presetFrom } from './treeContext';

/** Create Managed Identity: a name, a resource group and a location. */
export async function createIdentity(svc: ProvisionServices, node?: unknown): Promise<unknown> {
  if (!requireTrust()) return undefined;
  const s = await openSession(svc);
  if (!s) return undefined;
  const preset = presetFrom(node);
  const subscriptionId = await pickSubscription(s, preset);
  if (!subscriptionId) return undefined;
  const identity = await newIdentity(s, subscriptionId, preset.cluster);
  if (!identity) return undefined;
  const title = vscode.l10n.t('Create managed identity {0}', identity.identityName);
  const plan = await observe(title, (signal) => s.api.planCreateIdentity(s.backend, {
    subscriptionId, resourceGroup: identity.identityResourceGroup, clusterName: preset.cluster?.name ?? '', namespace: 'default', serviceAccount: '',
    identityName: identity.identityName, identityResourceGroup: identity.identityResourceGroup, location: identity.location, locale: s.locale,
  }, { signal }));
  return plan ? previewAndApply(svc, s, plan, title) : undefined;
}
