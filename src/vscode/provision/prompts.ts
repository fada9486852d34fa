/**
 * The questions provisioning asks, one function per question, each returning undefined when the
 * user backs out. Lists come from the façade's listing helpers (ARM, the cluster) and from the
 * core's workspace index; names are checked with the core's name rules before any call.
 */
import * as vscode from 'vscode';
import type { ClusterInfo, IdentityInfo } from '../../azure/models';
import type { NameProblem } from '../../core/provision/names';
import { identityNameProblem, namespaceProblem, scopeProblem, serviceAccountProblem } from '../../core/provision/names';
import { pmsg } from '../../core/provision/messages';
import type { ProvisionServices, Session } from './services';
import { reason } from './services';
import type { Choice } from '../ui';
import { provisionUi } from './provisionUi';
import type { Preset } from './treeContext';

const problemText = (s: Session, p: NameProblem | undefined) => (p ? pmsg(s.locale, p.id, ...p.args) : undefined);

async function listed<T>(what: string, load: () => Promise<T[]>): Promise<T[] | undefined> {
  try {
    return await load();
  } catch (e) {
    provisionUi().error(vscode.l10n.t('Could not list {0}: {1}', what, reason(e)));
    return undefined;
  }
}

export async function pickSubscription(s: Session, preset: Preset): Promise<string | undefined> {
  if (preset.subscriptionId) return preset.subscriptionId;
  const subs = await listed(vscode.l10n.t('subscriptions'), () => s.api.listSubscriptions(s.backend));
  if (!subs) return undefined;
  return provisionUi().pick(
    'subscription',
    subs.map((x) => ({ label: x.displayName, description: x.subscriptionId, value: x.subscriptionId })),
    { title: vscode.l10n.t('Subscription'), placeHolder: vscode.l10n.t('Pick the subscription') },
  );
}

export async function pickCluster(
  s: Session,
  subscriptionId: string,
  preset: Preset,
): Promise<ClusterInfo | undefined> {
  if (preset.cluster) return preset.cluster;
  const clusters = await listed(vscode.l10n.t('AKS clusters'), () => s.api.listClusters(s.backend, subscriptionId));
  if (!clusters) return undefined;
  if (!clusters.length) {
    provisionUi().error(vscode.l10n.t('No AKS cluster in this subscription.'));
    return undefined;
  }
  return provisionUi().pick(
    'cluster',
    clusters.map((c) => ({
      label: c.name,
      description: `${c.resourceGroup} · ${c.location}`,
      detail: [
        c.oidcIssuerEnabled ? vscode.l10n.t('issuer on') : vscode.l10n.t('no issuer'),
        c.workloadIdentityEnabled ? vscode.l10n.t('workload identity on') : vscode.l10n.t('workload identity off'),
      ].join(' · '),
      value: c,
    })),
    { title: vscode.l10n.t('AKS cluster'), placeHolder: vscode.l10n.t('Pick the cluster') },
  );
}

/** The warning the tutorial's `az aks update --enable-oidc-issuer` deserves, said before it runs. */
export function issuerWarning(cluster: string): string {
  return vscode.l10n.t(
    'Enabling the OIDC issuer on {0} gives it an issuer URL, restarts its API server, and cannot be undone (the issuer cannot be turned off again).',
    cluster,
  );
}

/** When the issuer or workload identity is off: ask to turn them on as part of the plan. */
export async function offerEnable(cluster: ClusterInfo): Promise<boolean> {
  if (cluster.oidcIssuerEnabled && cluster.workloadIdentityEnabled) return true;
  const message = vscode.l10n.t(
    '{0} has {1}. Turn it on as part of this plan?',
    cluster.name,
    !cluster.oidcIssuerEnabled ? vscode.l10n.t('no OIDC issuer') : vscode.l10n.t('workload identity off'),
  );
  const detail = !cluster.oidcIssuerEnabled
    ? issuerWarning(cluster.name)
    : vscode.l10n.t('The workload identity webhook will be installed on {0}.', cluster.name);
  return provisionUi().confirm('enableCluster', message, detail, vscode.l10n.t('Turn On'));
}

