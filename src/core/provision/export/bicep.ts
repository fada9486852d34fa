/**
 * The plan as Bicep, deployed to the identity's resource group. The cluster is referenced
 * (`existing`): a partial update of an existing AKS cluster cannot be written in Bicep without its
 * whole definition, so enabling the issuer stays an `az aks update` (said in a comment).
 * Credentials of one identity are written one at a time — `@batchSize(1)` on the loop — because
 * the service refuses concurrent writes under one identity with 409
 * ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity
 * (learn.microsoft.com "Workload identity federation considerations", Azure/bicep issues).
 * Resource types and API versions: Azure/azure-rest-api-specs (ManagedIdentity 2024-11-30,
 * ContainerService 2024-09-01, Authorization 2022-04-01, KeyVault 2023-07-01).
 */
import type { Plan } from '../plan';
import { exportValues, splitResourceId } from './exportValues';

const str = (s: string): string =>
  `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\$\{/g, '\\${').replace(/\n/g, '\\n')}'`;

const API: Record<string, string> = {
  'microsoft.keyvault/vaults': '2023-07-01',
  'microsoft.storage/storageaccounts': '2023-05-01',
  'microsoft.containerregistry/registries': '2023-07-01',
  'microsoft.servicebus/namespaces': '2022-10-01-preview',
  'microsoft.documentdb/databaseaccounts': '2024-05-15',
};

export function renderBicep(plan: Plan): string {
  const v = exportValues(plan);
  const out: string[] = [
    `// Workload identity ${plan.kind} for ServiceAccount ${v.namespace}/${v.serviceAccount} on cluster ${v.clusterName}.`.replace(
      /[\r\n]/g,
      ' ',
    ),
    `// Deploy to the identity's resource group: az deployment group create --resource-group ${v.identityGroup} --template-file main.bicep`.replace(
      /[\r\n]/g,
      ' ',
    ),
  ];
  if (v.enableCluster) {
    out.push(
      '// First enable the issuer (cannot be undone; restarts the API server):',
      `//   az aks update --resource-group ${v.resourceGroup} --name ${v.clusterName} --enable-oidc-issuer --enable-workload-identity`.replace(
        /[\r\n]/g,
        ' ',
      ),
    );
  }
  out.push(
    '',
    `param location string = ${str(v.location)}`,
    `param identityName string = ${str(v.identityName)}`,
    `param clusterName string = ${str(v.clusterName)}`,
    `param clusterResourceGroup string = ${str(v.resourceGroup)}`,
    `param serviceAccountNamespace string = ${str(v.namespace)}`,
    `param serviceAccountName string = ${str(v.serviceAccount)}`,
    '',
    "@description('Federated credentials of the identity: add more entries for more ServiceAccounts or clusters.')",
    'param credentials array = [',
    '  {',
    `    name: ${str(v.credentialName)}`,
    "    subject: 'system:serviceaccount:${serviceAccountNamespace}:${serviceAccountName}'",
    '  }',
    ']',
    '',
    "resource aks 'Microsoft.ContainerService/managedClusters@2024-09-01' existing = {",
    '  name: clusterName',
    '  scope: resourceGroup(clusterResourceGroup)',
    '}',
    '',
  );
  if (v.identityExists) {
    out.push(
      "resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {",
      '  name: identityName',
      '}',
      '',
    );
  } else {
    out.push(
      "resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {",
      '  name: identityName',
      '  location: location',
      '}',
      '',
    );
  }
  out.push(
    '@batchSize(1)',
    "resource federatedCredentials 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2024-11-30' = [for c in credentials: {",
    '  parent: identity',
    '  name: c.name',
    '  properties: {',
    '    issuer: aks.properties.oidcIssuerProfile.issuerURL',
    '    subject: c.subject',
    "    audiences: ['api://AzureADTokenExchange']",
    '  }',
    '}]',
    '',
  );
  if (v.scope && v.has('role-assignment') && v.roleGuid) {
    const t = splitResourceId(v.scope);
    out.push(`param roleDefinitionId string = ${str(v.roleGuid)}`, '');
    const roleDef = "subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)";
    const sameGroup =
      t.resourceGroup?.toLowerCase() === v.identityGroup.toLowerCase() &&
      t.subscriptionId?.toLowerCase() === v.subscriptionId.toLowerCase();
    if (t.provider && t.type && t.name && sameGroup) {
      const type = `${t.provider}/${t.type}`;
      out.push(
        `resource target '${type}@${API[type.toLowerCase()] ?? '2023-01-01'}' existing = {`,
        `  name: ${str(t.name)}`,
        '}',
        '',
      );
      out.push(
        "resource roleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {",
        '  name: guid(target.id, identity.id, roleDefinitionId)',
        '  scope: target',
        '  properties: {',
        `    roleDefinitionId: ${roleDef}`,
        '    principalId: identity.properties.principalId',
        "    principalType: 'ServicePrincipal'",
        '  }',
        '}',
        '',
      );
    } else if (!t.provider && sameGroup) {
      out.push(
        "resource roleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {",
        '  name: guid(resourceGroup().id, identity.id, roleDefinitionId)',
        '  properties: {',
        `    roleDefinitionId: ${roleDef}`,
        '    principalId: identity.properties.principalId',
        "    principalType: 'ServicePrincipal'",
        '  }',
        '}',
        '',
      );
    } else {
      out.push(
        `// The role's target is outside this resource group: assign it with a module deployed there, or:`,
        `//   az role assignment create --assignee-object-id <principalId> --role ${v.roleGuid} --scope ${v.scope.replace(/[\r\n]/g, '')} --assignee-principal-type ServicePrincipal`,
        '',
      );
    }
  }
  out.push(
    'output clientId string = identity.properties.clientId',
    'output principalId string = identity.properties.principalId',
    'output issuer string = aks.properties.oidcIssuerProfile.issuerURL',
  );
  return `${out.join('\n')}\n`;
}
