/**
 * The resource groups of a subscription that the signed-in principal can see, through the ARM
 * pipeline of its connection (no `@azure/arm-resources` for one GET). ARM filters this list by
 * the caller's role assignments instead of refusing it: a role on a group, or on a resource in
 * it, shows the group (Resource Groups - List, api-version 2021-04-01, resources spec).
 */
import type { ArmConnection } from './clients';
import { armListAll } from './subscriptions';

export const RESOURCE_GROUPS_API_VERSION = '2021-04-01';

/** Group names in ARM's order, every `nextLink` followed. Non-2xx throws a RestError. */
export async function listResourceGroupNames(
  c: ArmConnection,
  subscriptionId: string,
  abortSignal?: AbortSignal,
): Promise<string[]> {
  const url = `${c.endpoint}/subscriptions/${encodeURIComponent(subscriptionId)}/resourcegroups?api-version=${RESOURCE_GROUPS_API_VERSION}`;
  return (await armListAll(c, url, abortSignal)).flatMap((g) => (typeof g.name === 'string' && g.name ? [g.name] : []));
}
