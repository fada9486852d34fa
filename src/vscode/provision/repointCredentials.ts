import * as vscode from 'vscode';
import { provisionUi } from './provisionUi';
import { reason, type ProvisionServices } from './services';
import { gather, planAndRun, titleFor } from './singleStep';

/**
 * Re-point Federated Credentials: credentials whose issuer belongs to no current cluster and whose
 * subject is a ServiceAccount of the chosen cluster (it was re-created: its issuer changed) get a
 * twin for the current issuer; deleting the stale ones is offered, behind a modal.
 */
export async function repointCredentials(svc: ProvisionServices, node?: unknown): Promise<unknown> {
  const g = await gather(svc, node, {});
  if (!g) return undefined;
  const base = {
    subscriptionId: g.subscriptionId,
    resourceGroup: g.cluster.resourceGroup,
    clusterName: g.cluster.name,
    locale: g.s.locale,
  };
  let stale: Awaited<ReturnType<typeof g.s.api.listStaleCredentials>>;
  try {
    stale = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Looking for credentials that trust an old issuer of {0}…', g.cluster.name),
      },
      () => g.s.api.listStaleCredentials(g.s.backend, base),
    );
  } catch (e) {
    provisionUi().error(vscode.l10n.t('Could not list {0}: {1}', vscode.l10n.t('federated credentials'), reason(e)));
    return undefined;
  }
  if (!stale.length) {
    provisionUi().info(vscode.l10n.t('No federated credential trusts an old issuer of {0}.', g.cluster.name));
    return undefined;
  }
  const chosen = await provisionUi().pickMany(
    'staleCredentials',
    stale.map((c) => ({
      label: `${c.identityName}/${c.credentialName}`,
      description: c.subject,
      detail: c.issuer,
      picked: true,
      value: c,
    })),
    {
      title: vscode.l10n.t('Credentials to re-point to {0}', g.cluster.name),
      placeHolder: vscode.l10n.t('Each gets a credential for the current issuer'),
    },
  );
  if (!chosen?.length) return undefined;
  const deleteStale = await provisionUi().pick(
    'deleteStale',
    [
      { label: vscode.l10n.t('Create the new credentials only'), value: false },
      { label: vscode.l10n.t('Create the new credentials, then delete the stale ones'), value: true },
    ],
    {
      title: vscode.l10n.t('Stale credentials'),
      placeHolder: vscode.l10n.t('Keep or delete the credentials for the old issuer?'),
    },
  );
  if (deleteStale === undefined) return undefined;
  if (deleteStale) {
    const ok = await provisionUi().confirm(
      'deleteStale',
      vscode.l10n.t('Delete {0} credential(s) that trust the old issuer?', String(chosen.length)),
      vscode.l10n.t(
        'Tokens issued by the old issuer ({0}) can no longer be exchanged for these identities: anything still running on the old cluster stops signing in. This cannot be undone.',
        chosen[0].issuer,
      ),
      vscode.l10n.t('Delete'),
    );
    if (!ok) return undefined;
  }
  const ids = [...new Set(chosen.map((c) => c.identityId))];
  const inputs = { ...base, identityIds: ids, deleteStale };
  return planAndRun(svc, g, titleFor(vscode.l10n.t('Re-point federated credentials'), g.cluster.name), (s, _i, o) =>
    s.api.planRepointCredentials(s.backend, inputs, o),
  );
}
