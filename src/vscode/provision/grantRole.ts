import * as vscode from 'vscode';
import { pickIdentity, pickRole } from './prompts';
import { observe, previewAndApply } from './runPlan';
import type { ProvisionServices } from './services';
import { beginInSubscription, identityInputs } from './singleStep';

/** Grant Role: to the identity's principal (principalType ServicePrincipal) on any scope. */
export async function grantRole(svc: ProvisionServices, node?: unknown): Promise<unknown> {
  const begun = await beginInSubscription(svc, node);
  if (!begun) return undefined;
  const { s, preset, subscriptionId } = begun;
  const identity = await pickIdentity(s, subscriptionId, preset.cluster, preset, false);
  if (!identity) return undefined;
  const role = await pickRole(s, subscriptionId, false);
  if (!role) return undefined;
  const title = vscode.l10n.t('Grant a role to {0}', identity.identityName);
  const plan = await observe(title, (signal) =>
    s.api.planGrantRole(
      s.backend,
      { ...identityInputs(s, subscriptionId, preset, identity), scope: role.scope, role: role.role },
      { signal },
    ),
  );
  return plan ? previewAndApply(svc, s, plan, title) : undefined;
}
