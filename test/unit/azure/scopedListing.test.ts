// Listings for a principal whose roles sit only on some resource groups (src/azure/scopedListing.ts),
// against the sandbox's ARM authorization, with the real SDK clients and a federated sign-in.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { ClientAssertionCredential } from '@azure/identity';
import {
  ARM_SCOPE,
  createArmClients,
  createArmConnection,
  type ArmClients,
  type ArmConnection,
} from '../../../src/azure/clients';
import { fail, type Errorable } from '../../../src/azure/errors';
import { AzureExplorerData } from '../../../src/azure/explorerData';
import { listClusters, listIdentities } from '../../../src/azure/loaders';
import { listResourceGroupNames } from '../../../src/azure/resourceGroups';
import { listClustersScoped, listIdentitiesScoped, listWithGroupFallback } from '../../../src/azure/scopedListing';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { rawRequest, serviceAccountToken } from '../sandbox/sandboxClients';
import { sandboxWithConnection } from './sandboxHarness';

const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const KEY_VAULT_SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';
/** Where the test principals live: none of them holds a role here, so it stays invisible to them. */
const PRINCIPALS_GROUP = 'rg-kwi-principals';

const must = <T>(r: Errorable<T>): T => {
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  return r.value;
};
const names = (items: ReadonlyArray<{ name: string }>) => items.map((i) => i.name);

