import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { rawRequest, startHarness, type Harness } from './sandboxClients';

/**
 * Every resource body the sandbox serves against the Azure REST API spec examples (fixtures/
 * azure-rest-api-specs), field by field: each example's request body is sent verbatim (with IDs
 * rewritten to the sandbox's), and every member path of the example's response (objects
 * recursively, the first element of arrays) must be in the sandbox's answer. The only exceptions
 * are listed per example with the reason: members the real service returns only when the
 * request asked for a feature the example's request does not send, or that the sandbox does not
 * emulate.
 */
const FIXTURES = [
  resolve(__dirname, '../../../../../shared/fixtures/azure-rest-api-specs'),
  '/work/shared/fixtures/azure-rest-api-specs',
].find((p) => existsSync(p));

type Body = Record<string, unknown>;
interface Example {
  parameters: Record<string, unknown>;
  responses: Record<string, { body?: Body }>;
}

function example(path: string): Example {
  return JSON.parse(readFileSync(join(FIXTURES!, 'specification', path), 'utf8')) as Example;
}
function responseOf(path: string, status = '200'): Body {
  const body = example(path).responses[status]?.body;
  if (!body) throw new Error(`${path} has no ${status} body`);
  return body;
}

const MSI = 'msi/resource-manager/Microsoft.ManagedIdentity/stable/2024-11-30/examples';
const AKS = 'containerservice/resource-manager/Microsoft.ContainerService/aks/stable/2025-10-01/examples';
const AUTHZ = 'authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/examples';
const KV = 'keyvault/resource-manager/Microsoft.KeyVault/stable/2024-11-01/examples';
const RES = 'resources/resource-manager/Microsoft.Resources/stable';

const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Member paths of `expected` missing from `actual` (`a.b`, `a[].b` for array elements), minus
 * `ignore`d paths and everything under them. Free-form maps (tags) are compared by presence only.
 */
export function missingPaths(
  expected: unknown,
  actual: unknown,
  ignore: readonly string[] = [],
  prefix = '',
): string[] {
  if (ignore.includes(prefix)) return [];
  if (isObject(expected)) {
    if (!isObject(actual)) return [prefix];
    if (prefix === 'tags' || prefix.endsWith('.tags')) return [];
    // Maps keyed by ARM ID (user-assigned identities): compare the first entry's members.
    if (prefix.endsWith('userAssignedIdentities')) {
      const [first] = Object.values(expected);
      const [got] = Object.values(actual);
      if (first === undefined) return [];
      return got === undefined ? [`${prefix}{}`] : missingPaths(first, got, ignore, `${prefix}{}`);
    }
    return Object.keys(expected).flatMap((k) => {
      const path = prefix ? `${prefix}.${k}` : k;
      if (ignore.includes(path)) return [];
      if (!(k in actual)) return [path];
      return missingPaths(expected[k], actual[k], ignore, path);
    });
  }
  if (Array.isArray(expected) && expected.length > 0 && (isObject(expected[0]) || Array.isArray(expected[0]))) {
    if (ignore.includes(`${prefix}[]`)) return [];
    if (!Array.isArray(actual) || actual.length === 0) return [`${prefix}[]`];
    return missingPaths(expected[0], actual[0], ignore, `${prefix}[]`);
  }
  return [];
}

/** Members present only when the request enables the feature (the examples' requests send them, or the examples are hand-written). */
const CLUSTER_OPTIONAL = [
  'properties.linuxProfile', // only when the request sets an SSH key (the examples do)
  'properties.windowsProfile', // only for clusters given a Windows admin
  'properties.diskEncryptionSetID', // only with customer-managed disk encryption
  'properties.upgradeSettings', // only when an upgrade override was set
  'properties.autoScalerProfile', // only when the cluster autoscaler is configured
  'properties.agentPoolProfiles[].availabilityZones', // only for zonal pools
  'properties.networkProfile.loadBalancerProfile.outboundIPs', // only with customer-owned outbound IPs instead of managed ones
  'properties.securityProfile.defender', // only with Microsoft Defender enabled
];