export interface PickedServiceAccount {
  readonly namespace: string;
  readonly name: string;
  /** The workspace manifest that defines it (as the core's index names it). */
  readonly manifestUri?: string;
}

type SaChoice = { kind: 'cluster' | 'manifest'; namespace: string; name: string; uri?: string } | { kind: 'new' };

/** A ServiceAccount in the cluster, one from a workspace manifest (the core index), or a new name. */
export async function pickServiceAccount(
  s: Session,
  svc: ProvisionServices,
  cluster: ClusterInfo,
  preset: Preset,
): Promise<PickedServiceAccount | undefined> {
  if (preset.serviceAccount) {
    const [hit] = await svc.manifests.find({
      namespace: preset.serviceAccount.namespace,
      name: preset.serviceAccount.name,
    });
    return { ...preset.serviceAccount, ...(hit ? { manifestUri: hit.uri } : {}) };
  }
  const ref = {
    subscriptionId: cluster.subscriptionId,
    resourceGroup: cluster.resourceGroup,
    clusterName: cluster.name,
  };
  const [inCluster, inWorkspace] = await Promise.all([
    s.api.listClusterServiceAccounts(s.backend, ref).catch((e: unknown) => {
      svc.log.warn(`ServiceAccounts of ${cluster.name} not listed: ${reason(e)}`);
      return [];
    }),
    svc.manifests.find({}),
  ]);
  const items: Array<Choice<SaChoice>> = [
    { label: vscode.l10n.t('$(add) New ServiceAccount…'), value: { kind: 'new' } },
  ];
  if (inCluster.length) {
    items.push({
      label: vscode.l10n.t('In the cluster'),
      kind: vscode.QuickPickItemKind.Separator,
      value: { kind: 'new' },
    });
  }
  for (const sa of inCluster) {
    items.push({
      label: `${sa.namespace}/${sa.name}`,
      description: sa.clientId ? vscode.l10n.t('client ID {0}', sa.clientId) : undefined,
      value: { kind: 'cluster', namespace: sa.namespace, name: sa.name },
    });
  }
  if (inWorkspace.length) {
    items.push({
      label: vscode.l10n.t('In workspace manifests'),
      kind: vscode.QuickPickItemKind.Separator,
      value: { kind: 'new' },
    });
  }
  for (const sa of inWorkspace) {
    items.push({
      label: `${sa.namespace}/${sa.name}`,
      description: vscode.workspace.asRelativePath(vscode.Uri.parse(sa.uri)),
      value: { kind: 'manifest', namespace: sa.namespace, name: sa.name, uri: sa.uri },
    });
  }
  const chosen = await provisionUi().pick('serviceAccount', items, {
    title: vscode.l10n.t('ServiceAccount'),
    placeHolder: vscode.l10n.t('Pick the ServiceAccount the pods run as'),
  });
  if (!chosen) return undefined;
  if (chosen.kind === 'cluster') {
    // A manifest in the workspace for the same ServiceAccount gets the annotation too.
    const [hit] = await svc.manifests.find({ namespace: chosen.namespace, name: chosen.name });
    return { namespace: chosen.namespace, name: chosen.name, ...(hit ? { manifestUri: hit.uri } : {}) };
  }
  if (chosen.kind === 'manifest') return { namespace: chosen.namespace, name: chosen.name, manifestUri: chosen.uri };
  const namespaces = await s.api.listNamespaces(s.backend, ref).catch(() => [] as string[]);
  let namespace: string | undefined;
  if (namespaces.length) {
    namespace = await provisionUi().pick(
      'namespace',
      [
        ...namespaces.map((n) => ({ label: n, value: n })),
        { label: vscode.l10n.t('$(add) Another namespace…'), value: '' },
      ],
      { title: vscode.l10n.t('Namespace'), placeHolder: vscode.l10n.t('Namespace of the new ServiceAccount') },
    );
    if (namespace === undefined) return undefined;
  }
  if (!namespace) {
    namespace = await provisionUi().input('namespaceName', {
      title: vscode.l10n.t('Namespace'),
      value: 'default',
      validate: (v) => problemText(s, namespaceProblem(v)),
    });
    if (!namespace) return undefined;
  }
  const name = await provisionUi().input('serviceAccountName', {
    title: vscode.l10n.t('ServiceAccount name'),
    value: 'workload-identity-sa',
    validate: (v) => problemText(s, serviceAccountProblem(v)),
  });
  if (!name) return undefined;
  return { namespace, name };
}

