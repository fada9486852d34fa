import type { SandboxRequest } from '../http';

export const DEFAULT_PAGE_SIZE = 100;

/**
 * One page of a list plus an absolute `nextLink` on the sandbox itself (SDKs follow it
 * verbatim: Azure/azure-resource-manager-rpc v1.0/resource-api-reference.md, "nextLink"). The link keeps the request's query (api-version, $filter) and
 * carries the offset in `$skiptoken`, which the MSI spec names for credential lists.
 */
export function page<T>(
  req: SandboxRequest,
  items: readonly T[],
  pageSize = DEFAULT_PAGE_SIZE,
): { value: T[]; nextLink?: string } {
  const skip = Math.max(0, Number.parseInt(req.query.get('$skiptoken') ?? req.query.get('$skipToken') ?? '0', 10) || 0);
  const topParam = req.query.get('$top');
  const top = topParam ? Math.max(1, Math.min(pageSize, Number.parseInt(topParam, 10) || pageSize)) : pageSize;
  const value = items.slice(skip, skip + top);
  if (skip + top >= items.length) return { value };
  const query = new URLSearchParams(req.query);
  query.delete('$skipToken');
  query.set('$skiptoken', String(skip + top));
  // `$` left literal, as ARM writes `$skiptoken`/`$filter` in its links.
  return { value, nextLink: `${req.origin}${req.path}?${query.toString().replace(/%24/g, '$')}` };
}

/**
 * The records of a list at a subscription, or at one of its resource groups (resource group names
 * compare case-insensitively in ARM: Azure/azure-resource-manager-rpc v1.0/resource-api-reference.md).
 */
export function inScope<R extends { subscriptionId: string; resourceGroup: string }>(
  records: Record<string, R>,
  subscriptionId: string,
  resourceGroup: string | undefined,
): R[] {
  const rg = resourceGroup?.toLowerCase();
  return Object.values(records).filter(
    (r) => r.subscriptionId === subscriptionId && (rg === undefined || r.resourceGroup.toLowerCase() === rg),
  );
}
