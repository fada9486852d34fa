/** What the explorer's copy actions copy. */
export type CopyKind = 'clientId' | 'principalId' | 'issuer' | 'subject';

/** Where Reveal Manifest looks: a ServiceAccount by namespace/name, or the one annotated with a client ID. */
export interface RevealTarget {
  readonly query: { readonly namespace: string; readonly name: string } | { readonly clientId: string };
  readonly label: string;
}
