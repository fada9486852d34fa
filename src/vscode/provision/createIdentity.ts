import * as vscode from 'vscode';
import { newIdentity } from './prompts';
import { observe, previewAndApply } from './runPlan';
import type { ProvisionServices } from './services';
import { beginInSubscription, identityInputs } from './singleStep';

/** Create Managed Identity: a name, a resource group and a location. */
export async function createIdentity(svc: ProvisionServices, node?: unknown): Promise<unknown> {
  const begun = await beginInSubscription(svc, node);
  if (!begun) return undefined;
  const { s, preset, subscriptionId } = begun;
  const identity = await newIdentity(s, subscriptionId, preset.cluster);
  if (!identity) return undefined;
  const title = vscode.l10n.t('Create managed identity {0}', identity.identityName);
  const plan = await observe(title, (signal) =>
    s.api.planCreateIdentity(
      s.backend,
      { ...identityInputs(s, subscriptionId, preset, identity), location: identity.location },
      { signal },
    ),
  );
  return plan ? previewAndApply(svc, s, plan, title) : undefined;
}
