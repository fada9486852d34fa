/** The tree's top level: one node per shown subscription, tenants that need a sign-in, and the kube contexts. */
import * as vscode from 'vscode';
import { azureKeys } from '../../../azure/explorerKeys';
import { ErrorNode } from './errorNode';
import type { ExplorerEnv, ExplorerNode } from './explorerNode';
import { KubeContextsNode } from './kubeContextsNode';
import { SubscriptionNode } from './subscriptionNode';
import { TenantSignInNode } from './tenantSignInNode';

export function rootNodes(env: ExplorerEnv): Promise<ExplorerNode[]> {
  return (async () => {
    const r = await env.azure.subscriptions();
    const kube = new KubeContextsNode(env);
    if (!r.ok) {
      return [
        new ErrorNode(undefined, vscode.l10n.t('subscriptions'), r.error, () =>
          env.azure.invalidate(azureKeys.subscriptions()),
        ),
        kube,
      ];
    }
    const shown = await env.shownSubscriptions();
    const signIn = env.azure.tenantsNeedingSignIn().map((t) => new TenantSignInNode(t.tenantId, t.displayName));
    return [...shown.map((s) => new SubscriptionNode(env, s)), ...signIn, kube];
  })();
}
