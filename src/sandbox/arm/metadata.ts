import type { SandboxContext } from '../context';
import { ARM_HOST, LOGIN_HOST, publicOrigin } from '../publicNames';
import { json, type SandboxRequest, type SandboxResponse } from '../http';
import { armError, methodNotAllowed } from './errors';

/**
 * ARM's cloud endpoint document, `GET {arm}/metadata/endpoints?api-version=…` (anonymous). Tools
 * that register a custom cloud from an ARM URL read it (Azure CLI `az cloud register
 * --endpoint-resource-manager`, Azure PowerShell `Add-AzEnvironment -AutoDiscover`, Terraform's
 * `metadata_host`). Three shapes are in use, by api-version:
 * - `1.0` / `2015-01-01` (Azure Stack Hub's documented form): `{galleryEndpoint, graphEndpoint,
 *   portalEndpoint, authentication: {loginEndpoint, audiences}}`;
 * - `2018-…` to `2020-…` (e.g. `2019-05-01`, which the Azure CLI and Azure PowerShell send): an
 *   array of clouds;
 * - `2022-09-01` and later: one object, the cloud ARM belongs to.
 * Members and values follow the AzureCloud document (learn.microsoft.com, "ARM template functions:
 * environment()", and the 2022-09-01 document the Azure SDKs' tests replay). Endpoints the sandbox
 * serves carry its own URLs; resource IDs (token audiences) and the DNS suffixes stay Azure's,
 * because the sandbox's Entra ID issues tokens for exactly those audiences.
 */
export const METADATA_PATH = '/metadata/endpoints';

export interface CloudEndpoints {
  /** `https://127.0.0.1:PORT` (loopback) or `https://management.azure.com` (proxy mode). */
  resourceManager: string;
  /** Entra's authority host, without a trailing slash. */
  login: string;
}

export function cloudDocument(endpoints: CloudEndpoints): Record<string, unknown> {
  return {
    portal: 'https://portal.azure.com',
    authentication: {
      loginEndpoint: endpoints.login,
      audiences: ['https://management.core.windows.net/', 'https://management.azure.com/'],
      tenant: 'common',
      identityProvider: 'AAD',
    },
    media: 'https://rest.media.azure.net',
    graphAudience: 'https://graph.windows.net/',
    graph: 'https://graph.windows.net/',
    name: 'AzureCloud',
    suffixes: {
      azureDataLakeStoreFileSystem: 'azuredatalakestore.net',
      acrLoginServer: 'azurecr.io',
      sqlServerHostname: 'database.windows.net',
      azureDataLakeAnalyticsCatalogAndJob: 'azuredatalakeanalytics.net',
      keyVaultDns: 'vault.azure.net',
      storage: 'core.windows.net',
      azureFrontDoorEndpointSuffix: 'azurefd.net',
      storageSyncEndpointSuffix: 'afs.azure.net',
      mhsmDns: 'managedhsm.azure.net',
      mysqlServerEndpoint: 'mysql.database.azure.com',
      postgresqlServerEndpoint: 'postgres.database.azure.com',
      mariadbServerEndpoint: 'mariadb.database.azure.com',
      synapseAnalytics: 'dev.azuresynapse.net',
      attestationEndpoint: 'attest.azure.net',
    },
    batch: 'https://batch.core.windows.net/',
    resourceManager: `${endpoints.resourceManager}/`,
    vmImageAliasDoc:
      'https://raw.githubusercontent.com/Azure/azure-rest-api-specs/master/arm-compute/quickstart-templates/aliases.json',
    activeDirectoryDataLake: 'https://datalake.azure.net/',
    sqlManagement: 'https://management.core.windows.net:8443/',
    // A resource ID (the token audience Graph requires), which the Azure CLI also uses as Graph's URL.
    microsoftGraphResourceId: 'https://graph.microsoft.com/',
    appInsightsResourceId: 'https://api.applicationinsights.io',
    appInsightsTelemetryChannelResourceId: 'https://dc.applicationinsights.azure.com/v2/track',
    attestationResourceId: 'https://attest.azure.net',
    synapseAnalyticsResourceId: 'https://dev.azuresynapse.net',
    logAnalyticsResourceId: 'https://api.loganalytics.io',
    ossrDbmsResourceId: 'https://ossrdbms-aad.database.windows.net',
  };
}

/** The legacy (`1.0`) document: gallery, Graph and portal endpoints plus the login endpoint and audiences. */
function legacyDocument(endpoints: CloudEndpoints): Record<string, unknown> {
  return {
    galleryEndpoint: 'https://gallery.azure.com/',
    graphEndpoint: 'https://graph.windows.net/',
    portalEndpoint: 'https://portal.azure.com/',
    authentication: {
      loginEndpoint: `${endpoints.login}/`,
      audiences: ['https://management.core.windows.net/'],
    },
  };
}

/** Through the proxy, the public cloud's own endpoints; on loopback, the sandbox's origin for both. */
export function endpointsOf(ctx: SandboxContext, req?: SandboxRequest): CloudEndpoints {
  return req?.publicNames
    ? { resourceManager: publicOrigin(ARM_HOST), login: publicOrigin(LOGIN_HOST) }
    : { resourceManager: ctx.origin, login: ctx.origin };
}

export function handleMetadata(ctx: SandboxContext, req: SandboxRequest): SandboxResponse {
  if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(req.method, req.path);
  const version = (req.query.get('api-version') ?? '').toLowerCase();
  if (!version) {
    return armError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  }
  const endpoints = endpointsOf(ctx, req);
  if (version === '1.0' || version.startsWith('2015-') || version.startsWith('2016-') || version.startsWith('2017-')) {
    return json(200, legacyDocument(endpoints));
  }
  if (/^20(1[89]|2[01])-/.test(version)) return json(200, [cloudDocument(endpoints)]);
  if (/^20\d\d-\d\d-\d\d/.test(version)) return json(200, cloudDocument(endpoints));
  return armError(
    400,
    'InvalidApiVersionParameter',
    `The api-version '${req.query.get('api-version') ?? ''}' is invalid. The supported versions are '2022-09-01,2020-06-01,2019-05-01,1.0'.`,
  );
}
