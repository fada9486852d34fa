import * as vscode from 'vscode';
import { provisionUi } from './provisionUi';
import type { ProvisionServices } from './services';
import { gather, planAndRun, titleFor } from './singleStep';

/** Disable Workload Identity: destructive, so a modal names what stops working first. */
export async function disableWorkloadIdentity(svc: ProvisionServices, node?: unknown): Promise<unknown> {
  const g = await gather(svc, node, {});
  if (!g) return undefined;
  const ok = await provisionUi().confirm(
    'disableWorkloadIdentity',
    vscode.l10n.t('Disable workload identity on {0}?', g.cluster.name),
    vscode.l10n.t(
      'The webhook stops injecting AZURE_CLIENT_ID, AZURE_TENANT_ID and the projected token into new pods on {0}: every workload there that signs in with workload identity fails once its pods restart. The OIDC issuer stays on.',
      g.cluster.name,
    ),
    vscode.l10n.t('Disable'),
  );
  if (!ok) return undefined;
  return planAndRun(svc, g, titleFor(vscode.l10n.t('Disable workload identity'), g.cluster.name), (s, i, o) =>
    s.api.planDisableWorkloadIdentity(s.backend, i, o),
  );
}
