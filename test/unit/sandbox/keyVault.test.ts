import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { parseKeyVaultSecretIdentifier, SecretClient } from '@azure/keyvault-secrets';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { all, rawRequest, restError, startHarness, type Harness } from './sandboxClients';

describe('sandbox Key Vault: ARM vaults with @azure/arm-keyvault', () => {
  let h: Harness;
  let kv: KeyVaultManagementClient;
  const rg = SCENARIO.resourceGroup;
  const props = (tenantId: string) => ({
    tenantId,
    sku: { family: 'A' as const, name: 'standard' as const },
    enableRbacAuthorization: true,
  });

  before(async () => {
    h = await startHarness();
    kv = new KeyVaultManagementClient(h.credential, h.sandbox.subscriptionId, {
      endpoint: h.sandbox.armEndpoint,
      tlsOptions: { ca: h.sandbox.caPem },
      credentials: { scopes: ['https://management.azure.com/.default'] },
    });
  });
  after(async () => {
    await h.sandbox.close();
  });

  it('lists vaults by subscription (generic resources API) and resource group, and gets one', async () => {
    const bySub = await all(kv.vaults.list());
    assert.deepEqual(
      bySub.map((v) => v.name),
      [SCENARIO.vault],
    );
    const byRg = await all(kv.vaults.listByResourceGroup(rg));
    assert.equal(byRg[0]?.properties.enableRbacAuthorization, true);
    const vault = await kv.vaults.get(rg, SCENARIO.vault);
    assert.equal(vault.properties.enablePurgeProtection, true);
    assert.match(vault.properties.vaultUri ?? '', /^https:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('validates names, keeps names globally unique and purge protection irreversible', async () => {
    const bad = await restError(
      kv.vaults.createOrUpdate(rg, 'a--b', { location: 'eastus', properties: props(h.sandbox.tenantId) }),
    );
    assert.equal(bad.code, 'VaultNameNotValid');
    await kv.vaults.createOrUpdate(rg, 'kv-unique', {
      location: 'eastus',
      properties: { ...props(h.sandbox.tenantId), enablePurgeProtection: true },
    });
    const off = await restError(
      kv.vaults.createOrUpdate(rg, 'kv-unique', {
        location: 'eastus',
        properties: { ...props(h.sandbox.tenantId), enablePurgeProtection: false },
      }),
    );
    assert.equal(off.statusCode, 400);
    assert.match(off.message, /enablePurgeProtection/);
  });
});

describe('sandbox Key Vault: data plane with @azure/keyvault-secrets', () => {
  let h: Harness;
  let vaultUrl: string;
  let client: SecretClient;

  before(async () => {
    h = await startHarness();
    const vault = Object.values(h.sandbox.state().vaults)[0]!;
    vaultUrl = `https://127.0.0.1:${vault.port}/`;
    client = new SecretClient(vaultUrl, h.credential, {
      disableChallengeResourceVerification: true,
      tlsOptions: { ca: h.sandbox.caPem },
    } as ConstructorParameters<typeof SecretClient>[2]);
  });
  after(async () => {
    await h.sandbox.close();
  });

  it('answers a request without a token with the exact bearer challenge', async () => {
    const res = await rawRequest(h.sandbox, 'GET', `${vaultUrl}secrets/${SCENARIO.secret}/?api-version=2025-07-01`);
    assert.equal(res.status, 401);
    assert.equal(
      res.headers['www-authenticate'],
      `Bearer authorization="https://login.windows.net/${h.sandbox.tenantId}", resource="https://vault.azure.net"`,
    );
    assert.deepEqual(res.json(), {
      error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' },
    });
  });

  it("sets, gets (latest and by version) and lists versions; ids parse with the SDK's own parser", async () => {
    const v1 = await client.setSecret('app-secret', 'one', { contentType: 'text/plain', tags: { env: 'dev' } });
    // Challenge-based auth (Azure/azure-sdk-for-js sdk/keyvault/keyvault-common): the SDK's first request carries no token and no body, even for PUT; then it resends.
    const puts = h.sandbox.stats().recent.filter((r) => r.service === 'keyvault' && r.method === 'PUT');
    assert.deepEqual(
      puts.map((r) => [r.status, r.bearer, r.bodyBytes === 0]),
      [
        [401, false, true],
        [200, true, false],
      ],
    );
    const v2 = await client.setSecret('app-secret', 'two');
    assert.notEqual(v1.properties.version, v2.properties.version);
    const parsed = parseKeyVaultSecretIdentifier(v2.properties.id!);
    assert.equal(parsed.name, 'app-secret');
    assert.equal(parsed.version, v2.properties.version);
    assert.equal(parsed.vaultUrl, vaultUrl.replace(/\/$/, ''));
    assert.equal((await client.getSecret('app-secret')).value, 'two');
    const old = await client.getSecret('app-secret', { version: v1.properties.version! });
    assert.equal(old.value, 'one');
    assert.equal(old.properties.contentType, 'text/plain');
    assert.deepEqual(old.properties.tags, { env: 'dev' });
    const versions = await all(client.listPropertiesOfSecretVersions('app-secret'));
    assert.deepEqual(versions.map((v) => v.version).sort(), [v1.properties.version, v2.properties.version].sort());
    const names = await all(client.listPropertiesOfSecrets());
    assert.deepEqual(names.map((s) => s.name).sort(), ['app-secret', SCENARIO.secret].sort());
    assert.equal(v2.properties.recoveryLevel, 'Recoverable', 'purge-protected vault');
  });

  it('answers a missing secret with SecretNotFound and a bad name with BadParameter', async () => {
    const missing = await restError(client.getSecret('nope'));
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.code, 'SecretNotFound');
    const bad = await restError(client.setSecret('bad_name', 'x'));
    assert.equal(bad.statusCode, 400);
  });

  it('pages secret versions with an absolute nextLink on the vault host', async () => {
    for (let i = 0; i < 30; i++) await client.setSecret('many', `v${i}`);
    const versions = await all(client.listPropertiesOfSecretVersions('many'));
    assert.equal(versions.length, 30);
  });
});
