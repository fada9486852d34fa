/**
 * Roles a kubelet (node) identity should not hold: every pod on the node pool can use the node's
 * identity through IMDS, so they all inherit its roles
 * (learn.microsoft.com/azure/aks/use-managed-identity, "Kubelet identity").
 */
import { roleGuid } from './armId';

export type RoleRisk = 'broad' | 'dataPlane' | 'identityTakeover';

const BROAD: Record<string, string> = {
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635': 'Owner',
  'b24988ac-6180-42a0-ab88-20f7382dd24c': 'Contributor',
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9': 'User Access Administrator',
  'f58310d9-a9f6-439a-9e8d-f62e7b41a168': 'Role Based Access Control Administrator',
};
/** Lets the holder attach any identity in scope to a VM: pods could take over other identities. */
const IDENTITY_TAKEOVER = new Set([
  'f1a07417-d97a-45cb-824c-7a7467783830',
  'e40ec5ca-96e0-45a2-b4ff-59039f2c2b59' /* Managed Identity Contributor */,
]);

/** Role names that read or write customer data rather than manage resources. */
const DATA_PLANE_NAME =
  /^(Key Vault (?!Reader$)|Storage (Blob|Queue|Table|File) Data |Storage File Data |Azure (Service Bus|Event Hubs) Data |Cosmos DB (Built-in )?Data |App Configuration Data |Azure Kubernetes Service RBAC (Admin|Cluster Admin|Writer)|Search Index Data |Cognitive Services (OpenAI )?(User|Contributor))/;

export function roleRisk(roleDefinitionId: string, roleName: string | undefined): RoleRisk | undefined {
  const guid = roleGuid(roleDefinitionId);
  if (BROAD[guid] || /^(Owner|Contributor|User Access Administrator)$/.test(roleName ?? '')) return 'broad';
  if (IDENTITY_TAKEOVER.has(guid) || roleName === 'Managed Identity Operator') return 'identityTakeover';
  if (roleName && DATA_PLANE_NAME.test(roleName)) return 'dataPlane';
  return undefined;
}