export interface PickedIdentity {
  readonly identityName: string;
  readonly identityResourceGroup: string;
  readonly location?: string;
  readonly existing?: IdentityInfo;
}

/** An existing user-assigned identity, or a new one in a resource group and location the user picks. */
export async function pickIdentity(
  s: Session,
  subscriptionId: string,
  near: ClusterInfo | undefined,
  preset: Preset,
  allowNew = true,
): Promise<PickedIdentity | undefined> {
  if (preset.identity) {
    return {
      identityName: preset.identity.name,
      identityResourceGroup: preset.identity.resourceGroup,
      existing: preset.identity,
    };
  }
  const identities = await listed(vscode.l10n.t('managed identities'), () =>
    s.api.listIdentities(s.backend, subscriptionId),
  );
  if (!identities) return undefined;
  const items: Array<Choice<IdentityInfo | 'new'>> = [
    ...(allowNew ? [{ label: vscode.l10n.t('$(add) New managed identity…'), value: 'new' as const }] : []),
    ...identities.map((i) => ({
      label: i.name,
      description: `${i.resourceGroup} · ${i.location}`,
      detail: vscode.l10n.t('client ID {0}', i.clientId),
      value: i,
    })),
  ];
  const chosen = await provisionUi().pick('identity', items, {
    title: vscode.l10n.t('Managed identity'),
    placeHolder: vscode.l10n.t('Pick the user-assigned identity the pods will use'),
  });
  if (chosen === undefined) return undefined;
  if (chosen !== 'new') {
    return { identityName: chosen.name, identityResourceGroup: chosen.resourceGroup, existing: chosen };
  }
  return newIdentity(s, subscriptionId, near);
}

export async function newIdentity(
  s: Session,
  subscriptionId: string,
  near: ClusterInfo | undefined,
): Promise<PickedIdentity | undefined> {
  const identityName = await provisionUi().input('identityName', {
    title: vscode.l10n.t('New managed identity'),
    value: near ? `id-${near.name}-workload` : 'id-workload',
    validate: (v) => problemText(s, identityNameProblem(v)),
  });
  if (!identityName) return undefined;
  const groups = await listed(vscode.l10n.t('resource groups'), () =>
    s.api.listResourceGroups(s.backend, subscriptionId),
  );
  if (!groups) return undefined;
  const ordered = near
    ? [near.resourceGroup, ...groups.filter((g) => g.toLowerCase() !== near.resourceGroup.toLowerCase())]
    : groups;
  const identityResourceGroup = await provisionUi().pick(
    'identityResourceGroup',
    ordered.map((g) => ({ label: g, value: g })),
    { title: vscode.l10n.t('Resource group of the new identity'), placeHolder: vscode.l10n.t('Pick a resource group') },
  );
  if (!identityResourceGroup) return undefined;
  const locations = await listed(vscode.l10n.t('locations'), () => s.api.listLocations(s.backend, subscriptionId));
  if (!locations) return undefined;
  const byCluster = near ? [near.location, ...locations.filter((l) => l !== near.location)] : locations;
  // An endpoint that lists no locations (the sandbox) and no cluster to copy from: ask for the name.
  const location = !byCluster.length
    ? await provisionUi().input('locationName', {
        title: vscode.l10n.t('Location of the new identity'),
        value: 'eastus',
        validate: (v) =>
          /^[a-z0-9]{2,40}$/.test(v)
            ? undefined
            : vscode.l10n.t('A location name such as eastus (lowercase letters and digits).'),
      })
    : await provisionUi().pick(
        'location',
        byCluster.map((l) => ({
          label: l,
          description: l === near?.location ? vscode.l10n.t("the cluster's location") : undefined,
          value: l,
        })),
        { title: vscode.l10n.t('Location of the new identity'), placeHolder: vscode.l10n.t('Pick a location') },
      );
  if (!location) return undefined;
  return { identityName, identityResourceGroup, location };
}

