/** The explorer's commands. Handlers receive the clicked node (tree menus pass it as the first argument). */
import * as vscode from 'vscode';
import { matchCredential, parseSubject } from '../../azure/federationMatch';
import { ui } from '../ui';
import type { CopyKind } from './nodeActions';
import { CredentialNode } from './nodes/credentialNode';
import { CredentialsNode } from './nodes/credentialsNode';
import { ErrorNode, errorReason } from './nodes/errorNode';
import type { ExplorerNode } from './nodes/explorerNode';
import { TenantSignInNode } from './nodes/tenantSignInNode';
import type { ExplorerProvider } from './provider';
import type { ManifestIndex } from '../manifestIndex';
import { revealManifest } from './revealManifest';
import { currentCloud, signIn } from './sessionCredential';

export const FILTER_KEY = 'kwi.explorer.subscriptions';

/** The remembered subscription filter (per workspace); undefined = all subscriptions. */
export interface SubscriptionFilter {
  get(): readonly string[] | undefined;
  set(ids: readonly string[] | undefined): Thenable<void>;
}

export const COMMANDS = {
  refresh: 'kwi.explorer.refresh',
  retry: 'kwi.explorer.retry',
  signIn: 'kwi.explorer.signIn',
  signInToTenant: 'kwi.explorer.signInToTenant',
  selectSubscriptions: 'kwi.explorer.selectSubscriptions',
  copyClientId: 'kwi.explorer.copyClientId',
  copyPrincipalId: 'kwi.explorer.copyPrincipalId',
  copyIssuer: 'kwi.explorer.copyIssuer',
  copySubject: 'kwi.explorer.copySubject',
  openInPortal: 'kwi.explorer.openInPortal',
  deleteFederatedCredential: 'kwi.explorer.deleteFederatedCredential',
  revealManifest: 'kwi.explorer.revealManifest',
} as const;

export function registerExplorerCommands(
  filter: SubscriptionFilter,
  provider: ExplorerProvider,
  manifests: ManifestIndex,
): vscode.Disposable {
  const copy = (kind: CopyKind) => async (node?: ExplorerNode) => {
    const value = node?.copyValue(kind);
    if (!value) return;
    await vscode.env.clipboard.writeText(value);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', value), 3000);
  };
  const reg = (id: string, fn: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, fn);

  return vscode.Disposable.from(
    reg(COMMANDS.refresh, (node?: ExplorerNode) => provider.refresh(node)),
    reg(COMMANDS.retry, (node?: ExplorerNode) => {
      if (!(node instanceof ErrorNode)) return provider.refresh();
      node.retry();
      // Re-render from the grandparent: the parent's own label may summarise the failed listing.
      return provider.rerender(node.parent?.parent ?? node.parent);
    }),
    reg(COMMANDS.signIn, async () => {
      const config = vscode.workspace.getConfiguration('kwi');
      if (config.get<string>('backend') === 'sandbox') {
        // The sandbox signs its own developer principal in: a Microsoft login would reach nothing here.
        ui().info(
          vscode.l10n.t(
            'Nothing to sign in to: with "kwi.backend": "sandbox" the explorer uses the local sandbox and signs in as its developer principal. To browse a real subscription, set "kwi.backend" to "azure".',
          ),
        );
        return false;
      }
      if (config.get<string>('auth', 'vscode') === 'azureCli') {
        ui().info(vscode.l10n.t('Sign in with "az login" in a terminal, then refresh the explorer.'));
        return false;
      }
      if (!(await interactiveSignIn())) return false;
      provider.reset();
      return true;
    }),
    reg(COMMANDS.signInToTenant, async (node?: ExplorerNode) => {
      if (!(node instanceof TenantSignInNode)) return false;
      if (!(await interactiveSignIn(node.tenantId))) return false;
      provider.refresh();
      return true;
    }),
    reg(COMMANDS.selectSubscriptions, async () => {
      const env = await provider.currentEnv();
      if (!env) return;
      const r = await env.azure.subscriptions();
      if (!r.ok) {
        ui().error(vscode.l10n.t('Could not list subscriptions: {0}', errorReason(r.error)));
        return;
      }
      const current = filter.get();
      const items = r.value.map((s) => ({
        label: s.displayName,
        description: s.subscriptionId,
        picked: !current || current.includes(s.subscriptionId),
        id: s.subscriptionId,
      }));
      const picked = await ui().pick(items, {
        canPickMany: true,
        placeHolder: vscode.l10n.t('Subscriptions to show in the explorer'),
      });
      if (!picked) return;
      // All picked = no filter, so subscriptions added later show up too.
      await filter.set(picked.length === items.length ? undefined : picked.map((p) => p.id));
      provider.rerender();
    }),
    reg(COMMANDS.copyClientId, copy('clientId')),
    reg(COMMANDS.copyPrincipalId, copy('principalId')),
    reg(COMMANDS.copyIssuer, copy('issuer')),
    reg(COMMANDS.copySubject, copy('subject')),
    reg(COMMANDS.openInPortal, async (node?: ExplorerNode) => {
      // The same method that decides whether the menu offers the item.
      const link = node?.portalLink();
      if (link) await vscode.env.openExternal(vscode.Uri.parse(link));
    }),
    reg(COMMANDS.deleteFederatedCredential, (node?: ExplorerNode) => deleteCredential(provider, node)),
    reg(COMMANDS.revealManifest, (node?: ExplorerNode) => reveal(manifests, node)),
  );
}

