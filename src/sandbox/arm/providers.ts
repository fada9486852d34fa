import type { SandboxContext } from '../context';
import { json, type SandboxRequest, type SandboxResponse } from '../http';
import { apiVersionsOf, checkApiVersion, SUPPORTED_LOCATIONS } from './apiVersions';
import { armError, methodNotAllowed } from './errors';
import { page } from './paging';

/**
 * Resource provider metadata (Microsoft.Resources `Providers_Get`, `Providers_List`,
 * `Providers_GetAtTenantScope`, `Providers_ListAtTenantScope`, `Providers_Register`; examples
 * GetProvider.json and GetNamedProviderAtTenant.json in Azure/azure-rest-api-specs
 * `specification/resources/resource-manager/Microsoft.Resources/stable/2021-04-01`). Generic
 * clients pick an api-version from `resourceTypes[].apiVersions`, so each type lists exactly the
 * versions the sandbox accepts for it (apiVersions.ts), newest first.
 */

interface TypeInfo {
  resourceType: string;
  /** Key into apiVersions.ts. */
  kind: string;
  /** Regional (tracked) types list the regions; global ones an empty list. */
  regional: boolean;
  capabilities?: string;
}

interface ProviderInfo {
  namespace: string;
  registrationPolicy: 'RegistrationRequired' | 'RegistrationFree';
  types: TypeInfo[];
}

const TRACKED = 'CrossResourceGroupResourceMove, CrossSubscriptionResourceMove, SupportsTags, SupportsLocation';

/** Every namespace the sandbox emulates, with the types it serves. */
const PROVIDERS: readonly ProviderInfo[] = [
  {
    namespace: 'Microsoft.ManagedIdentity',
    registrationPolicy: 'RegistrationRequired',
    types: [
      { resourceType: 'userAssignedIdentities', kind: 'userAssignedIdentities', regional: true, capabilities: TRACKED },
      {
        resourceType: 'userAssignedIdentities/federatedIdentityCredentials',
        kind: 'federatedIdentityCredentials',
        regional: true,
        capabilities: 'None',
      },
    ],
  },
  {
    namespace: 'Microsoft.ContainerService',
    registrationPolicy: 'RegistrationRequired',
    types: [
      {
        resourceType: 'managedClusters',
        kind: 'managedClusters',
        regional: true,
        capabilities:
          'CrossResourceGroupResourceMove, CrossSubscriptionResourceMove, SystemAssignedResourceIdentity, SupportsTags, SupportsLocation',
      },
      { resourceType: 'locations/operations', kind: 'operations', regional: true, capabilities: 'None' },
    ],
  },
  {
    namespace: 'Microsoft.KeyVault',
    registrationPolicy: 'RegistrationRequired',
    types: [
      {
        resourceType: 'vaults',
        kind: 'vaults',
        regional: true,
        capabilities: 'CrossResourceGroupResourceMove, CrossSubscriptionResourceMove, SupportsTags, SupportsLocation',
      },
    ],
  },
  {
    namespace: 'Microsoft.Authorization',
    registrationPolicy: 'RegistrationFree',
    types: [
      { resourceType: 'roleAssignments', kind: 'roleAssignments', regional: false },
      { resourceType: 'roleDefinitions', kind: 'roleDefinitions', regional: false },
    ],
  },
  {
    namespace: 'Microsoft.Resources',
    registrationPolicy: 'RegistrationFree',
    types: [
      { resourceType: 'tenants', kind: 'resources', regional: false },
      { resourceType: 'subscriptions', kind: 'resources', regional: false },
      { resourceType: 'providers', kind: 'resources', regional: false },
      { resourceType: 'resourceGroups', kind: 'resources', regional: false },
      { resourceType: 'resources', kind: 'resources', regional: false },
      { resourceType: 'subscriptions/providers', kind: 'resources', regional: false },
      { resourceType: 'subscriptions/resourceGroups', kind: 'resources', regional: false },
      { resourceType: 'subscriptions/resources', kind: 'resources', regional: false },
      { resourceType: 'subscriptions/operationresults', kind: 'resources', regional: false },
    ],
  },
];

/** Region display names, as `/providers` lists them ("East US"). */
const DISPLAY: Readonly<Record<string, string>> = {
  eastus: 'East US',
  eastus2: 'East US 2',
  westus: 'West US',
  westus2: 'West US 2',
  westus3: 'West US 3',
  centralus: 'Central US',
  northeurope: 'North Europe',
  westeurope: 'West Europe',
  uksouth: 'UK South',
  southeastasia: 'Southeast Asia',
  japaneast: 'Japan East',
  koreacentral: 'Korea Central',
  australiaeast: 'Australia East',
};

export function providerNamespaces(): string[] {
  return PROVIDERS.map((p) => p.namespace);
}

function providerJson(p: ProviderInfo, subscriptionId: string | undefined): Record<string, unknown> {
  const resourceTypes = p.types.map((t) => ({
    resourceType: t.resourceType,
    locations: t.regional ? SUPPORTED_LOCATIONS.map((l) => DISPLAY[l] ?? l) : [],
    apiVersions: apiVersionsOf(t.kind),
    ...(t.capabilities ? { capabilities: t.capabilities } : {}),
  }));
  if (subscriptionId === undefined) return { id: `/providers/${p.namespace}`, namespace: p.namespace, resourceTypes };
  return {
    id: `/subscriptions/${subscriptionId}/providers/${p.namespace}`,
    namespace: p.namespace,
    registrationState: 'Registered',
    registrationPolicy: p.registrationPolicy,
    resourceTypes,
  };
}

function invalidNamespace(namespace: string): SandboxResponse {
  return armError(404, 'InvalidResourceNamespace', `The resource namespace '${namespace}' is invalid.`);
}

/**
 * `[/subscriptions/{sub}]/providers[/{namespace}[/register]]`. `rest` is what follows
 * `providers`. Registration is a no-op that answers the provider: every namespace the sandbox
 * emulates is registered in every subscription.
 */
export function handleProviders(
  ctx: SandboxContext,
  req: SandboxRequest,
  subscriptionId: string | undefined,
  rest: readonly string[],
): SandboxResponse {
  const v = checkApiVersion(req.query, 'resources', 'providers');
  if (v) return v;
  if (rest.length === 0) {
    if (req.method !== 'GET') return methodNotAllowed(req.method, req.path);
    return json(
      200,
      page(
        req,
        PROVIDERS.map((p) => providerJson(p, subscriptionId)),
        ctx.knobs.pageSize,
      ),
    );
  }
  const provider = PROVIDERS.find((p) => p.namespace.toLowerCase() === rest[0]!.toLowerCase());
  if (!provider) return invalidNamespace(rest[0]!);
  if (rest.length === 1) {
    if (req.method !== 'GET') return methodNotAllowed(req.method, req.path);
    return json(200, providerJson(provider, subscriptionId));
  }
  const verb = rest[1]!.toLowerCase();
  if (rest.length === 2 && subscriptionId !== undefined && verb === 'register') {
    if (req.method !== 'POST') return methodNotAllowed(req.method, req.path);
    return json(200, providerJson(provider, subscriptionId));
  }
  return armError(404, 'NotFound', `The requested path '${req.path}' was not found.`);
}
