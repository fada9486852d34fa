import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { rawRequest, startHarness, type Harness } from './sandboxClients';

/**
 * Request and response bodies against the Azure REST API spec examples (FACTS.md, "Golden
 * fixtures"): each example's request body is sent verbatim, and the sandbox's answer must carry
 * the example's members (top level and `properties`).
 */
const FIXTURES = [resolve(__dirname, '../../../../../shared/fixtures/azure-rest-api-specs'), '/work/shared/fixtures/azure-rest-api-specs'].find((p) => existsSync(p));

interface Example { parameters: Record<string, unknown>; responses: Record<string, { body?: Record<string, unknown> }> }

function example(path: string): Example {
  return JSON.parse(readFileSync(join(FIXTURES!, 'specification', path), 'utf8')) as Example;
}

const MSI = 'msi/resource-manager/Microsoft.ManagedIdentity/stable/2024-11-30/examples';
const AKS = 'containerservice/resource-manager/Microsoft.ContainerService/aks/stable/2025-10-01/examples';
const AUTHZ = 'authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/examples';
const KV = 'keyvault/resource-manager/Microsoft.KeyVault/stable/2024-11-01/examples';
const RES = 'resources/resource-manager/Microsoft.Resources/stable';

/** Members of `expected` (and of its `properties`) missing from `actual`, minus those the sandbox does not model. */
function missingKeys(expected: Record<string, unknown>, actual: Record<string, unknown>, ignore: string[] = []): string[] {
  const missing = Object.keys(expected).filter((k) => !(k in actual) && !ignore.includes(k));
  const ep = expected.properties as Record<string, unknown> | undefined;
  const ap = actual.properties as Record<string, unknown> | undefined;
  if (ep && ap) missing.push(...Object.keys(ep).filter((k) => !(k in ap) && !ignore.includes(`properties.${k}`)).map((k) => `properties.${k}`));
  return missing;
}