describe('listings assembled from the resource groups a principal can read', () => {
  let env: Awaited<ReturnType<typeof sandboxWithConnection>>;
  let sub: string;
  let developer: ArmClients;
  let msi: ManagedServiceIdentityClient;
  let auth: AuthorizationManagementClient;
  let issuer: string;
  const rgScope = (rg: string) => `/subscriptions/${sub}/resourceGroups/${rg}`;

  const createGroup = async (name: string) => {
    const token = (await env.credential.getToken(ARM_SCOPE))!.token;
    const res = await rawRequest(
      env.sandbox,
      'PUT',
      `/subscriptions/${sub}/resourcegroups/${name}?api-version=2021-04-01`,
      { headers: { authorization: `Bearer ${token}` }, body: { location: 'eastus' } },
    );
    assert.ok(res.status === 200 || res.status === 201, res.text);
  };

  /**
   * A managed identity that signs in with a ServiceAccount token of the scenario's cluster (as in
   * test/unit/sandbox/armRbac.test.ts) and holds exactly `roles`; returns its own ARM connection.
   */
  const principal = async (
    name: string,
    roles: Array<[scope: string, roleGuid: string]>,
    concurrency?: number,
  ): Promise<ArmConnection> => {
    const created = await msi.userAssignedIdentities.createOrUpdate(PRINCIPALS_GROUP, name, { location: 'eastus' });
    await msi.federatedIdentityCredentials.createOrUpdate(PRINCIPALS_GROUP, name, `fic-${name}`, {
      issuer,
      subject: `system:serviceaccount:default:${name}-sa`,
      audiences: ['api://AzureADTokenExchange'],
    });
    for (const [scope, role] of roles) {
      await auth.roleAssignments.create(scope, randomUUID(), {
        roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${role}`,
        principalId: created.principalId!,
        principalType: 'ServicePrincipal',
      });
    }
    return asWorkload(created.clientId!, `${name}-sa`, concurrency);
  };
  const asWorkload = (clientId: string, serviceAccount: string, concurrency?: number): ArmConnection => {
    const credential = new ClientAssertionCredential(
      env.sandbox.tenantId,
      clientId,
      () => serviceAccountToken(env.sandbox, SCENARIO.clusterWithIssuer, 'default', serviceAccount),
      {
        authorityHost: env.sandbox.authorityHost,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: env.sandbox.caPem },
      } as ConstructorParameters<typeof ClientAssertionCredential>[3],
    );
    return createArmConnection({
      credential,
      endpoint: env.sandbox.armEndpoint,
      tlsCa: env.sandbox.caPem,
      concurrency,
    });
  };
  const clientsOf = (connection: ArmConnection) =>
    createArmClients({ credential: connection.credential, subscriptionId: sub, connection });
  /** The developer's (Owner's) view of a listing, cut to some groups: what the fallback must return. */
  const inGroups = <T extends { resourceGroup: string }>(items: T[], groups: string[]) =>
    items.filter((i) => groups.some((g) => g.toLowerCase() === i.resourceGroup.toLowerCase()));

  before(async () => {
    env = await sandboxWithConnection();
    sub = env.sandbox.subscriptionId;
    const options = {
      endpoint: env.sandbox.armEndpoint,
      tlsOptions: { ca: env.sandbox.caPem },
      credentialScopes: [ARM_SCOPE],
    };
    msi = new ManagedServiceIdentityClient(env.credential, sub, options);
    auth = new AuthorizationManagementClient(env.credential, sub, options);
    developer = clientsOf(env.connect());
    issuer = Object.values(env.sandbox.state().clusters).find((c) => c.name === SCENARIO.clusterWithIssuer)!.issuerUrl!;
    await createGroup(PRINCIPALS_GROUP);
  });
  after(() => env.sandbox.close());

  it('an Owner of the subscription gets the subscription-wide listing, unmarked', async () => {
    const ids = must(await listIdentitiesScoped(developer));
    assert.equal(ids.scope, 'subscription');
    assert.deepEqual(names(ids.items), names(must(await listIdentities(developer))));
    assert.equal(must(await listClustersScoped(developer)).scope, 'subscription');
  });

  it('a Reader on one resource group gets its identities and clusters, marked as read from 1 group', async () => {
    const reader = clientsOf(await principal('id-rg-reader', [[rgScope(SCENARIO.resourceGroup), READER]]));
    const bySub = await listIdentities(reader);
    assert.equal(!bySub.ok && bySub.error.kind, 'forbidden', 'precondition: the subscription-wide list is refused');

    const ids = must(await listIdentitiesScoped(reader));
    assert.equal(ids.scope, 'resourceGroups');
    assert.deepEqual(ids.scope === 'resourceGroups' && [ids.groupsRead, ids.groupsSkipped], [1, 0]);
    const expected = names(inGroups(must(await listIdentities(developer)), [SCENARIO.resourceGroup]));
    assert.ok(
      expected.includes(SCENARIO.workingIdentity) && expected.includes(SCENARIO.brokenIdentity),
      expected.join(),
    );
    assert.deepEqual(names(ids.items), expected);

    const clusters = must(await listClustersScoped(reader));
    assert.equal(clusters.scope, 'resourceGroups');
    assert.deepEqual(names(clusters.items), [SCENARIO.clusterWithout, SCENARIO.clusterWithIssuer]);
    assert.deepEqual(
      names(clusters.items),
      names(inGroups(must(await listClusters(developer)), [SCENARIO.resourceGroup])),
    );
    const demo = clusters.items.find((c) => c.name === SCENARIO.clusterWithIssuer)!;
    assert.equal(demo.issuerUrl, issuer, 'mapped like the subscription-wide listing');
    assert.equal(demo.subscriptionId, sub);
  });

  it('the explorer cache serves the fallback: identities() has the items, identityListing() says how', async () => {
    const connection = await principal('id-rg-cached', [[rgScope(SCENARIO.resourceGroup), READER]]);
    const data = new AzureExplorerData(connection);
    const listing = must(await data.identityListing(sub));
    assert.equal(listing.scope, 'resourceGroups');
    const requests = connection.stats.requests;
    assert.deepEqual(names(must(await data.identities(sub))), names(listing.items));
    assert.equal(connection.stats.requests, requests, 'identities() shares the cached listing');
    assert.equal(must(await data.clusterListing(sub)).scope, 'resourceGroups');
    assert.ok(must(await data.clusters(sub)).some((c) => c.name === SCENARIO.clusterWithIssuer));
  });

  it("a principal with no role at all still gets the subscription's 403", async () => {
    const nobody = clientsOf(await principal('id-no-role', []));
    for (const r of [await listIdentitiesScoped(nobody), await listClustersScoped(nobody)]) {
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.error.kind, 'forbidden');
      assert.equal(!r.ok && r.error.code, 'AuthorizationFailed');
    }
    const ids = await listIdentitiesScoped(nobody);
    // The subscription-level list's own denial, not the resource-group list's.
    assert.match(
      !ids.ok ? ids.error.message : '',
      /userAssignedIdentities\/read' over scope '\/subscriptions\/[^/']+'/,
    );
  });

  it('a group the principal sees but may not read is skipped; with no readable group the 403 stays', async () => {
    // Key Vault Secrets User on the vault: the group is listed (a role under it), its identities are not readable.
    const vault = Object.values(env.sandbox.state().vaults).find((v) => v.name === SCENARIO.vault)!;
    const dataPlaneOnly = clientsOf(await principal('id-data-plane', [[vault.id, KEY_VAULT_SECRETS_USER]]));
    assert.deepEqual(
      await listResourceGroupNames(dataPlaneOnly.connection, sub),
      [SCENARIO.resourceGroup],
      'precondition: the group is visible',
    );
    const r = await listIdentitiesScoped(dataPlaneOnly);
    assert.equal(!r.ok && r.error.kind, 'forbidden');
    assert.match(
      !r.ok ? r.error.message : '',
      /over scope '\/subscriptions\/[^/']+'/,
      'the original, subscription-level error',
    );
  });

  it('any other failure of a group fails the listing instead of hiding that group', async () => {
    const reader = clientsOf(await principal('id-rg-failing', [[rgScope(SCENARIO.resourceGroup), READER]]));
    const r = await listWithGroupFallback(
      reader,
      () => listIdentities(reader),
      () => Promise.resolve(fail({ kind: 'server', message: 'boom', status: 500 })),
    );
    assert.equal(!r.ok && r.error.kind, 'server');
  });

  it("follows the resource-group list across pages, fans out through the connection's limiter and counts skipped groups", async () => {
    const readable = ['rg-scoped-a', 'rg-scoped-b', 'rg-scoped-c'];
    for (const g of [...readable, 'rg-scoped-locked']) {
      await createGroup(g);
      await msi.userAssignedIdentities.createOrUpdate(g, `id-in-${g}`, { location: 'eastus' });
    }
    const connection = await principal(
      'id-many-groups',
      [
        [rgScope(SCENARIO.resourceGroup), READER],
        ...readable.map((g): [string, string] => [rgScope(g), READER]),
        [rgScope('rg-scoped-locked'), KEY_VAULT_SECRETS_USER],
      ],
      2,
    );
    const clients = clientsOf(connection);
    env.sandbox.setKnobs({ pageSize: 2, latencyMs: 10 });
    try {
      // Five visible groups, two per page: three pages.
      assert.deepEqual(
        (await listResourceGroupNames(connection, sub)).sort(),
        [SCENARIO.resourceGroup, ...readable, 'rg-scoped-locked'].sort(),
      );
      const ids = must(await listIdentitiesScoped(clients));
      assert.deepEqual(ids.scope === 'resourceGroups' && [ids.groupsRead, ids.groupsSkipped], [4, 1]);
      const expected = names(inGroups(must(await listIdentities(developer)), [SCENARIO.resourceGroup, ...readable]));
      assert.ok(expected.includes('id-in-rg-scoped-c'));
      assert.ok(!expected.includes('id-in-rg-scoped-locked'));
      assert.deepEqual(names(ids.items), expected);
      assert.equal(connection.limiter.peak, 2, 'the per-group lists ran side by side, two at a time');
    } finally {
      env.sandbox.setKnobs({ pageSize: 100, latencyMs: 0 });
    }
  });
});
