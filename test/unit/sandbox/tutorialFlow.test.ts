import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { ClientAssertionCredential, WorkloadIdentityCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { signJwt } from '../../../src/sandbox/oidc/jwt';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { restError, serviceAccountToken, startHarness, type Harness } from './sandboxClients';

const SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';
const SECRETS_OFFICER = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7';

/**
 * Issue 3's proof of fidelity: the whole workload-identity tutorial with the real SDK clients,
 * then each broken link failing with the real service's error.
 */
describe('sandbox: the workload identity tutorial end to end', () => {
  let h: Harness;
  let msi: ManagedServiceIdentityClient;
  let aks: ContainerServiceClient;
  let auth: AuthorizationManagementClient;
  let kv: KeyVaultManagementClient;
  let issuer: string;
  let identity: { clientId: string; principalId: string };
  let vaultUrl: string;
  const rg = SCENARIO.resourceGroup;
  const subject = 'system:serviceaccount:default:app-sa';

  const assertionCredential = (clientId: string, getToken: () => Promise<string>) =>
    new ClientAssertionCredential(h.sandbox.tenantId, clientId, getToken, {
      authorityHost: h.sandbox.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: h.sandbox.caPem },
    } as ConstructorParameters<typeof ClientAssertionCredential>[3]);
  const secrets = (credential: ConstructorParameters<typeof SecretClient>[1]) =>
    new SecretClient(vaultUrl, credential, {
      disableChallengeResourceVerification: true,
      tlsOptions: { ca: h.sandbox.caPem },
      retryOptions: { maxRetries: 0 },
    } as ConstructorParameters<typeof SecretClient>[2]);

  before(async () => {
    h = await startHarness({ knobs: { lroSeconds: 0.2 } });
    const opts = { endpoint: h.sandbox.armEndpoint, tlsOptions: { ca: h.sandbox.caPem } };
    msi = new ManagedServiceIdentityClient(h.credential, h.sandbox.subscriptionId, h.armOptions);
    auth = new AuthorizationManagementClient(h.credential, h.sandbox.subscriptionId, h.armOptions);
    aks = new ContainerServiceClient(h.credential, h.sandbox.subscriptionId, opts);
    // arm-keyvault 5.0.0 defaults its scope to `${endpoint}/.default` (unlike arm-containerservice): pass the ARM scope.
    kv = new KeyVaultManagementClient(h.credential, h.sandbox.subscriptionId, {
      ...opts,
      credentials: { scopes: ['https://management.azure.com/.default'] },
    });
  });
  after(async () => {
    await h.sandbox.close();
  });

  it('1. a cluster with the OIDC issuer and workload identity', async () => {
    const cluster = await aks.managedClusters.createOrUpdate(
      rg,
      'aks-tutorial',
      {
        location: 'eastus',
        dnsPrefix: 'akstutorial',
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true } },
      },
      { updateIntervalInMs: 20 },
    );
    issuer = cluster.oidcIssuerProfile!.issuerURL!;
    assert.ok(issuer.endsWith('/'));
  });

  it('2. an identity and its federated credential', async () => {
    const created = await msi.userAssignedIdentities.createOrUpdate(rg, 'id-tutorial', { location: 'eastus' });
    identity = { clientId: created.clientId!, principalId: created.principalId! };
    await msi.federatedIdentityCredentials.createOrUpdate(rg, 'id-tutorial', 'fic-tutorial', {
      issuer,
      subject,
      audiences: ['api://AzureADTokenExchange'],
    });
  });

  it('3. an RBAC vault, the roles, and a secret', async () => {
    const vault = await kv.vaults.createOrUpdate(rg, 'kv-tutorial', {
      location: 'eastus',
      properties: {
        tenantId: h.sandbox.tenantId,
        sku: { family: 'A', name: 'standard' },
        enableRbacAuthorization: true,
        enablePurgeProtection: true,
      },
    });
    vaultUrl = vault.properties.vaultUri!;
    assert.match(vaultUrl, /^https:\/\/127\.0\.0\.1:\d+\/$/);
    const purge = await restError(
      kv.vaults.createOrUpdate(rg, 'kv-tutorial', {
        location: 'eastus',
        properties: {
          tenantId: h.sandbox.tenantId,
          sku: { family: 'A', name: 'standard' },
          enableRbacAuthorization: true,
          enablePurgeProtection: false,
        },
      }),
    );
    assert.equal(purge.statusCode, 400, 'purge protection cannot be turned off');
    const scope = vault.id!;
    const [officer] = await collect(
      auth.roleDefinitions.list(scope, { filter: "roleName eq 'Key Vault Secrets Officer'" }),
    );
    assert.equal(officer?.name, SECRETS_OFFICER);
    await auth.roleAssignments.create(scope, randomUUID(), {
      roleDefinitionId: officer!.id!,
      principalId: h.sandbox.developer.objectId,
      principalType: 'ServicePrincipal',
    });
    await auth.roleAssignments.create(scope, randomUUID(), {
      roleDefinitionId: `/subscriptions/${h.sandbox.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${SECRETS_USER}`,
      principalId: identity.principalId,
      principalType: 'ServicePrincipal',
    });
    const set = await secrets(h.credential).setSecret('db-password', 's3cr3t');
    assert.equal(set.name, 'db-password');
    assert.equal(set.properties.vaultUrl, vaultUrl.replace(/\/$/, ''));
    assert.match(set.properties.version ?? '', /^[0-9a-f]{32}$/);
  });

  it('4. token exchange with a TokenRequest token, then the secret read with the exchanged token', async () => {
    const credential = assertionCredential(identity.clientId, () =>
      serviceAccountToken(h.sandbox, 'aks-tutorial', 'default', 'app-sa'),
    );
    const secret = await secrets(credential).getSecret('db-password');
    assert.equal(secret.value, 's3cr3t');
  });

  it('4b. the same through WorkloadIdentityCredential and a token file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kwi-wi-'));
    try {
      const file = join(dir, 'azure-identity-token');
      writeFileSync(file, await serviceAccountToken(h.sandbox, 'aks-tutorial', 'default', 'app-sa'));
      const credential = new WorkloadIdentityCredential({
        tenantId: h.sandbox.tenantId,
        clientId: identity.clientId,
        tokenFilePath: file,
        authorityHost: h.sandbox.authorityHost,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: h.sandbox.caPem },
      } as ConstructorParameters<typeof WorkloadIdentityCredential>[0]);
      assert.equal((await secrets(credential).getSecret('db-password')).value, 's3cr3t');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('broken: credential issuer without its trailing slash → AADSTS70021 with the compared values', async () => {
    const broken = (await msi.userAssignedIdentities.get(rg, SCENARIO.brokenIdentity)).clientId!;
    const token = await serviceAccountToken(
      h.sandbox,
      SCENARIO.clusterWithIssuer,
      SCENARIO.namespace,
      SCENARIO.brokenServiceAccount,
    );
    const e = await restError(
      assertionCredential(broken, async () => token).getToken('https://vault.azure.net/.default'),
    );
    assert.match(
      e.message,
      /AADSTS70021: No matching federated identity record found for presented assertion\. Assertion Issuer: 'https:\/\/127\.0\.0\.1:\d+\/oidc\/.*\/'\. Assertion Subject: 'system:serviceaccount:default:noslash-sa'\. Assertion Audience: 'api:\/\/AzureADTokenExchange'/,
    );
  });

  it("the teaching scenario's working identity reads the teaching secret", async () => {
    const working = (await msi.userAssignedIdentities.get(rg, SCENARIO.workingIdentity)).clientId!;
    const token = await serviceAccountToken(
      h.sandbox,
      SCENARIO.clusterWithIssuer,
      SCENARIO.namespace,
      SCENARIO.serviceAccount,
    );
    const vault = await kv.vaults.get(rg, SCENARIO.vault);
    const client = new SecretClient(
      vault.properties.vaultUri!,
      assertionCredential(working, async () => token),
      { disableChallengeResourceVerification: true, tlsOptions: { ca: h.sandbox.caPem } } as ConstructorParameters<
        typeof SecretClient
      >[2],
    );
    assert.equal((await client.getSecret(SCENARIO.secret)).value, SCENARIO.secretValue);
  });

  it('broken: wrong subject → AADSTS700213; case-only → AADSTS7002138', async () => {
    const token = await serviceAccountToken(h.sandbox, 'aks-tutorial', 'default', 'other-sa');
    const e = await restError(
      assertionCredential(identity.clientId, async () => token).getToken('https://vault.azure.net/.default'),
    );
    assert.match(e.message, /AADSTS700213: .*subject 'system:serviceaccount:default:other-sa'/);
    // A credential whose subject differs from the token's only in case.
    const caseToken = await serviceAccountToken(h.sandbox, 'aks-tutorial', 'default', 'app-sa');
    await msi.userAssignedIdentities.createOrUpdate(rg, 'id-case', { location: 'eastus' });
    const caseId = (await msi.userAssignedIdentities.get(rg, 'id-case')).clientId!;
    await msi.federatedIdentityCredentials.createOrUpdate(rg, 'id-case', 'fic-case', {
      issuer,
      subject: 'system:serviceaccount:default:App-SA',
      audiences: ['api://AzureADTokenExchange'],
    });
    const e2 = await restError(
      assertionCredential(caseId, async () => caseToken).getToken('https://vault.azure.net/.default'),
    );
    assert.match(e2.message, /AADSTS7002138/);
  });

  it("broken: wrong audience → AADSTS700212; another cluster's issuer → AADSTS700211", async () => {
    const token = await serviceAccountToken(h.sandbox, 'aks-tutorial', 'default', 'app-sa', 'api://SomethingElse');
    const e = await restError(
      assertionCredential(identity.clientId, async () => token).getToken('https://vault.azure.net/.default'),
    );
    assert.match(e.message, /AADSTS700212: .*audience 'api:\/\/SomethingElse'/);
    const other = await serviceAccountToken(h.sandbox, SCENARIO.clusterWithIssuer, 'default', 'app-sa');
    const e2 = await restError(
      assertionCredential(identity.clientId, async () => other).getToken('https://vault.azure.net/.default'),
    );
    assert.match(e2.message, /AADSTS700211: .*issuer 'https:\/\/127\.0\.0\.1/);
  });

  it('broken: expired assertion → AADSTS700024; unreachable issuer → AADSTS90061', async () => {
    const cluster = Object.values(h.sandbox.state().clusters).find((c) => c.name === 'aks-tutorial')!;
    const now = Math.floor(Date.now() / 1000);
    const expired = signJwt(cluster.signingKey!, {
      aud: ['api://AzureADTokenExchange'],
      iss: issuer,
      sub: subject,
      iat: now - 7200,
      nbf: now - 7200,
      exp: now - 3600,
    });
    const e = await restError(
      assertionCredential(identity.clientId, async () => expired).getToken('https://vault.azure.net/.default'),
    );
    assert.match(e.message, /AADSTS700024: Client assertion is not within its valid time range/);
    // A credential naming the legacy cluster's issuer path: that cluster has no issuer enabled, so discovery 404s.
    const legacy = Object.values(h.sandbox.state().clusters).find((c) => c.name === SCENARIO.clusterWithout)!;
    const legacyIssuer = `${h.sandbox.origin}/oidc/eastus/${h.sandbox.tenantId}/${legacy.guid}/`;
    await msi.federatedIdentityCredentials.createOrUpdate(rg, 'id-tutorial', 'fic-legacy', {
      issuer: legacyIssuer,
      subject,
      audiences: ['api://AzureADTokenExchange'],
    });
    const forged = signJwt(cluster.signingKey!, {
      aud: ['api://AzureADTokenExchange'],
      iss: legacyIssuer,
      sub: subject,
      iat: now,
      nbf: now,
      exp: now + 600,
    });
    const e2 = await restError(
      assertionCredential(identity.clientId, async () => forged).getToken('https://vault.azure.net/.default'),
    );
    assert.match(e2.message, /AADSTS90061/);
  });

  it('broken: no role on the vault → 403 ForbiddenByRbac; RBAC propagation delay → 403 then success', async () => {
    await msi.userAssignedIdentities.createOrUpdate(rg, 'id-norole', { location: 'eastus' });
    const norole = await msi.userAssignedIdentities.get(rg, 'id-norole');
    await msi.federatedIdentityCredentials.createOrUpdate(rg, 'id-norole', 'fic-norole', {
      issuer,
      subject: 'system:serviceaccount:default:norole-sa',
      audiences: ['api://AzureADTokenExchange'],
    });
    const token = await serviceAccountToken(h.sandbox, 'aks-tutorial', 'default', 'norole-sa');
    const client = secrets(assertionCredential(norole.clientId!, async () => token));
    const e = await restError(client.getSecret('db-password'));
    assert.equal(e.statusCode, 403);
    assert.match(e.message, /Caller is not authorized to perform action on resource/);
    h.sandbox.setKnobs({ rbacPropagationSeconds: 0.4 });
    try {
      const vault = await kv.vaults.get(rg, 'kv-tutorial');
      await auth.roleAssignments.create(vault.id!, randomUUID(), {
        roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${SECRETS_USER}`,
        principalId: norole.principalId!,
        principalType: 'ServicePrincipal',
      });
      assert.equal((await restError(client.getSecret('db-password'))).statusCode, 403);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal((await client.getSecret('db-password')).value, 's3cr3t');
    } finally {
      h.sandbox.setKnobs({ rbacPropagationSeconds: 0 });
    }
  });

  it('federated credential propagation delay → AADSTS70021, then success', async () => {
    h.sandbox.setKnobs({ ficPropagationSeconds: 0.4 });
    try {
      await msi.userAssignedIdentities.createOrUpdate(rg, 'id-slow', { location: 'eastus' });
      const slow = await msi.userAssignedIdentities.get(rg, 'id-slow');
      await msi.federatedIdentityCredentials.createOrUpdate(rg, 'id-slow', 'fic-slow', {
        issuer,
        subject: 'system:serviceaccount:default:slow-sa',
        audiences: ['api://AzureADTokenExchange'],
      });
      const token = await serviceAccountToken(h.sandbox, 'aks-tutorial', 'default', 'slow-sa');
      const e = await restError(
        assertionCredential(slow.clientId!, async () => token).getToken('https://vault.azure.net/.default'),
      );
      assert.match(e.message, /AADSTS70021/);
      await new Promise((r) => setTimeout(r, 500));
      assert.ok(
        await assertionCredential(slow.clientId!, async () => token).getToken('https://vault.azure.net/.default'),
      );
    } finally {
      h.sandbox.setKnobs({ ficPropagationSeconds: 0 });
    }
  });
});

async function collect<T>(iter: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iter) out.push(x);
  return out;
}