describe('sandbox wire shapes against the REST API spec examples', { skip: FIXTURES === undefined ? 'fixtures not found' : false }, () => {
  let h: Harness;
  let token: string;
  let sub: string;
  const rg = SCENARIO.resourceGroup;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await rawRequest(h.sandbox, method, path, { headers: { authorization: `Bearer ${token}` }, body: body as object | undefined });
    return { status: res.status, body: (res.text ? res.json() : undefined) as Record<string, unknown>, headers: res.headers };
  };

  before(async () => {
    h = await startHarness();
    token = (await h.credential.getToken('https://management.azure.com/.default'))!.token;
    sub = h.sandbox.subscriptionId;
  });
  after(async () => { await h.sandbox.close(); });

  it('IdentityCreate / IdentityGet / IdentityListByResourceGroup: same members', async () => {
    const ex = example(`${MSI}/IdentityCreate.json`);
    const put = await call('PUT', `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/identityName?api-version=2024-11-30`, ex.parameters.parameters);
    assert.equal(put.status, 201);
    assert.deepEqual(Object.keys(put.body).sort(), Object.keys(ex.responses['201']!.body!).sort());
    assert.deepEqual(Object.keys(put.body.properties as object).sort(), Object.keys(ex.responses['201']!.body!.properties as object).sort());
    const get = await call('GET', `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/identityName?api-version=2024-11-30`);
    assert.deepEqual(missingKeys(example(`${MSI}/IdentityGet.json`).responses['200']!.body!, get.body), []);
    const list = await call('GET', `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities?api-version=2024-11-30`);
    const exList = example(`${MSI}/IdentityListByResourceGroup.json`).responses['200']!.body!;
    assert.deepEqual(missingKeys((exList.value as Record<string, unknown>[])[0]!, (list.body.value as Record<string, unknown>[])[0]!), []);
    const patch = await call('PATCH', `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/identityName?api-version=2024-11-30`, example(`${MSI}/IdentityUpdate.json`).parameters.parameters);
    assert.equal(patch.status, 200);
  });

  it('FederatedIdentityCredentialCreate / Get / List: same members; nextLink absolute', async () => {
    const ex = example(`${MSI}/FederatedIdentityCredentialCreate.json`);
    const base = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/identityName/federatedIdentityCredentials`;
    const put = await call('PUT', `${base}/ficResourceName?api-version=2024-11-30`, ex.parameters.parameters);
    assert.equal(put.status, 201);
    assert.deepEqual(Object.keys(put.body).sort(), Object.keys(ex.responses['201']!.body!).sort());
    assert.deepEqual(put.body.properties, (ex.responses['201']!.body!.properties));
    await call('PUT', `${base}/ficTwo?api-version=2024-11-30`, { properties: { issuer: 'https://oidc.example/', subject: 'two', audiences: ['api://AzureADTokenExchange'] } });
    const list = await call('GET', `${base}?api-version=2024-11-30&$top=1`);
    assert.deepEqual(Object.keys(list.body).sort(), ['nextLink', 'value']);
    assert.match(String(list.body.nextLink), new RegExp(`^${h.sandbox.origin}/subscriptions/.*\\$skiptoken=1`));
  });

  it('ManagedClustersCreate_SecurityProfile (with the issuer, which workload identity requires) and Get', async () => {
    const ex = example(`${AKS}/ManagedClustersCreate_SecurityProfile.json`);
    const body = structuredClone(ex.parameters.parameters) as { location: string; properties: Record<string, unknown> };
    body.location = 'eastus';
    body.properties.oidcIssuerProfile = { enabled: true };
    const put = await call('PUT', `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ContainerService/managedClusters/clustername1?api-version=2025-10-01`, body);
    assert.equal(put.status, 201);
    assert.match(String(put.headers['azure-asyncoperation']), new RegExp(`^${h.sandbox.origin}/subscriptions/${sub}/providers/Microsoft.ContainerService/locations/eastus/operations/`));
    const notModelled = ['properties.windowsProfile', 'properties.servicePrincipalProfile', 'properties.diskEncryptionSetID'];
    assert.deepEqual(missingKeys(ex.responses['201']!.body!, put.body, notModelled), []);
    const get = await call('GET', `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ContainerService/managedClusters/clustername1?api-version=2025-10-01`);
    assert.deepEqual(missingKeys(example(`${AKS}/ManagedClustersGet.json`).responses['200']!.body!, get.body, [...notModelled, 'properties.upgradeSettings']), []);
    const creds = await call('POST', `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ContainerService/managedClusters/clustername1/listClusterUserCredential?api-version=2025-10-01`);
    assert.deepEqual(Object.keys(creds.body), Object.keys(example(`${AKS}/ManagedClustersListClusterUserCredentials.json`).responses['200']!.body!));
    const op = await call('GET', String(put.headers['azure-asyncoperation']).replace(h.sandbox.origin, ''));
    assert.ok(['InProgress', 'Succeeded'].includes(String(op.body.status)));
  });

  it('RoleAssignments_CreateForResourceGroup / Get; role definitions by name', async () => {
    const ex = example(`${AUTHZ}/RoleAssignments_CreateForResourceGroup.json`);
    const params = structuredClone(ex.parameters.parameters) as { properties: Record<string, string> };
    params.properties.roleDefinitionId = `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`;
    const put = await call('PUT', `//subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Authorization/roleAssignments/${String(ex.parameters.roleAssignmentName)}?api-version=2022-04-01`, params);
    assert.equal(put.status, 201, JSON.stringify(put.body));
    assert.deepEqual(missingKeys(ex.responses['201']!.body!, put.body), []);
    const def = await call('GET', `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-04-01&$filter=${encodeURIComponent("roleName eq 'Reader'")}`);
    const exDef = example(`${AUTHZ}/GetRoleDefinitionByName.json`).responses['200']!.body!;
    assert.deepEqual(missingKeys(exDef, (def.body.value as Record<string, unknown>[])[0]!), []);
  });

  it('createVault / getVault', async () => {
    const ex = example(`${KV}/createVault.json`);
    const body = structuredClone(ex.parameters.parameters) as { properties: Record<string, unknown> };
    body.properties.tenantId = h.sandbox.tenantId;
    const put = await call('PUT', `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.KeyVault/vaults/sample-vault?api-version=2024-11-01`, body);
    assert.ok(put.status === 200 || put.status === 201);
    assert.deepEqual(missingKeys(ex.responses['200']!.body!, put.body, ['systemData', 'properties.networkAcls', 'properties.privateEndpointConnections', 'properties.hsmPoolResourceId']), []);
  });

  it('CreateResourceGroup / GetSubscriptions', async () => {
    const ex = example(`${RES}/2021-04-01/examples/CreateResourceGroup.json`);
    const put = await call('PUT', `/subscriptions/${sub}/resourcegroups/my-resource-group?api-version=2021-04-01`, ex.parameters.parameters);
    assert.equal(put.status, 201);
    assert.deepEqual(missingKeys(ex.responses['201']!.body!, put.body), []);
    assert.equal((await call('PUT', `/subscriptions/${sub}/resourcegroups/my-resource-group?api-version=2021-04-01`, ex.parameters.parameters)).status, 200);
    const subs = await call('GET', '/subscriptions?api-version=2022-12-01');
    const exSub = (example(`${RES}/2022-12-01/examples/GetSubscriptions.json`).responses['200']!.body!.value as Record<string, unknown>[])[0]!;
    assert.deepEqual(missingKeys(exSub, (subs.body.value as Record<string, unknown>[])[0]!, ['tags']), []);
    const bad = await call('GET', '/subscriptions?api-version=1999-01-01');
    assert.equal((bad.body.error as { code: string }).code, 'InvalidApiVersionParameter');
  });

  it('SetSecret: same members', async () => {
    const ex = example('keyvault/data-plane/Microsoft.KeyVault/stable/7.5/examples/SetSecret-example.json');
    const vault = Object.values(h.sandbox.state().vaults).find((v) => v.name === SCENARIO.vault)!;
    const kvToken = (await h.credential.getToken('https://vault.azure.net/.default'))!.token;
    const res = await rawRequest(h.sandbox, 'PUT', `https://127.0.0.1:${vault.port}/secrets/crpsecret?api-version=7.5`, { headers: { authorization: `Bearer ${kvToken}` }, body: ex.parameters.parameters as object });
    assert.equal(res.status, 200);
    const body = res.json() as Record<string, unknown>;
    const exBody = ex.responses['200']!.body!;
    assert.deepEqual(Object.keys(body).sort(), Object.keys(exBody).sort());
    assert.deepEqual(Object.keys(exBody.attributes as object).filter((k) => !(k in (body.attributes as object))), []);
  });
});
