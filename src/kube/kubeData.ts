/**
 * The explorer's cache of Kubernetes facts: the kubeconfig, each context's issuer and its
 * ServiceAccounts. Like the Azure side, cached (failures too) until Refresh or Retry.
 */
import { PromiseMemo } from '../core/promiseMemo';
import { kubeKeys } from './kubeKeys';
import {
  listServiceAccounts,
  loadKubeconfig,
  readIssuer,
  type KubeconfigSource,
  type Kubeconfig,
  type KubeResult,
  type ServiceAccountListing,
} from './kubeAccess';

export class KubeExplorerData {
  private config?: Promise<KubeResult<Kubeconfig>>;
  private readonly memo = new PromiseMemo();

  constructor(private readonly source: () => KubeconfigSource) {}

  kubeconfig(): Promise<KubeResult<Kubeconfig>> {
    this.config ??= loadKubeconfig(this.source());
    return this.config;
  }

  private cached<T>(key: string, load: (kc: Kubeconfig) => Promise<KubeResult<T>>): Promise<KubeResult<T>> {
    return this.memo.get(key, () => this.kubeconfig().then((kc) => (kc.ok ? load(kc.value) : kc)));
  }

  issuer(context: string): Promise<KubeResult<string>> {
    return this.cached(kubeKeys.issuer(context), (kc) => readIssuer(kc, context));
  }

  serviceAccounts(context: string): Promise<KubeResult<ServiceAccountListing>> {
    return this.cached(kubeKeys.serviceAccounts(context), (kc) => listServiceAccounts(kc, context));
  }

  /** Contexts whose issuer could be read, with it (unreachable contexts are skipped). */
  async issuers(): Promise<Array<{ context: string; issuer: string }>> {
    const kc = await this.kubeconfig();
    if (!kc.ok) return [];
    const all = await Promise.all(
      kc.value.contexts.map(async (c) => ({ context: c.name, r: await this.issuer(c.name) })),
    );
    return all.flatMap(({ context, r }) => (r.ok ? [{ context, issuer: r.value }] : []));
  }

  invalidate(key?: string): void {
    if (key === undefined) {
      this.memo.clear();
      this.config = undefined;
    } else this.memo.delete(key);
  }
}
