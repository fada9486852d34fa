// The explorer's loaders against the real sandbox over HTTPS, with the real SDK clients.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ClientSecretCredential } from '@azure/identity';
import { createArmClients, createArmConnection } from '../../../src/azure/clients';
import { AzureExplorerData } from '../../../src/azure/explorerData';
import { matchCredential, type KnownIssuer } from '../../../src/azure/federationMatch';
import { listFederatedCredentials, listIdentities } from '../../../src/azure/loaders';
import { listSubscriptions } from '../../../src/azure/subscriptions';
import type { RunningSandbox } from '../../../src/sandbox/server';
import { sandboxWithConnection } from './sandboxHarness';

const must = <T>(r: { ok: true; value: T } | { ok: false; error: { kind: string; message: string } }): T => {
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  return r.value;
};

describe('loaders against the sandbox (teaching scenario)', () => {
  let env: Awaited<ReturnType<typeof sandboxWithConnection>>;
  let sandbox: RunningSandbox;
  before(async () => {
    env = await sandboxWithConnection();
    sandbox = env.sandbox;
  });
  after(() => sandbox.close());

  it('lists the subscription, the clusters and the identities', async () => {
    const data = new AzureExplorerData(env.connect());
    const subs = must(await data.subscriptions());
    assert.deepEqual(
      subs.map((s) => [s.subscriptionId, s.displayName]),
      [[sandbox.subscriptionId, 'Sandbox subscription']],
    );
    const clusters = must(await data.clusters(sandbox.subscriptionId));
    const demo = clusters.find((c) => c.name === 'aks-wi-demo');
    const legacy = clusters.find((c) => c.name === 'aks-legacy');
    assert.ok(demo && legacy);
    assert.equal(demo.workloadIdentityEnabled, true);
    assert.match(demo.issuerUrl ?? '', new RegExp(`^${sandbox.origin}/oidc/eastus/${sandbox.tenantId}/[0-9a-f-]+/$`));
    assert.equal(legacy.issuerUrl, undefined);
    assert.equal(legacy.workloadIdentityEnabled, false);
    assert.ok(demo.kubelet?.objectId && demo.kubelet.clientId);
    const names = must(await data.identities(sandbox.subscriptionId)).map((i) => i.name);
    assert.ok(names.includes('id-wi-demo') && names.includes('id-wi-noslash'), names.join());
  });

  it('loads credentials and role assignments with role names and readable data', async () => {
    const data = new AzureExplorerData(env.connect());
    const sub = sandbox.subscriptionId;
    const demo = must(await data.identities(sub)).find((i) => i.name === 'id-wi-demo')!;
    const [cred] = must(await data.credentials(sub, demo));
    assert.equal(cred.name, 'fic-wi-demo');
    assert.equal(cred.subject, 'system:serviceaccount:default:workload-identity-sa');
    assert.deepEqual(cred.audiences, ['api://AzureADTokenExchange']);
    const roles = must(await data.roleAssignments(sub, demo.principalId));
    assert.deepEqual(
      roles.map((r) => [r.roleName, r.scope.split('/').pop(), r.risk]),
      [['Key Vault Secrets User', 'kv-wi-demo', 'dataPlane']],
    );
  });

  it('matches the credentials to the cluster issuers: the no-slash one is flagged', async () => {
    const data = new AzureExplorerData(env.connect());
    const sub = sandbox.subscriptionId;
    const known: KnownIssuer[] = must(await data.clusters(sub))
      .filter((c) => c.issuerUrl)
      .map((c) => ({ issuer: c.issuerUrl!, source: c.name }));
    const ids = must(await data.identities(sub));
    const credOf = async (name: string) =>
      must(
        await data.credentials(
          sub,
          ids.find((i) => i.name === name)!,
        ),
      )[0];
    assert.deepEqual(matchCredential(await credOf('id-wi-demo'), known).warnings, []);
    const broken = matchCredential(await credOf('id-wi-noslash'), known);
    assert.equal(broken.issuer, undefined);
    assert.deepEqual(
      broken.warnings.map((w) => w.kind),
      ['issuerTrailingSlash'],
    );
    assert.equal(broken.intended?.source, 'aks-wi-demo');
  });

  it('caches until invalidated, and a delete through the cache invalidates the list', async () => {
    const connection = env.connect();
    const data = new AzureExplorerData(connection);
    const sub = sandbox.subscriptionId;
    const ids = must(await data.identities(sub));
    const before = connection.stats.requests;
    must(await data.identities(sub));
    assert.equal(connection.stats.requests, before, 'second listing served from the cache');
    const clients = createArmClients({ credential: env.credential, subscriptionId: sub, connection });
    const id = ids.find((i) => i.name === 'id-wi-noslash')!;
    await clients.msi.federatedIdentityCredentials.createOrUpdate(id.resourceGroup, id.name, 'fic-extra', {
      issuer: 'https://example.com/issuer/',
      subject: 'system:serviceaccount:a:b',
      audiences: ['api://AzureADTokenExchange'],
    });
    assert.equal(must(await data.credentials(sub, id)).length, 2);
    must(await data.deleteCredential(sub, id, 'fic-extra'));
    assert.deepEqual(
      must(await data.credentials(sub, id)).map((c) => c.name),
      ['fic-wi-noslash'],
    );
  });

  it("flags a kubelet identity's broad and data-plane roles", async () => {
    const connection = env.connect();
    const data = new AzureExplorerData(connection);
    const sub = sandbox.subscriptionId;
    const kubelet = must(await data.clusters(sub)).find((c) => c.name === 'aks-wi-demo')!.kubelet!;
    const clients = createArmClients({ credential: env.credential, subscriptionId: sub, connection });
    const role = (guid: string) => `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
    const rg = `/subscriptions/${sub}/resourceGroups/rg-workload-identity`;
    await clients.authorization.roleAssignments.create(rg, randomUUID(), {
      roleDefinitionId: role('b24988ac-6180-42a0-ab88-20f7382dd24c'),
      principalId: kubelet.objectId!,
      principalType: 'ServicePrincipal',
    });
    await clients.authorization.roleAssignments.create(
      `${rg}/providers/Microsoft.KeyVault/vaults/kv-wi-demo`,
      randomUUID(),
      {
        roleDefinitionId: role('4633458b-17de-408a-b874-0445c86b69e6'),
        principalId: kubelet.objectId!,
        principalType: 'ServicePrincipal',
      },
    );
    await clients.authorization.roleAssignments.create(rg, randomUUID(), {
      roleDefinitionId: role('acdd72a7-3385-48ef-bd42-f606fba81ae7'),
      principalId: kubelet.objectId!,
      principalType: 'ServicePrincipal',
    });
    const roles = must(await data.roleAssignments(sub, kubelet.objectId!));
    assert.deepEqual(
      roles.map((r) => [r.roleName, r.risk]),
      [
        ['Contributor', 'broad'],
        ['Key Vault Secrets User', 'dataPlane'],
        ['Reader', undefined],
      ],
    );
  });

  it('reads the home tenant with the main connection and others with their own (one session per tenant)', async () => {
    const main = env.connect();
    const perTenant: string[] = [];
    const tenantConnection = env.connect();
    // As the home tenant: no per-tenant connection needed.
    const home = new AzureExplorerData(main, {
      connectionForTenant: (t) => {
        perTenant.push(t);
        return tenantConnection;
      },
    });
    assert.deepEqual(
      must(await home.subscriptions()).map((s) => [s.subscriptionId, s.tenantId]),
      [[sandbox.subscriptionId, sandbox.tenantId]],
    );
    assert.equal(perTenant.length, 0);
    assert.deepEqual(home.tenantsNeedingSignIn(), []);
    // As a foreign tenant of another home: its own connection lists and reads the subscription.
    const foreign = new AzureExplorerData(main, {
      homeTenantId: 'another-tenant',
      connectionForTenant: (t) => {
        perTenant.push(t);
        return tenantConnection;
      },
    });
    must(await foreign.subscriptions());
    assert.deepEqual([...new Set(perTenant)], [sandbox.tenantId]);
    const before = tenantConnection.stats.requests;
    must(await foreign.clusters(sandbox.subscriptionId));
    assert.equal(tenantConnection.stats.requests, before + 1, 'clusters read with the tenant connection');
    // A tenant without a session: listed as needing sign-in, not as a failure of the whole tree.
    const noSession = createArmConnection({
      credential: {
        getToken: async () => {
          throw Object.assign(new Error('no session'), { name: 'SessionRequiredError' });
        },
      },
      endpoint: sandbox.armEndpoint,
      tlsCa: sandbox.caPem,
    });
    const locked = new AzureExplorerData(main, {
      homeTenantId: 'another-tenant',
      connectionForTenant: () => noSession,
    });
    assert.deepEqual(must(await locked.subscriptions()), []);
    assert.deepEqual(
      locked.tenantsNeedingSignIn().map((t) => t.tenantId),
      [sandbox.tenantId],
    );
  });

  it('reports a missing identity as notFound, as a value', async () => {
    const clients = createArmClients({
      credential: env.credential,
      subscriptionId: sandbox.subscriptionId,
      connection: env.connect(),
    });
    const r = await listFederatedCredentials(clients, {
      id: 'x',
      name: 'id-does-not-exist',
      resourceGroup: 'rg-workload-identity',
    });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.kind, 'notFound');
    assert.equal(!r.ok && r.error.status, 404);
  });

  it('reports a refused sign-in as an expired session', async () => {
    const bad = new ClientSecretCredential(sandbox.tenantId, sandbox.developer.clientId, 'wrong-secret', {
      authorityHost: sandbox.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: sandbox.caPem },
    });
    const r = await new AzureExplorerData(
      createArmConnection({ credential: bad, endpoint: sandbox.armEndpoint, tlsCa: sandbox.caPem }),
    ).subscriptions();
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.kind, 'expiredSession');
  });

  it('reports an unreachable endpoint as a network error', async () => {
    const connection = createArmConnection({
      credential: env.credential,
      endpoint: 'https://127.0.0.1:1',
      tlsCa: sandbox.caPem,
      maxRetries: 0,
    });
    const r = await new AzureExplorerData(connection).subscriptions();
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.kind, 'network');
  });

  it('does not trust the sandbox without its CA (no process-wide TLS switch)', async () => {
    const connection = createArmConnection({
      credential: env.credential,
      endpoint: sandbox.armEndpoint,
      maxRetries: 0,
    });
    const r = await new AzureExplorerData(connection).subscriptions();
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.kind, 'network');
  });

  it('keeps at most `concurrency` requests in flight, across clients', async () => {
    sandbox.setKnobs({ latencyMs: 15 });
    try {
      const connection = env.connect({ concurrency: 3 });
      const data = new AzureExplorerData(connection);
      const sub = sandbox.subscriptionId;
      const ids = must(await data.identities(sub));
      await Promise.all(
        ids.flatMap((i) => [data.credentials(sub, i), data.roleAssignments(sub, i.principalId), data.clusters(sub)]),
      );
      assert.equal(connection.limiter.peak, 3);
    } finally {
      sandbox.setKnobs({ latencyMs: 0 });
    }
  });
});

describe('loaders against the sandbox at scale', () => {
  let env: Awaited<ReturnType<typeof sandboxWithConnection>>;
  before(async () => {
    env = await sandboxWithConnection({ scale: { identities: 230, ficsPerIdentity: 3, clusters: 3 } });
  });
  after(() => env.sandbox.close());

  it('follows nextLink to the end (identities span three pages)', async () => {
    const connection = env.connect();
    const clients = createArmClients({
      credential: env.credential,
      subscriptionId: env.sandbox.subscriptionId,
      connection,
    });
    const ids = must(await listIdentities(clients));
    // 230 generated + 2 teaching + 5 kubelet identities (5 clusters), 100 per page.
    assert.equal(ids.length, 237);
    assert.equal(new Set(ids.map((i) => i.id.toLowerCase())).size, ids.length);
    assert.equal(connection.stats.requests, 3);
    const subs = await listSubscriptions(connection);
    assert.equal(subs.length, 1);
  });

  it('still completes when the sandbox throttles, honouring Retry-After', async () => {
    env.sandbox.setKnobs({ throttleRate: 0.5, retryAfterSeconds: 1 });
    try {
      const connection = env.connect();
      const clients = createArmClients({
        credential: env.credential,
        subscriptionId: env.sandbox.subscriptionId,
        connection,
      });
      const started = Date.now();
      const ids = must(await listIdentities(clients));
      const elapsed = Date.now() - started;
      assert.equal(ids.length, 237);
      assert.ok(connection.stats.throttled >= 1, `throttled ${connection.stats.throttled}`);
      assert.equal(connection.stats.requests, 3 + connection.stats.throttled);
      // Each 429 is retried after its Retry-After (1 s), not at once.
      assert.ok(
        elapsed >= 1000 * connection.stats.throttled - 50,
        `${elapsed} ms for ${connection.stats.throttled} throttles`,
      );
    } finally {
      env.sandbox.setKnobs({ throttleRate: 0 });
    }
  });

  it('reports persistent throttling as a throttled error, after the retries', async () => {
    env.sandbox.setKnobs({ throttleRate: 1, retryAfterSeconds: 0 });
    try {
      const connection = env.connect({ maxRetries: 2 });
      const clients = createArmClients({
        credential: env.credential,
        subscriptionId: env.sandbox.subscriptionId,
        connection,
      });
      const r = await listIdentities(clients);
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.error.kind, 'throttled');
      assert.equal(connection.stats.requests, 3);
    } finally {
      env.sandbox.setKnobs({ throttleRate: 0, retryAfterSeconds: 1 });
    }
  });
});
