import { CLIENT_ID_ANNOTATION, TENANT_ID_ANNOTATION } from '../core/rules/keys';
import { PromiseMemo } from '../core/promiseMemo';
import type { ChainObservation, PodObservation, TargetObservation } from '../core/diagnosis/observation';
import { observed, unobserved, type Observed } from '../core/diagnosis/types';
import { createArmClients, type ArmClients } from '../azure/clients';
import { fromErrorable } from '../azure/diagnosis/azureObserved';
import { observeCluster } from '../azure/diagnosis/clusterObserver';
import { ARM_EXCHANGE_SCOPE, exchangeToken, KEY_VAULT_SCOPE, listSecretNames } from '../azure/diagnosis/exchange';
import { findIdentity, observeCredentials } from '../azure/diagnosis/identityObserver';
import { listRoleDefinitions, observeRoleAssignments } from '../azure/diagnosis/roleObserver';
import { listVaults, resolveTarget, vaultUrlFromPods } from '../azure/diagnosis/targetObserver';
import { listClusters, listIdentities } from '../azure/loaders';
import { fetchIssuerDiscovery } from '../kube/diagnosis/issuerDiscovery';
import { fromKube } from '../kube/diagnosis/kubeObserved';
import { listPodsByServiceAccount } from '../kube/diagnosis/podsObserver';
import { observeServiceAccount } from '../kube/diagnosis/serviceAccountObserver';
import { requestToken } from '../kube/diagnosis/tokenRequestObserver';
import { observeWebhook } from '../kube/diagnosis/webhookObserver';
import { DEFAULT_PROPAGATION, type DiagnosisBackend, type DiagnoseOptions } from './diagnosisBackend';

/**
 * Memoized lookups shared by every ServiceAccount of one run (`--all`): clusters, identities,
 * role definitions, vaults and the webhook once; each identity's credentials and each principal's
 * role assignments once, however many ServiceAccounts share them.
 */
export class ObservationCache {
  private readonly memo = new PromiseMemo();
  readonly clients: ArmClients;
  constructor(readonly backend: DiagnosisBackend) {
    this.clients = createArmClients({
      credential: backend.arm.credential,
      subscriptionId: backend.subscriptionId,
      connection: backend.arm,
    });
  }
  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.memo.get(key, load);
  }
  /** How many distinct lookups of a kind were made (`credentials|` = identities whose credentials were listed). */
  count(prefix: string): number {
    return this.memo.keys().filter((k) => k.startsWith(prefix)).length;
  }
  /** Forget what a Re-check must see again. */
  forget(prefix: string): void {
    this.memo.deleteWhere((k) => k.startsWith(prefix));
  }
}

export interface ChainRequest {
  readonly namespace: string;
  readonly serviceAccount: string;
}

/**
 * Observes one ServiceAccount's chain with every independent lookup in flight at once. The longest
 * dependent path is ServiceAccount/TokenRequest → exchange at Entra → data-plane call; ARM
 * lookups (cluster, identity → credentials, principal → role assignments, vault) run beside it.
 */
