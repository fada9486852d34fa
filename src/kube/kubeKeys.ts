/** The keys of KubeExplorerData's cache, shared by its loaders and the tree's refresh actions. */
export const kubeKeys = {
  issuer: (context: string): string => `issuer|${context}`,
  serviceAccounts: (context: string): string => `sa|${context}`,
};
