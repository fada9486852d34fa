import * as vscode from 'vscode';
import { provisionUi } from './provisionUi';
import type { ProvisionServices } from './services';
import { gather, planAndRun, titleFor } from './singleStep';

/** Deploy Sample Workload: the tutorial's Key Vault pod, with the vault URL and secret name filled in. */
export async function deploySample(svc: ProvisionServices, node?: unknown): Promise<unknown> {
  const g = await gather(svc, node, { serviceAccount: true });
  if (!g?.sa) return undefined;
  const vaultUrl = await provisionUi().input('vaultUrl', {
    title: vscode.l10n.t('Key Vault URL the sample reads from'),
    placeHolder: 'https://my-vault.vault.azure.net/',
    validate: (v) =>
      /^https:\/\/[^\s/]+\/?$/.test(v.trim())
        ? undefined
        : vscode.l10n.t('A vault URL such as https://my-vault.vault.azure.net/'),
  });
  if (!vaultUrl) return undefined;
  const secretName = await provisionUi().input('secretName', {
    title: vscode.l10n.t('Secret the sample reads'),
    value: 'my-secret',
    validate: (v) =>
      /^[0-9a-zA-Z-]{1,127}$/.test(v)
        ? undefined
        : vscode.l10n.t('Secret names use letters, digits and dashes (1–127).'),
  });
  if (!secretName) return undefined;
  return planAndRun(
    svc,
    g,
    titleFor(vscode.l10n.t('Deploy the sample workload'), `${g.sa.namespace}/${g.sa.name}`),
    (s, i, o) => s.api.planDeploySample(s.backend, i, o),
    { ...g.inputs, sample: { vaultUrl: vaultUrl.trim(), secretName } },
  );
}
