import type { ClusterInfo, IdentityInfo } from '../../azure/models';
import { parseSubject } from '../../azure/federationMatch';
import { ClusterNode } from '../explorer/nodes/clusterNode';
import { CredentialNode } from '../explorer/nodes/credentialNode';
import type { ExplorerNode } from '../explorer/nodes/explorerNode';
import { IdentityNode } from '../explorer/nodes/identityNode';
import { ServiceAccountNode } from '../explorer/nodes/serviceAccountNode';
import { SubscriptionNode } from '../explorer/nodes/subscriptionNode';

/** What a tree node already says about the inputs, so its context menu does not ask again. */
export interface Preset {
  readonly subscriptionId?: string;
  readonly cluster?: ClusterInfo;
  readonly identity?: IdentityInfo;
  readonly serviceAccount?: { readonly namespace: string; readonly name: string };
  readonly credentialName?: string;
}

export function presetFrom(node: unknown): Preset {
  if (!node || typeof node !== 'object') return {};
  // The diagnosis report's Fix passes what it already knows instead of a tree node.
  if ('kwiPreset' in node && node.kwiPreset && typeof node.kwiPreset === 'object') return node.kwiPreset as Preset;
  let cluster: ClusterInfo | undefined;
  let subscriptionId: string | undefined;
  for (let n = node as ExplorerNode | undefined; n; n = n.parent) {
    if (!cluster && n instanceof ClusterNode) cluster = n.cluster;
    if (!subscriptionId && n instanceof SubscriptionNode) subscriptionId = n.subscription.subscriptionId;
  }
  subscriptionId ??= cluster?.subscriptionId;
  if (node instanceof IdentityNode) return { subscriptionId: node.identity.subscriptionId, identity: node.identity };
  if (node instanceof CredentialNode) {
    const sa = parseSubject(node.credential.subject);
    return {
      subscriptionId: node.identity.subscriptionId,
      identity: node.identity,
      credentialName: node.credential.name,
      ...(sa ? { serviceAccount: sa } : {}),
    };
  }
  if (node instanceof ServiceAccountNode) {
    return {
      subscriptionId: subscriptionId ?? node.identity?.subscriptionId,
      cluster,
      identity: node.identity,
      serviceAccount: { namespace: node.sa.namespace, name: node.sa.name },
    };
  }
  return { subscriptionId, cluster };
}
