import { actionMatches } from '../../core/diagnosis/checks/roleAssignment';

/**
 * Built-in Azure roles the workload-identity tutorial and the extension need, with their real
 * GUIDs (learn.microsoft.com/azure/role-based-access-control/built-in-roles) and permissions.
 */
export interface RoleDefinition {
  guid: string;
  roleName: string;
  description: string;
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

const KV_CONTROL_READ = [
  'Microsoft.Authorization/*/read',
  'Microsoft.Insights/alertRules/*',
  'Microsoft.Resources/deployments/*',
  'Microsoft.Resources/subscriptions/resourceGroups/read',
  'Microsoft.Support/*',
  'Microsoft.KeyVault/checkNameAvailability/read',
  'Microsoft.KeyVault/deletedVaults/read',
  'Microsoft.KeyVault/locations/*/read',
  'Microsoft.KeyVault/vaults/*/read',
  'Microsoft.KeyVault/operations/read',
];

function role(
  guid: string,
  roleName: string,
  description: string,
  actions: string[],
  dataActions: string[] = [],
  notActions: string[] = [],
): RoleDefinition {
  return { guid, roleName, description, actions, notActions, dataActions, notDataActions: [] };
}

export const BUILT_IN_ROLES: readonly RoleDefinition[] = [
  role(
    '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
    'Owner',
    'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.',
    ['*'],
  ),
  role(
    'b24988ac-6180-42a0-ab88-20f7382dd24c',
    'Contributor',
    'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.',
    ['*'],
    [],
    [
      'Microsoft.Authorization/*/Delete',
      'Microsoft.Authorization/*/Write',
      'Microsoft.Authorization/elevateAccess/Action',
      'Microsoft.Blueprint/blueprintAssignments/write',
      'Microsoft.Blueprint/blueprintAssignments/delete',
      'Microsoft.Compute/galleries/share/action',
      'Microsoft.Purview/consents/write',
      'Microsoft.Purview/consents/delete',
    ],
  ),
  role(
    'acdd72a7-3385-48ef-bd42-f606fba81ae7',
    'Reader',
    'View all resources, but does not allow you to make any changes.',
    ['*/read'],
  ),
  role(
    '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
    'User Access Administrator',
    'Lets you manage user access to Azure resources.',
    ['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*'],
  ),
  role('f1a07417-d97a-45cb-824c-7a7467783830', 'Managed Identity Operator', 'Read and Assign User Assigned Identity', [
    'Microsoft.ManagedIdentity/userAssignedIdentities/*/read',
    'Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action',
    'Microsoft.Authorization/*/read',
    'Microsoft.Insights/alertRules/*',
    'Microsoft.Resources/subscriptions/resourceGroups/read',
    'Microsoft.Resources/deployments/*',
    'Microsoft.Support/*',
  ]),
  role(
    'e40ec5ca-96e0-45a2-b4ff-59039f2c2b59',
    'Managed Identity Contributor',
    'Create, Read, Update, and Delete User Assigned Identity',
    [
      'Microsoft.ManagedIdentity/userAssignedIdentities/read',
      'Microsoft.ManagedIdentity/userAssignedIdentities/write',
      'Microsoft.ManagedIdentity/userAssignedIdentities/delete',
      'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read',
      'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write',
      'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/delete',
      'Microsoft.Authorization/*/read',
      'Microsoft.Insights/alertRules/*',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Support/*',
    ],
  ),
  role(
    '00482a5a-887f-4fb3-b363-3b7fe8e74483',
    'Key Vault Administrator',
    "Perform all data plane operations on a key vault and all objects in it, including certificates, keys, and secrets. Cannot manage key vault resources or manage role assignments. Only works for key vaults that use the 'Azure role-based access control' permission model.",
    KV_CONTROL_READ,
    ['Microsoft.KeyVault/vaults/*'],
  ),
  role(
    'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
    'Key Vault Secrets Officer',
    "Perform any action on the secrets of a key vault, except manage permissions. Only works for key vaults that use the 'Azure role-based access control' permission model.",
    KV_CONTROL_READ,
    ['Microsoft.KeyVault/vaults/secrets/*'],
  ),
  role(
    '4633458b-17de-408a-b874-0445c86b69e6',
    'Key Vault Secrets User',
    "Read secret contents. Only works for key vaults that use the 'Azure role-based access control' permission model.",
    [],
    ['Microsoft.KeyVault/vaults/secrets/getSecret/action', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action'],
  ),
  role(
    '21090545-7ca7-4776-b22c-e363652d74d2',
    'Key Vault Reader',
    "Read metadata of key vaults and its certificates, keys, and secrets. Cannot read sensitive values such as secret contents or key material. Only works for key vaults that use the 'Azure role-based access control' permission model.",
    KV_CONTROL_READ,
    ['Microsoft.KeyVault/vaults/*/read', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action'],
  ),
  role(
    '4abbcc35-e782-43d8-92c5-2d3f1bd2253f',
    'Azure Kubernetes Service Cluster User Role',
    'List cluster user credential action.',
    [
      'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action',
      'Microsoft.ContainerService/managedClusters/read',
    ],
  ),
  role(
    '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
    'Storage Blob Data Reader',
    'Allows for read access to Azure Storage blob containers and data',
    [
      'Microsoft.Storage/storageAccounts/blobServices/containers/read',
      'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action',
    ],
    ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'],
  ),
  role(
    'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
    'Storage Blob Data Contributor',
    'Allows for read, write and delete access to Azure Storage blob containers and data',
    [
      'Microsoft.Storage/storageAccounts/blobServices/containers/delete',
      'Microsoft.Storage/storageAccounts/blobServices/containers/read',
      'Microsoft.Storage/storageAccounts/blobServices/containers/write',
      'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action',
    ],
    [
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete',
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action',
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action',
    ],
  ),
];

const BY_GUID = new Map(BUILT_IN_ROLES.map((r) => [r.guid, r]));

export const ROLE_GUIDS = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
} as const;

export function roleByGuid(guid: string): RoleDefinition | undefined {
  return BY_GUID.get(guid.toLowerCase());
}

/** The trailing GUID of a role definition ID: roles compare by it, case-insensitively. */
export function roleGuidOf(roleDefinitionId: string): string {
  return (roleDefinitionId.split('/').pop() ?? '').toLowerCase();
}

// Management-plane check: an `actions` pattern matches and no `notActions` pattern does
// (Contributor: `*` minus `Microsoft.Authorization/*/Write` and `/*/Delete`).
export function grantsAction(r: RoleDefinition, action: string): boolean {
  return r.actions.some((p) => actionMatches(p, action)) && !r.notActions.some((p) => actionMatches(p, action));
}

export function grantsDataAction(r: RoleDefinition, dataAction: string): boolean {
  return (
    r.dataActions.some((p) => actionMatches(p, dataAction)) &&
    !r.notDataActions.some((p) => actionMatches(p, dataAction))
  );
}