async function deleteCredential(provider: ExplorerProvider, node?: ExplorerNode): Promise<boolean> {
  if (!(node instanceof CredentialNode)) return false;
  if (!vscode.workspace.isTrusted) {
    ui().error(vscode.l10n.t('Deleting a federated credential needs a trusted workspace.'));
    return false;
  }
  const env = await provider.currentEnv();
  if (!env) return false;
  const { credential, identity } = node;
  const known = await env.knownIssuers();
  const cluster = matchCredential(credential, known).intended?.source;
  const sa = parseSubject(credential.subject);
  const who = sa ? vscode.l10n.t('ServiceAccount {0}/{1}', sa.namespace, sa.name) : credential.subject;
  const where = cluster ?? credential.issuer;
  const message = vscode.l10n.t('Delete federated credential "{0}" of {1}?', credential.name, identity.name);
  const detail = vscode.l10n.t(
    'Pods that run as {0} on {1} will no longer be able to exchange their token for {2}: new token requests fail with AADSTS70021. This cannot be undone.',
    who,
    where,
    identity.name,
  );
  if (!(await ui().confirm(message, detail, vscode.l10n.t('Delete')))) return false;
  const r = await vscode.window.withProgress({ location: { viewId: 'kwi.explorer' } }, () =>
    env.azure.deleteCredential(identity.subscriptionId, identity, credential.name),
  );
  if (!r.ok) {
    ui().error(
      vscode.l10n.t('Could not delete {0}: {1}', credential.name, `${errorReason(r.error)} (${r.error.message})`),
    );
    return false;
  }
  const parent = node.parent instanceof CredentialsNode ? node.parent : undefined;
  provider.rerender(parent);
  return true;
}

async function reveal(manifests: ManifestIndex, node?: ExplorerNode): Promise<vscode.TextEditor | undefined> {
  const target = node?.revealTarget();
  return target ? revealManifest(manifests, target.query, target.label) : undefined;
}

/**
 * VS Code's Microsoft sign-in. Dismissing it rejects (or, with some providers, resolves empty):
 * either way the user hears that nothing changed, instead of silence.
 */
async function interactiveSignIn(tenantId?: string): Promise<boolean> {
  let session: vscode.AuthenticationSession | undefined;
  try {
    session = await signIn(currentCloud(), tenantId);
  } catch (e) {
    ui().info(
      vscode.l10n.t('Sign-in cancelled: the explorer stays signed out. ({0})', (e as Error)?.message ?? String(e)),
    );
    return false;
  }
  if (!session) ui().info(vscode.l10n.t('Sign-in cancelled: the explorer stays signed out.'));
  return session !== undefined;
}