export async function observeChain(
  cache: ObservationCache,
  o: DiagnoseOptions,
  req: ChainRequest,
  podsPrefetch?: Promise<Observed<ReadonlyMap<string, readonly PodObservation[]>>>,
): Promise<ChainObservation> {
  const { backend, clients } = cache;
  const { config, context } = backend.kube;
  const propagation = { ...DEFAULT_PROPAGATION, ...o.propagation };

  const clustersP = cache.get('clusters', () => listClusters(clients));
  const clusterP = cache.get(`cluster|${o.resourceGroup}|${o.cluster}`, () =>
    observeCluster(clients, o.resourceGroup, o.cluster, clustersP),
  );
  const identitiesP = cache.get('identities', () => listIdentities(clients));
  const roleDefsP = cache.get('roleDefinitions', () => listRoleDefinitions(clients));
  const webhookP = cache.get('webhook', () => observeWebhook(config, context));
  const saP = observeServiceAccount(config, context, req.namespace, req.serviceAccount);
  const tokenP = requestToken(config, context, req.namespace, req.serviceAccount);
  const podsP = (
    podsPrefetch ??
    cache.get(`pods|${req.namespace}`, async () => {
      const r = await listPodsByServiceAccount(config, context, req.namespace);
      return r.ok ? observed(r.value.byServiceAccount) : fromKube(r);
    })
  ).then((r): Observed<readonly PodObservation[]> =>
    r.ok ? observed(r.value.get(`${req.namespace}/${req.serviceAccount}`) ?? []) : r,
  );

  const discoveryP = clusterP.then((c) => {
    const url = c.cluster.ok ? c.cluster.value.issuerUrl : undefined;
    return url
      ? cache.get(`discovery|${url}`, async () => observed(await fetchIssuerDiscovery(url, backend.tlsCa)))
      : undefined;
  });
  const identityP = Promise.all([saP, identitiesP]).then(([sa, ids]) => {
    const clientId = sa.ok ? sa.value.annotations[CLIENT_ID_ANNOTATION] : undefined;
    return clientId ? findIdentity(ids, clientId) : undefined;
  });
  const credentialsP = identityP.then((i) => {
    const identity = i?.ok ? i.value.identity : undefined;
    return identity
      ? cache.get(`credentials|${identity.id.toLowerCase()}`, () => observeCredentials(clients, identity))
      : undefined;
  });
  const rolesP = identityP.then(async (i) => {
    const identity = i?.ok ? i.value.identity : undefined;
    return identity
      ? cache.get(`roles|${identity.principalId}`, async () =>
          observeRoleAssignments(clients, identity.principalId, await roleDefsP),
        )
      : undefined;
  });
  const podVaultUrlP = podsP.then((p) =>
    p.ok ? vaultUrlFromPods(p.value.flatMap((pod) => pod.containers.map((c) => c.env))) : undefined,
  );
  // The target needs ARM only to map a URL to its vault; the data-plane call needs just the URL.
  const resourceP = podVaultUrlP.then(async (url): Promise<Observed<TargetObservation | undefined>> => {
    const needVaults = (o.scope && /\/providers\/microsoft\.keyvault\/vaults\//i.test(o.scope)) || (!o.scope && url);
    const vaults = needVaults ? await cache.get('vaults', () => listVaults(clients)) : undefined;
    return fromErrorable(resolveTarget(o.scope, url, vaults));
  });

  const exchangeP = o.noExchange
    ? undefined
    : Promise.all([saP, tokenP, podVaultUrlP, o.scope ? resourceP : undefined]).then(
        async ([sa, token, podUrl, target]) => {
          const clientId = sa.ok ? sa.value.annotations[CLIENT_ID_ANNOTATION] : undefined;
          if (!token.token || !clientId) return undefined;
          const tenantId = (sa.ok ? sa.value.annotations[TENANT_ID_ANNOTATION] : undefined) ?? backend.tenantId;
          const vaultUrl = o.scope ? (target?.ok ? target.value?.vaultUrl : undefined) : podUrl;
          const scope = vaultUrl ? KEY_VAULT_SCOPE : ARM_EXCHANGE_SCOPE;
          const tok = token.token;
          const x = await exchangeToken(backend.entra, tenantId, clientId, () => tok.reveal(), scope);
          let access;
          if (x.credential && vaultUrl) {
            access = await cache.get(`access|${clientId}|${vaultUrl}`, () =>
              listSecretNames(vaultUrl, x.credential!, backend.tlsCa),
            );
          }
          // The credential (and MSAL's cache with the access token in it) goes out of scope here.
          return { exchange: x.observation, access };
        },
      );

  const [
    cluster,
    webhook,
    discovery,
    serviceAccount,
    identity,
    credentials,
    pods,
    token,
    roleAssignments,
    resource,
    exchanged,
  ] = await Promise.all([
    clusterP,
    webhookP,
    discoveryP,
    saP,
    identityP,
    credentialsP,
    podsP,
    tokenP,
    rolesP,
    resourceP,
    exchangeP,
  ]);
  return {
    target: {
      subscriptionId: backend.subscriptionId,
      resourceGroup: o.resourceGroup,
      clusterName: o.cluster,
      namespace: req.namespace,
      serviceAccount: req.serviceAccount,
      scope: o.scope,
    },
    now: Date.now(),
    propagation,
    cluster: cluster.cluster,
    knownIssuers: cluster.knownIssuers,
    webhook,
    discovery,
    serviceAccount,
    identity,
    credentials,
    pods,
    tokenRequest: token?.observation,
    exchange: exchanged?.exchange,
    exchangeDisabled: o.noExchange === true,
    roleAssignments,
    resource,
    resourceAccess: exchanged?.access,
  };
}

export const notObserved = (message: string) => unobserved({ kind: 'unknown', message });
