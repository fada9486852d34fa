/**
 * The keys of AzureExplorerData's cache, in one place: the loaders fill them and the tree's
 * refresh actions invalidate them, so both must build them the same way (lower-casing included,
 * since ARM IDs and principal IDs compare case-insensitively). No imports: the tree can use these
 * without loading the SDKs.
 */
export const azureKeys = {
  subscriptions: (): string => 'subs',
  clusters: (subscriptionId: string): string => `clusters|${subscriptionId}`,
  identities: (subscriptionId: string): string => `identities|${subscriptionId}`,
  credentials: (identityId: string): string => `fics|${identityId.toLowerCase()}`,
  roleNames: (subscriptionId: string): string => `roles|${subscriptionId}`,
  roleAssignments: (subscriptionId: string, principalId: string): string =>
    `ra|${subscriptionId}|${principalId.toLowerCase()}`,
};