export interface PickedRole {
  readonly scope: string;
  readonly role: string;
}

const KEY_VAULT_SECRETS_USER = 'Key Vault Secrets User';
const isKeyVault = (scope: string) => /\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+$/i.test(scope);

/**
 * Optional: the target and the role. A Key Vault defaults to Key Vault Secrets User
 * (learn.microsoft.com "Azure built-in roles for Key Vault data plane operations"); any resource
 * ID works, with the role picked from that scope's role definitions.
 * Returns null when the user chose "no role".
 */
export async function pickRole(
  s: Session,
  subscriptionId: string,
  optional: boolean,
): Promise<PickedRole | null | undefined> {
  const items: Array<Choice<string | null>> = [
    ...(optional
      ? [{ label: vscode.l10n.t('No role assignment'), description: vscode.l10n.t('skip this step'), value: null }]
      : []),
    { label: vscode.l10n.t('$(edit) Enter a resource ID…'), value: '' },
  ];
  // The subscription's Key Vaults, the tutorial's target; a failed listing leaves "any resource ID".
  const vaults = await s.api.listKeyVaults(s.backend, subscriptionId).catch(() => []);
  if (vaults.length) {
    items.push({ label: vscode.l10n.t('Key Vaults'), kind: vscode.QuickPickItemKind.Separator, value: '' });
  }
  for (const v of vaults) {
    items.push({ label: `$(key) ${v.name}`, description: v.resourceGroup, detail: v.vaultUri, value: v.id });
  }
  let scope = await provisionUi().pick('target', items, {
    title: vscode.l10n.t('Role target'),
    placeHolder: vscode.l10n.t('What the pods need to reach (optional)'),
  });
  if (scope === undefined) return undefined;
  if (scope === null) return null;
  if (!scope) {
    scope = await provisionUi().input('scope', {
      title: vscode.l10n.t('Resource ID of the target'),
      placeHolder: `/subscriptions/${subscriptionId}/resourceGroups/…/providers/Microsoft.KeyVault/vaults/…`,
      validate: (v) => problemText(s, scopeProblem(v.trim())),
    });
    if (!scope) return undefined;
    scope = scope.trim();
  }
  const target = scope;
  const roles = await listed(vscode.l10n.t('role definitions'), () => s.api.listRoleDefinitions(s.backend, target));
  if (!roles) return undefined;
  const preferred = isKeyVault(target) ? KEY_VAULT_SECRETS_USER : undefined;
  const sorted = [...roles].sort(
    (a, b) =>
      Number(b.roleName === preferred) - Number(a.roleName === preferred) || a.roleName.localeCompare(b.roleName),
  );
  const role = await provisionUi().pick(
    'role',
    sorted.map((r) => ({
      label: r.roleName,
      description: r.roleName === preferred ? vscode.l10n.t('default for a Key Vault') : undefined,
      detail: r.description,
      value: r.name,
    })),
    {
      title: vscode.l10n.t('Role'),
      placeHolder: vscode.l10n.t('Role to grant the identity on {0}', target.split('/').pop() ?? target),
    },
  );
  if (!role) return undefined;
  return { scope: target, role };
}
