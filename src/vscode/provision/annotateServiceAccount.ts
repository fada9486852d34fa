import * as vscode from 'vscode';
import type { ProvisionServices } from './services';
import { gather, planAndRun, titleFor } from './singleStep';

/**
 * Create or Annotate ServiceAccount: in the cluster a merge patch that adds only the client-id
 * annotation; in the workspace manifest (found through the core's index) a minimal text edit.
 */
export async function annotateServiceAccount(svc: ProvisionServices, node?: unknown): Promise<unknown> {
  const g = await gather(svc, node, { serviceAccount: true, identity: 'existing' });
  if (!g?.sa) return undefined;
  return planAndRun(
    svc,
    g,
    titleFor(vscode.l10n.t('Create or annotate ServiceAccount'), `${g.sa.namespace}/${g.sa.name}`),
    (s, i, o) => s.api.planAnnotateServiceAccount(s.backend, i, o),
  );
}
