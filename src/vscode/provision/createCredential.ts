import * as vscode from 'vscode';
import { credentialNameProblem, defaultCredentialName } from '../../core/provision/names';
import { pmsg } from '../../core/provision/messages';
import { provisionUi } from './provisionUi';
import type { ProvisionServices } from './services';
import { gather, planAndRun, titleFor } from './singleStep';

/**
 * Create Federated Credential: issuer from the cluster, subject from the ServiceAccount, the fixed
 * audience; the name checked before the call. The preview says how many of the identity's 20
 * credentials are used, and blocks the 21st.
 */
export async function createCredential(svc: ProvisionServices, node?: unknown): Promise<unknown> {
  const g = await gather(svc, node, { serviceAccount: true, identity: 'existing' });
  if (!g?.sa || !g.identity) return undefined;
  const name = await provisionUi().input('credentialName', {
    title: vscode.l10n.t('Federated credential name'),
    value: g.preset.credentialName ?? defaultCredentialName(g.cluster.name, g.sa.namespace, g.sa.name),
    validate: (v) => {
      const p = credentialNameProblem(v);
      return p ? pmsg(g.s.locale, p.id, ...p.args) : undefined;
    },
  });
  if (!name) return undefined;
  return planAndRun(
    svc,
    g,
    titleFor(vscode.l10n.t('Create federated credential {0}', name), g.identity.identityName),
    (s, i, o) => s.api.planCreateCredential(s.backend, i, o),
    { ...g.inputs, credentialName: name },
  );
}
