import * as vscode from 'vscode';
import type { ProvisionServices } from './services';
import { gather, planAndRun, titleFor } from './singleStep';

/** Restart Workloads Using ServiceAccount: rollout restarts of the owners of stale pods; bare pods are listed, never deleted. */
export async function restartWorkloads(svc: ProvisionServices, node?: unknown): Promise<unknown> {
  const g = await gather(svc, node, { serviceAccount: true });
  if (!g?.sa) return undefined;
  return planAndRun(
    svc,
    g,
    titleFor(vscode.l10n.t('Restart workloads using {0}', `${g.sa.namespace}/${g.sa.name}`), g.cluster.name),
    (s, i, o) => s.api.planRestartWorkloads(s.backend, i, o),
  );
}
