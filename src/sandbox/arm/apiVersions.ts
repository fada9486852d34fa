import type { SandboxResponse } from '../http';
import { armError } from './errors';

/**
 * api-versions each resource type accepts: what the npm SDKs send (each
 * package's default `apiVersion`), the spec
 * fixtures' versions, and the stable versions around them that `az` and older SDKs send.
 */
const VERSIONS: Record<string, readonly string[]> = {
  resources: [
    '2014-04-01',
    '2015-11-01',
    '2016-02-01',
    '2016-06-01',
    '2016-09-01',
    '2017-05-10',
    '2018-05-01',
    '2019-05-01',
    '2019-06-01',
    '2019-07-01',
    '2019-08-01',
    '2019-10-01',
    '2019-11-01',
    '2020-01-01',
    '2020-06-01',
    '2020-08-01',
    '2021-01-01',
    '2021-04-01',
    '2022-01-01',
    '2022-09-01',
    '2022-12-01',
    '2023-07-01',
    '2024-03-01',
    '2024-07-01',
    '2024-11-01',
    '2025-01-01',
    '2025-04-01',
  ],
  userAssignedIdentities: [
    '2015-08-31-preview',
    '2018-11-30',
    '2021-09-30-preview',
    '2022-01-31-preview',
    '2023-01-31',
    '2023-07-31-preview',
    '2024-11-30',
    '2025-01-31-preview',
    '2025-05-31-preview',
  ],
  federatedIdentityCredentials: [
    '2022-01-31-preview',
    '2023-01-31',
    '2023-07-31-preview',
    '2024-11-30',
    '2025-01-31-preview',
    '2025-05-31-preview',
  ],
  managedClusters: [
    '2022-09-01',
    '2022-11-01',
    '2023-01-01',
    '2023-02-01',
    '2023-03-01',
    '2023-04-01',
    '2023-05-01',
    '2023-06-01',
    '2023-07-01',
    '2023-08-01',
    '2023-09-01',
    '2023-10-01',
    '2023-11-01',
    '2024-01-01',
    '2024-02-01',
    '2024-05-01',
    '2024-06-01',
    '2024-07-01',
    '2024-08-01',
    '2024-09-01',
    '2024-10-01',
    '2025-01-01',
    '2025-02-01',
    '2025-03-01',
    '2025-04-01',
    '2025-05-01',
    '2025-06-01',
    '2025-07-01',
    '2025-08-01',
    '2025-09-01',
    '2025-10-01',
    '2026-01-01',
    '2026-02-01',
    '2026-03-01',
    '2026-04-01',
    '2026-05-01',
    '2026-06-01',
  ],
  roleAssignments: [
    '2015-07-01',
    '2017-10-01-preview',
    '2018-01-01-preview',
    '2018-09-01-preview',
    '2020-03-01-preview',
    '2020-04-01-preview',
    '2020-08-01-preview',
    '2020-10-01-preview',
    '2022-01-01-preview',
    '2022-04-01',
  ],
  roleDefinitions: ['2015-07-01', '2018-01-01-preview', '2022-04-01', '2022-05-01-preview'],
  vaults: [
    '2019-09-01',
    '2021-10-01',
    '2022-07-01',
    '2023-02-01',
    '2023-07-01',
    '2024-11-01',
    '2024-12-01-preview',
    '2025-05-01',
    '2026-02-01',
  ],
};
// AKS operation-status URLs carry the api-version of the PUT that started them.
VERSIONS.operations = VERSIONS.managedClusters!;

export type ResourceKind = keyof typeof VERSIONS;

/** Regions the sandbox's resource providers accept (named in NoRegisteredProviderFound, listed by `/providers`). */
export const SUPPORTED_LOCATIONS: readonly string[] = [
  'eastus',
  'eastus2',
  'westus',
  'westus2',
  'westus3',
  'centralus',
  'northeurope',
  'westeurope',
  'uksouth',
  'southeastasia',
  'japaneast',
  'koreacentral',
  'australiaeast',
];

/** The api-versions a kind accepts, newest first (as ARM lists them). */
export function apiVersionsOf(kind: string): string[] {
  return [...(VERSIONS[kind] ?? [])].reverse();
}

/**
 * Undefined when `api-version` is acceptable; otherwise the error ARM gives. Microsoft.Resources
 * answers `InvalidApiVersionParameter`; a resource provider's type `NoRegisteredProviderFound`.
 */
export function checkApiVersion(
  query: URLSearchParams,
  kind: string,
  type: string,
  location = 'eastus',
): SandboxResponse | undefined {
  const version = query.get('api-version');
  if (!version) {
    return armError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  }
  const allowed = VERSIONS[kind];
  if (!allowed || allowed.includes(version.toLowerCase())) return undefined;
  const list = [...allowed].reverse();
  if (kind === 'resources') {
    return armError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${version}' is invalid. The supported versions are '${list.join(',')}'.`,
    );
  }
  return armError(
    400,
    'NoRegisteredProviderFound',
    `No registered resource provider found for location '${location}' and API version '${version}' for type '${type}'. The supported api-versions are '${list.join(', ')}'. The supported locations are '${SUPPORTED_LOCATIONS.join(', ')}'.`,
  );
}
