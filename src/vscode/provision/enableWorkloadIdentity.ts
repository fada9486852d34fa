import * as vscode from 'vscode';
import { issuerWarning } from './prompts';
import { provisionUi } from './provisionUi';
import type { ProvisionServices } from './services';
import { gather, planAndRun, titleFor } from './singleStep';

/** Enable OIDC Issuer and Workload Identity: a long-running cluster operation, warned about first. */
export async function enableWorkloadIdentity(svc: ProvisionServices, node?: unknown): Promise<unknown> {
  const g = await gather(svc, node, {});
  if (!g) return undefined;
  if (!g.cluster.oidcIssuerEnabled) {
    const ok = await provisionUi().confirm(
      'enableIssuer',
      vscode.l10n.t('Enable the OIDC issuer and workload identity on {0}?', g.cluster.name),
      issuerWarning(g.cluster.name),
      vscode.l10n.t('Enable'),
    );
    if (!ok) return undefined;
  }
  return planAndRun(
    svc,
    g,
    titleFor(vscode.l10n.t('Enable OIDC issuer and workload identity'), g.cluster.name),
    (s, i, o) => s.api.planEnableWorkloadIdentity(s.backend, i, o),
  );
}
