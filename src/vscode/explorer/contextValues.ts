/**
 * The explorer's menu tokens, in one list (the shape of GitLens' `ContextValues`): package.json
 * shows a tree item's action when `viewItem =~ /;token;/` matches its `contextValue`. Every
 * capability token is derived from the very method the command calls, so a menu never offers an
 * action that would do nothing: Copy Issuer URL only when `copyValue('issuer')` has a value,
 * Open in Portal only when `portalLink()` gives a URL, and so on.
 */
import type { CopyKind } from './nodeActions';

export const ContextValues = {
  copyClientId: 'copyClientId',
  copyPrincipalId: 'copyPrincipalId',
  copyIssuer: 'copyIssuer',
  copySubject: 'copySubject',
  portal: 'portal',
  reveal: 'reveal',
  refresh: 'refresh',
  retry: 'retry',
  delete: 'delete',
  signInTenant: 'signInTenant',
  // Set by ClusterNode from the cluster's own state: turning on what is off, turning off what is on.
  enableWorkloadIdentity: 'enableWorkloadIdentity',
  disableWorkloadIdentity: 'disableWorkloadIdentity',
} as const;

export type ContextValue = (typeof ContextValues)[keyof typeof ContextValues];

/**
 * The node kinds, each node's first token. Menus about one kind of node (the provisioning
 * commands, which take that node as their context) match on it.
 */
export const NodeKinds = [
  'error',
  'info',
  'tenant',
  'subscription',
  'clusters',
  'cluster',
  'kubelet',
  'serviceAccounts',
  'serviceAccount',
  'identities',
  'resourceGroup',
  'identity',
  'credentials',
  'credential',
  'roleAssignments',
  'roleAssignment',
  'kubeContexts',
  'kubeContext',
  'issuer',
  'scopeNote',
  'workloadIdentity',
] as const;

export type NodeKind = (typeof NodeKinds)[number];

const COPY: Readonly<Record<CopyKind, ContextValue>> = {
  clientId: ContextValues.copyClientId,
  principalId: ContextValues.copyPrincipalId,
  issuer: ContextValues.copyIssuer,
  subject: ContextValues.copySubject,
};

/** What a node can do: each member is the action itself, or undefined when it cannot run. */
export interface NodeActions {
  copyValue(kind: CopyKind): string | undefined;
  portalLink(): string | undefined;
  revealTarget(): unknown;
  readonly refreshable: boolean;
  readonly retryable: boolean;
  readonly deletable: boolean;
  readonly tenantSignIn: boolean;
}

/**
 * `;kind;capability…;state…;`: the node kind first (for menus that are about one kind), then the
 * capabilities its actions report, then descriptive state tokens (status-matched, warning, risky).
 */
export function contextValueOf(node: NodeActions, kind: NodeKind, ...state: Array<string | false | undefined>): string {
  const tokens: string[] = [kind];
  for (const k of Object.keys(COPY) as CopyKind[]) if (node.copyValue(k)) tokens.push(COPY[k]);
  if (node.portalLink()) tokens.push(ContextValues.portal);
  if (node.revealTarget()) tokens.push(ContextValues.reveal);
  if (node.refreshable) tokens.push(ContextValues.refresh);
  if (node.retryable) tokens.push(ContextValues.retry);
  if (node.deletable) tokens.push(ContextValues.delete);
  if (node.tenantSignIn) tokens.push(ContextValues.signInTenant);
  for (const s of state) if (s) tokens.push(s);
  return `;${tokens.join(';')};`;
}
