import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClientSecretCredential } from '@azure/identity';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { rawRequest, startHarness, type Harness } from './sandboxClients';

/** `GET {arm}/metadata/endpoints`: anonymous, in the three shapes real ARM serves by api-version. */
describe('sandbox ARM metadata endpoints', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.sandbox.close();
  });

  it('2022-09-01: one cloud document, anonymous, with the sandbox as ARM and login endpoint', async () => {
    const res = await rawRequest(h.sandbox, 'GET', '/metadata/endpoints?api-version=2022-09-01');
    assert.equal(res.status, 200);
    const doc = res.json() as Record<string, unknown> & {
      authentication: Record<string, unknown>;
      suffixes: Record<string, unknown>;
    };
    assert.equal(doc.name, 'AzureCloud');
    assert.equal(doc.resourceManager, `${h.sandbox.origin}/`);
    assert.deepEqual(doc.authentication, {
      loginEndpoint: h.sandbox.origin,
      audiences: ['https://management.core.windows.net/', 'https://management.azure.com/'],
      tenant: 'common',
      identityProvider: 'AAD',
    });
    assert.equal(doc.suffixes.keyVaultDns, 'vault.azure.net');
    assert.equal(doc.microsoftGraphResourceId, 'https://graph.microsoft.com/');
    for (const k of [
      'portal',
      'media',
      'graphAudience',
      'graph',
      'batch',
      'vmImageAliasDoc',
      'activeDirectoryDataLake',
      'sqlManagement',
    ]) {
      assert.equal(typeof doc[k], 'string', k);
    }
    for (const k of [
      'azureDataLakeStoreFileSystem',
      'acrLoginServer',
      'sqlServerHostname',
      'azureDataLakeAnalyticsCatalogAndJob',
      'storage',
      'azureFrontDoorEndpointSuffix',
    ]) {
      assert.equal(typeof doc.suffixes[k], 'string', k);
    }
  });

  it('2019-05-01: an array of clouds; 1.0: the legacy document; no api-version: 400', async () => {
    const arr = (await rawRequest(h.sandbox, 'GET', '/metadata/endpoints?api-version=2019-05-01')).json() as {
      name: string;
      resourceManager: string;
    }[];
    assert.ok(Array.isArray(arr));
    assert.equal(arr[0]!.name, 'AzureCloud');
    assert.equal(arr[0]!.resourceManager, `${h.sandbox.origin}/`);
    const legacy = (await rawRequest(h.sandbox, 'GET', '/metadata/endpoints?api-version=1.0')).json() as Record<
      string,
      unknown
    >;
    assert.deepEqual(Object.keys(legacy).sort(), [
      'authentication',
      'galleryEndpoint',
      'graphEndpoint',
      'portalEndpoint',
    ]);
    assert.deepEqual(legacy.authentication, {
      loginEndpoint: `${h.sandbox.origin}/`,
      audiences: ['https://management.core.windows.net/'],
    });
    const missing = await rawRequest(h.sandbox, 'GET', '/metadata/endpoints');
    assert.equal(missing.status, 400);
    assert.equal((missing.json() as { error: { code: string } }).error.code, 'MissingApiVersionParameter');
  });

  it('a client configured from the document alone (login endpoint, audience, ARM URL) reaches ARM', async () => {
    const doc = (await rawRequest(h.sandbox, 'GET', '/metadata/endpoints?api-version=2022-09-01')).json() as {
      resourceManager: string;
      authentication: { loginEndpoint: string; audiences: string[] };
    };
    const credential = new ClientSecretCredential(
      h.sandbox.tenantId,
      h.sandbox.developer.clientId,
      h.sandbox.developer.clientSecret,
      {
        authorityHost: doc.authentication.loginEndpoint,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: h.sandbox.caPem },
      } as ConstructorParameters<typeof ClientSecretCredential>[3],
    );
    const client = new ManagedServiceIdentityClient(credential, h.sandbox.subscriptionId, {
      endpoint: doc.resourceManager,
      tlsOptions: { ca: h.sandbox.caPem },
      credentialScopes: [`${doc.authentication.audiences[0]!}.default`],
    });
    const names: string[] = [];
    for await (const i of client.userAssignedIdentities.listBySubscription()) names.push(i.name!);
    assert.ok(names.includes('id-wi-demo'), names.join(','));
  });
});
