/** Above this many identities spread over several resource groups, the tree groups them by resource group. */
export const GROUP_THRESHOLD = 15;

export type Grouped<T> =
  | { readonly grouped: false; readonly items: readonly T[] }
  | { readonly grouped: true; readonly groups: ReadonlyArray<readonly [string, readonly T[]]> };

/** Groups by resource group (case-insensitively, as ARM compares them; first spelling kept), sorted by name. */
export function groupByResourceGroup<T extends { resourceGroup: string }>(
  items: readonly T[],
  threshold = GROUP_THRESHOLD,
): Grouped<T> {
  const groups = new Map<string, { name: string; items: T[] }>();
  for (const i of items) {
    const key = i.resourceGroup.toLowerCase();
    const g = groups.get(key) ?? { name: i.resourceGroup, items: [] };
    g.items.push(i);
    groups.set(key, g);
  }
  if (items.length <= threshold || groups.size < 2) return { grouped: false, items };
  return {
    grouped: true,
    groups: [...groups.values()].sort((a, b) => a.name.localeCompare(b.name)).map((g) => [g.name, g.items] as const),
  };
}