describe(
  'sandbox resource bodies against the REST API spec examples, field by field',
  { skip: FIXTURES === undefined ? 'fixtures not found' : false },
  () => {
    let h: Harness;
    let token: string;
    let sub: string;
    const rg = SCENARIO.resourceGroup;
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await rawRequest(h.sandbox, method, path, {
        headers: { authorization: `Bearer ${token}` },
        body: body as object | undefined,
      });
      return { status: res.status, body: (res.text ? res.json() : undefined) as Body, headers: res.headers };
    };
    const same = (label: string, expected: Body, actual: Body, ignore: readonly string[] = []): void => {
      assert.deepEqual(
        missingPaths(expected, actual, ignore),
        [],
        `${label}: members the real service returns are missing`,
      );
    };

    before(async () => {
      h = await startHarness();
      token = (await h.credential.getToken('https://management.azure.com/.default'))!.token;
      sub = h.sandbox.subscriptionId;
    });
    after(async () => {
      await h.sandbox.close();
    });

    it('the comparison itself: finds a missing nested member and an empty array', () => {
      assert.deepEqual(missingPaths({ a: { b: 1, c: [{ d: 1 }] } }, { a: { b: 2, c: [{}] } }), ['a.c[].d']);
      assert.deepEqual(missingPaths({ a: [{ d: 1 }] }, { a: [] }), ['a[]']);
      assert.deepEqual(missingPaths({ a: { b: 1 }, tags: { x: '' } }, { a: {}, tags: {} }, ['a.b']), []);
    });

    it('user-assigned identities: create, get, list by group and subscription, update', async () => {
      const base = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities`;
      const ex = example(`${MSI}/IdentityCreate.json`);
      const put = await call('PUT', `${base}/identityName?api-version=2024-11-30`, ex.parameters.parameters);
      assert.equal(put.status, 201);
      same('IdentityCreate 201', ex.responses['201']!.body!, put.body);
      assert.deepEqual(Object.keys(put.body).sort(), Object.keys(ex.responses['201']!.body!).sort());
      same(
        'IdentityGet',
        responseOf(`${MSI}/IdentityGet.json`),
        (await call('GET', `${base}/identityName?api-version=2024-11-30`)).body,
      );
      same(
        'IdentityListByResourceGroup',
        responseOf(`${MSI}/IdentityListByResourceGroup.json`),
        (await call('GET', `${base}?api-version=2024-11-30`)).body,
        ['nextLink'],
      );
      same(
        'IdentityListBySubscription',
        responseOf(`${MSI}/IdentityListBySubscription.json`),
        (
          await call(
            'GET',
            `/subscriptions/${sub}/providers/Microsoft.ManagedIdentity/userAssignedIdentities?api-version=2024-11-30`,
          )
        ).body,
        ['nextLink'],
      );
      const upd = example(`${MSI}/IdentityUpdate.json`);
      const patch = await call('PATCH', `${base}/identityName?api-version=2024-11-30`, upd.parameters.parameters);
      assert.equal(patch.status, 200);
      same('IdentityUpdate', upd.responses['200']!.body!, patch.body);
      assert.equal((patch.body.properties as Body).isolationScope, 'Regional');
      assert.deepEqual(patch.body.tags, (upd.parameters.parameters as Body).tags);
    });

    it('federated identity credentials: create, get, list (absolute nextLink)', async () => {
      const ex = example(`${MSI}/FederatedIdentityCredentialCreate.json`);
      const base = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/identityFic/federatedIdentityCredentials`;
      await call(
        'PUT',
        `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/identityFic?api-version=2024-11-30`,
        { location: 'eastus' },
      );
      const put = await call('PUT', `${base}/ficResourceName?api-version=2024-11-30`, ex.parameters.parameters);
      assert.equal(put.status, 201);
      same('FederatedIdentityCredentialCreate', ex.responses['201']!.body!, put.body);
      assert.deepEqual(put.body.properties, ex.responses['201']!.body!.properties);
      same(
        'FederatedIdentityCredentialGet',
        responseOf(`${MSI}/FederatedIdentityCredentialGet.json`),
        (await call('GET', `${base}/ficResourceName?api-version=2024-11-30`)).body,
      );
      await call('PUT', `${base}/ficTwo?api-version=2024-11-30`, {
        properties: { issuer: 'https://oidc.example/', subject: 'two', audiences: ['api://AzureADTokenExchange'] },
      });
      const list = await call('GET', `${base}?api-version=2024-11-30&$top=1`);
      same('FederatedIdentityCredentialList', responseOf(`${MSI}/FederatedIdentityCredentialList.json`), list.body);
      assert.match(String(list.body.nextLink), new RegExp(`^${h.sandbox.origin}/subscriptions/.*\\$skiptoken=1`));
    });

    it('managed clusters: create (MSI and with a user-assigned identity), get, lists, user credentials', async () => {
      const base = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ContainerService/managedClusters`;
      const ex = example(`${AKS}/ManagedClustersCreate_SecurityProfile.json`);
      const body = structuredClone(ex.parameters.parameters) as { location: string; properties: Body };
      body.location = 'eastus';
      body.properties.oidcIssuerProfile = { enabled: true }; // workload identity requires the issuer
      const put = await call('PUT', `${base}/clustername1?api-version=2025-10-01`, body);
      assert.equal(put.status, 201, JSON.stringify(put.body));
      assert.match(
        String(put.headers['azure-asyncoperation']),
        new RegExp(
          `^${h.sandbox.origin}/subscriptions/${sub}/providers/Microsoft.ContainerService/locations/eastus/operations/`,
        ),
      );
      same('ManagedClustersCreate_SecurityProfile 201', ex.responses['201']!.body!, put.body, CLUSTER_OPTIONAL);
      // No service principal in the request: a managed identity, and AKS says so with clientId "msi".
      assert.deepEqual((put.body.properties as Body).servicePrincipalProfile, { clientId: 'msi' });
      assert.equal((put.body.identity as Body).type, 'SystemAssigned');
      const net = (put.body.properties as Body).networkProfile as Body;
      assert.equal(
        (net.loadBalancerProfile as { effectiveOutboundIPs: unknown[] }).effectiveOutboundIPs.length,
        2,
        'two managed outbound IPs, as requested',
      );

      const get = await call('GET', `${base}/clustername1?api-version=2025-10-01`);
      same('ManagedClustersGet', responseOf(`${AKS}/ManagedClustersGet.json`), get.body, CLUSTER_OPTIONAL);
      same(
        'ManagedClustersList',
        responseOf(`${AKS}/ManagedClustersList.json`),
        (
          await call(
            'GET',
            `/subscriptions/${sub}/providers/Microsoft.ContainerService/managedClusters?api-version=2025-10-01`,
          )
        ).body,
        [...CLUSTER_OPTIONAL.map((p) => `value[].${p}`), 'nextLink'],
      );
      same(
        'ManagedClustersListByResourceGroup',
        responseOf(`${AKS}/ManagedClustersListByResourceGroup.json`),
        (await call('GET', `${base}?api-version=2025-10-01`)).body,
        [...CLUSTER_OPTIONAL.map((p) => `value[].${p}`), 'nextLink'],
      );
      // The teaching scenario's clusters are complete too.
      same(
        'ManagedClustersGet (aks-wi-demo)',
        responseOf(`${AKS}/ManagedClustersGet.json`),
        (await call('GET', `${base}/${SCENARIO.clusterWithIssuer}?api-version=2025-10-01`)).body,
        CLUSTER_OPTIONAL,
      );

      // Create_Update: a user-assigned control-plane identity, a service principal secret and a Windows password in the request.
      const upd = example(`${AKS}/ManagedClustersCreate_Update.json`);
      const identity = await call(
        'PUT',
        `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/identity1?api-version=2024-11-30`,
        { location: 'eastus' },
      );
      const ub = structuredClone(upd.parameters.parameters) as {
        location: string;
        identity: { userAssignedIdentities: Body };
      };
      ub.location = 'eastus';
      ub.identity.userAssignedIdentities = { [String(identity.body.id)]: {} };
      const put2 = await call('PUT', `${base}/clustername2?api-version=2025-10-01`, ub);
      assert.equal(put2.status, 201, JSON.stringify(put2.body));
      same(
        'ManagedClustersCreate_Update',
        upd.responses['200']!.body!,
        put2.body,
        CLUSTER_OPTIONAL.filter(
          (p) =>
            p !== 'properties.upgradeSettings' &&
            p !== 'properties.autoScalerProfile' &&
            p !== 'properties.windowsProfile',
        ),
      );
      const uai = (put2.body.identity as { userAssignedIdentities: Record<string, Body> }).userAssignedIdentities[
        String(identity.body.id)
      ]!;
      assert.deepEqual(uai, {
        clientId: (identity.body.properties as Body).clientId,
        principalId: (identity.body.properties as Body).principalId,
      });
      assert.doesNotMatch(
        JSON.stringify(put2.body),
        /replacePassword1234|"secret"/,
        'secrets in the request are never returned',
      );

      // A service principal cluster: its client ID back, no identity, never the secret.
      const spBody = {
        location: 'eastus',
        properties: {
          dnsPrefix: 'sp1',
          servicePrincipalProfile: { clientId: '11111111-2222-3333-4444-555555555555', secret: 'sp-secret-value' },
        },
      };
      const sp = await call('PUT', `${base}/clustersp?api-version=2025-10-01`, spBody);
      assert.equal(sp.status, 201);
      assert.deepEqual((sp.body.properties as Body).servicePrincipalProfile, {
        clientId: '11111111-2222-3333-4444-555555555555',
      });
      assert.equal(sp.body.identity, undefined);
      assert.doesNotMatch(JSON.stringify(sp.body), /sp-secret-value/);

      const creds = await call('POST', `${base}/clustername1/listClusterUserCredential?api-version=2025-10-01`);
      same(
        'ManagedClustersListClusterUserCredentials',
        responseOf(`${AKS}/ManagedClustersListClusterUserCredentials.json`),
        creds.body,
      );
      const op = await call('GET', String(put.headers['azure-asyncoperation']).replace(h.sandbox.origin, ''));
      assert.ok(['InProgress', 'Succeeded'].includes(String(op.body.status)));
    });

    it('role assignments at resource, group and subscription scope; get, lists, delete; role definitions', async () => {
      const vaultId = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.KeyVault/vaults/${SCENARIO.vault}`;
      const scopes: [string, string][] = [
        ['RoleAssignments_CreateForResourceGroup.json', `/subscriptions/${sub}/resourceGroups/${rg}`],
        ['RoleAssignments_CreateForSubscription.json', `/subscriptions/${sub}`],
        ['RoleAssignments_CreateForResource.json', vaultId],
      ];
      const principal = h.sandbox.developer.objectId;
      const guids = [
        '0b5fe924-9a61-425c-96af-cfe6e287ca21',
        '0b5fe924-9a61-425c-96af-cfe6e287ca22',
        '0b5fe924-9a61-425c-96af-cfe6e287ca23',
      ];
      for (const [i, [file, scope]] of scopes.entries()) {
        const ex = example(`${AUTHZ}/${file}`);
        const params = structuredClone(ex.parameters.parameters) as { properties: Record<string, string> };
        params.properties.roleDefinitionId = `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`;
        params.properties.principalId = principal;
        const put = await call(
          'PUT',
          `/${scope}/providers/Microsoft.Authorization/roleAssignments/${guids[i]!}?api-version=2022-04-01`,
          params,
        );
        assert.equal(put.status, 201, `${file}: ${JSON.stringify(put.body)}`);
        same(file, ex.responses['201']!.body!, put.body);
      }
      const subScope = `/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments`;
      same(
        'RoleAssignments_Get',
        responseOf(`${AUTHZ}/RoleAssignments_Get.json`),
        (await call('GET', `${subScope}/${guids[1]!}?api-version=2022-04-01`)).body,
      );
      same(
        'RoleAssignments_ListForScope',
        responseOf(`${AUTHZ}/RoleAssignments_ListForScope.json`),
        (await call('GET', `${subScope}?api-version=2022-04-01`)).body,
      );
      same(
        'RoleAssignments_ListForResourceGroup',
        responseOf(`${AUTHZ}/RoleAssignments_ListForResourceGroup.json`),
        (
          await call(
            'GET',
            `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`,
          )
        ).body,
      );
      const del = await call('DELETE', `${subScope}/${guids[1]!}?api-version=2022-04-01`);
      assert.equal(del.status, 200);
      same('RoleAssignments_Delete', responseOf(`${AUTHZ}/RoleAssignments_Delete.json`), del.body);
      assert.equal((await call('DELETE', `${subScope}/${guids[1]!}?api-version=2022-04-01`)).status, 204);

      const byName = await call(
        'GET',
        `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-04-01&$filter=${encodeURIComponent("roleName eq 'Reader'")}`,
      );
      // The example shows one definition; the sandbox answers the `$filter` list, whose items must match it.
      same(
        'GetRoleDefinitionByName',
        responseOf(`${AUTHZ}/GetRoleDefinitionByName.json`),
        (byName.body.value as Body[])[0]!,
      );
      same(
        'GetRoleDefinitionById',
        responseOf(`${AUTHZ}/GetRoleDefinitionById.json`),
        (
          await call(
            'GET',
            '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7?api-version=2022-04-01',
          )
        ).body,
      );
    });

    it('vaults: create, get (with systemData), delete', async () => {
      const ex = example(`${KV}/createVault.json`);
      const body = structuredClone(ex.parameters.parameters) as { properties: Body };
      body.properties.tenantId = h.sandbox.tenantId;
      const base = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.KeyVault/vaults`;
      const put = await call('PUT', `${base}/sample-vault?api-version=2024-11-01`, body);
      assert.equal(put.status, 201);
      // hsmPoolResourceId is null in the examples (no managed HSM pool); private endpoints and network ACLs are not emulated.
      const notEmulated = [
        'properties.hsmPoolResourceId',
        'properties.networkAcls',
        'properties.privateEndpointConnections',
      ];
      same('createVault 201', ex.responses['201']!.body!, put.body, notEmulated);
      same(
        'createVault 200 (re-PUT)',
        ex.responses['200']!.body!,
        (await call('PUT', `${base}/sample-vault?api-version=2024-11-01`, body)).body,
        notEmulated,
      );
      const get = await call('GET', `${base}/sample-vault?api-version=2024-11-01`);
      same('getVault', responseOf(`${KV}/getVault.json`), get.body, notEmulated);
      assert.equal((get.body.systemData as Body).createdBy, h.sandbox.developer.clientId);
      assert.equal((get.body.systemData as Body).createdByType, 'Application');
      same(
        'getVault (kv-wi-demo)',
        responseOf(`${KV}/getVault.json`),
        (await call('GET', `${base}/${SCENARIO.vault}?api-version=2024-11-01`)).body,
        [...notEmulated, 'properties.accessPolicies[]'],
      ); // an RBAC vault: no access policies, an empty list
      assert.equal((await call('DELETE', `${base}/sample-vault?api-version=2024-11-01`)).status, 200);
    });

    it('resource groups and subscriptions', async () => {
      const ex = example(`${RES}/2021-04-01/examples/CreateResourceGroup.json`);
      const put = await call(
        'PUT',
        `/subscriptions/${sub}/resourcegroups/my-resource-group?api-version=2021-04-01`,
        ex.parameters.parameters,
      );
      assert.equal(put.status, 201);
      same('CreateResourceGroup 201', ex.responses['201']!.body!, put.body);
      const again = await call(
        'PUT',
        `/subscriptions/${sub}/resourcegroups/my-resource-group?api-version=2021-04-01`,
        ex.parameters.parameters,
      );
      assert.equal(again.status, 200);
      same('CreateResourceGroup 200', ex.responses['200']!.body!, again.body);
      const subs = await call('GET', '/subscriptions?api-version=2022-12-01');
      // `tags` only when the subscription has tags; `nextLink` only when there is a next page.
      same('GetSubscriptions', responseOf(`${RES}/2022-12-01/examples/GetSubscriptions.json`), subs.body, [
        'value[].tags',
        'nextLink',
        'value[].managedByTenants[]',
      ]);
      const bad = await call('GET', '/subscriptions?api-version=1999-01-01');
      assert.equal((bad.body.error as { code: string }).code, 'InvalidApiVersionParameter');
    });

    it('secrets (data plane): set and get', async () => {
      const ex = example('keyvault/data-plane/Microsoft.KeyVault/stable/7.5/examples/SetSecret-example.json');
      const vault = Object.values(h.sandbox.state().vaults).find((v) => v.name === SCENARIO.vault)!;
      const kvToken = (await h.credential.getToken('https://vault.azure.net/.default'))!.token;
      const set = await rawRequest(
        h.sandbox,
        'PUT',
        `https://127.0.0.1:${vault.port}/secrets/crpsecret?api-version=7.5`,
        { headers: { authorization: `Bearer ${kvToken}` }, body: ex.parameters.parameters as object },
      );
      assert.equal(set.status, 200);
      same('SetSecret', ex.responses['200']!.body!, set.json() as Body);
      assert.deepEqual(Object.keys(set.json() as Body).sort(), Object.keys(ex.responses['200']!.body!).sort());
      const get = await rawRequest(
        h.sandbox,
        'GET',
        `https://127.0.0.1:${vault.port}/secrets/crpsecret?api-version=7.5`,
        { headers: { authorization: `Bearer ${kvToken}` } },
      );
      same(
        'GetSecret',
        responseOf('keyvault/data-plane/Microsoft.KeyVault/stable/7.5/examples/GetSecret-example.json'),
        get.json() as Body,
      );
    });
  },
);
