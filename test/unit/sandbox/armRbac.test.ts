import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { ClientAssertionCredential } from '@azure/identity';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { startSandbox } from '../../../src/sandbox/server';
import type { SandboxState } from '../../../src/sandbox/state';
import {
  all,
  developerCredential,
  rawRequest,
  restError,
  serviceAccountToken,
  startHarness,
  type Harness,
} from './sandboxClients';

const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';

/** ARM authorization (src/sandbox/arm/access.ts) seen through the real SDK clients. */
describe('sandbox ARM: role-based authorization of management calls', () => {
  let h: Harness;
  let sub: string;
  let rgScope: string;
  let auth: AuthorizationManagementClient;
  let msi: ManagedServiceIdentityClient;
  const rg = SCENARIO.resourceGroup;
  const def = (guid: string) => `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

  /** An ARM client signed in as a managed identity, through the federated exchange of a ServiceAccount token. */
  const workloadCredential = (clientId: string, serviceAccount: string) =>
    new ClientAssertionCredential(
      h.sandbox.tenantId,
      clientId,
      () => serviceAccountToken(h.sandbox, SCENARIO.clusterWithIssuer, 'default', serviceAccount),
      {
        authorityHost: h.sandbox.authorityHost,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: h.sandbox.caPem },
      } as ConstructorParameters<typeof ClientAssertionCredential>[3],
    );
  const asWorkload = (clientId: string, serviceAccount: string) => {
    const credential = workloadCredential(clientId, serviceAccount);
    return {
      msi: new ManagedServiceIdentityClient(credential, sub, h.armOptions),
      auth: new AuthorizationManagementClient(credential, sub, h.armOptions),
    };
  };
  const identity = (name: string) => Object.values(h.sandbox.state().identities).find((i) => i.name === name)!;

  before(async () => {
    h = await startHarness();
    sub = h.sandbox.subscriptionId;
    rgScope = `/subscriptions/${sub}/resourceGroups/${rg}`;
    auth = new AuthorizationManagementClient(h.credential, sub, h.armOptions);
    msi = new ManagedServiceIdentityClient(h.credential, sub, h.armOptions);
  });
  after(async () => {
    await h.sandbox.close();
  });

  it('the developer holds Owner on the subscription and may do everything', async () => {
    const mine = await all(
      auth.roleAssignments.listForSubscription({ filter: `principalId eq '${h.sandbox.developer.objectId}'` }),
    );
    assert.ok(mine.some((a) => a.scope === `/subscriptions/${sub}` && a.roleDefinitionId!.endsWith(OWNER)));
    assert.ok((await all(msi.userAssignedIdentities.listBySubscription())).length >= 2);
  });

  it("a workload identity with only a data-plane role gets 403 AuthorizationFailed, in ARM's words", async () => {
    const demo = identity(SCENARIO.workingIdentity);
    const wl = asWorkload(demo.clientId, SCENARIO.serviceAccount);
    const e = await restError(all(wl.msi.userAssignedIdentities.listBySubscription()));
    assert.equal(e.statusCode, 403);
    assert.equal(e.code, 'AuthorizationFailed');
    assert.equal(
      e.message,
      `The client '${demo.principalId}' with object id '${demo.principalId}' does not have authorization to perform action 'Microsoft.ManagedIdentity/userAssignedIdentities/read' over scope '/subscriptions/${sub}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
    const get = await restError(wl.msi.userAssignedIdentities.get(rg, SCENARIO.workingIdentity));
    assert.equal(get.statusCode, 403);
    assert.match(
      get.message,
      new RegExp(
        `over scope '/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${SCENARIO.workingIdentity}'`,
      ),
    );
    const missingGroup = await restError(wl.msi.userAssignedIdentities.get('rg-does-not-exist', 'x'));
    assert.equal(missingGroup.statusCode, 403, 'authorization comes before the resource-group check, as on ARM');
  });

  it('Reader at the resource group reads there, but neither writes nor reads the subscription; the RBAC delay applies', async () => {
    const demo = identity(SCENARIO.workingIdentity);
    h.sandbox.setKnobs({ rbacPropagationSeconds: 0.4 });
    try {
      await auth.roleAssignments.create(rgScope, randomUUID(), {
        roleDefinitionId: def(READER),
        principalId: demo.principalId,
        principalType: 'ServicePrincipal',
      });
      const wl = asWorkload(demo.clientId, SCENARIO.serviceAccount);
      assert.equal(
        (await restError(all(wl.msi.userAssignedIdentities.listByResourceGroup(rg)))).code,
        'AuthorizationFailed',
        'not yet propagated',
      );
      await new Promise((r) => setTimeout(r, 450));
      const listed = await all(wl.msi.userAssignedIdentities.listByResourceGroup(rg));
      assert.ok(listed.some((i) => i.name === SCENARIO.workingIdentity));
      assert.equal(
        (await wl.msi.userAssignedIdentities.get(rg, SCENARIO.brokenIdentity)).name,
        SCENARIO.brokenIdentity,
      );
      const fics = await all(wl.msi.federatedIdentityCredentials.list(rg, SCENARIO.workingIdentity));
      assert.equal(fics.length, 1, 'child resources are covered by the group scope');
      const write = await restError(
        wl.msi.userAssignedIdentities.createOrUpdate(rg, 'id-by-reader', { location: 'eastus' }),
      );
      assert.equal(write.statusCode, 403);
      assert.match(write.message, /perform action 'Microsoft\.ManagedIdentity\/userAssignedIdentities\/write'/);
      const bySub = await restError(all(wl.msi.userAssignedIdentities.listBySubscription()));
      assert.equal(bySub.statusCode, 403, 'a group-scoped role does not reach the subscription');
    } finally {
      h.sandbox.setKnobs({ rbacPropagationSeconds: 0 });
    }
  });

  it('the resource-group list shows each caller the groups it holds a role at, above or below; none at all is a 403', async () => {
    const other = 'rg-rbac-other';
    const developerToken = (await h.credential.getToken('https://management.azure.com/.default'))!.token;
    const put = await rawRequest(
      h.sandbox,
      'PUT',
      `/subscriptions/${sub}/resourcegroups/${other}?api-version=2021-04-01`,
      { headers: { authorization: `Bearer ${developerToken}` }, body: { location: 'eastus' } },
    );
    assert.equal(put.status, 201);
    const created = await msi.userAssignedIdentities.createOrUpdate(rg, 'id-rg-lister', { location: 'eastus' });
    const issuer = Object.values(h.sandbox.state().clusters).find(
      (c) => c.name === SCENARIO.clusterWithIssuer,
    )!.issuerUrl!;
    await msi.federatedIdentityCredentials.createOrUpdate(rg, 'id-rg-lister', 'fic-rg-lister', {
      issuer,
      subject: 'system:serviceaccount:default:rg-lister-sa',
      audiences: ['api://AzureADTokenExchange'],
    });
    const credential = workloadCredential(created.clientId!, 'rg-lister-sa');
    const groupsSeen = async (token: string) => {
      const res = await rawRequest(h.sandbox, 'GET', `/subscriptions/${sub}/resourcegroups?api-version=2021-04-01`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return {
        status: res.status,
        body: res.json() as { value?: Array<{ name: string }>; error?: { code: string; message: string } },
      };
    };
    const names = (r: Awaited<ReturnType<typeof groupsSeen>>) => (r.body.value ?? []).map((g) => g.name).sort();
    const workloadToken = async () => (await credential.getToken('https://management.azure.com/.default'))!.token;

    const everything = await groupsSeen(developerToken);
    assert.ok(
      names(everything).includes(rg) && names(everything).includes(other),
      'Owner at the subscription sees every group',
    );

    const none = await groupsSeen(await workloadToken());
    assert.equal(none.status, 403, 'no role anywhere in the subscription: refused, not an empty list');
    assert.equal(none.body.error?.code, 'AuthorizationFailed');
    assert.match(
      none.body.error?.message ?? '',
      /perform action 'Microsoft\.Resources\/subscriptions\/resourceGroups\/read' over scope '\/subscriptions\/[^/']+'/,
    );

    await auth.roleAssignments.create(`/subscriptions/${sub}/resourceGroups/${other}`, randomUUID(), {
      roleDefinitionId: def(READER),
      principalId: created.principalId!,
      principalType: 'ServicePrincipal',
    });
    const one = await groupsSeen(await workloadToken());
    assert.equal(one.status, 200);
    assert.deepEqual(names(one), [other], 'Reader at one group lists that group only');

    // A role on a resource inside a group makes the group visible too, as in the portal.
    await auth.roleAssignments.create(created.id!, randomUUID(), {
      roleDefinitionId: def(READER),
      principalId: created.principalId!,
      principalType: 'ServicePrincipal',
    });
    assert.deepEqual(names(await groupsSeen(await workloadToken())), [rg, other].sort());
  });

  it('Contributor writes resources but not role assignments (notActions Microsoft.Authorization/*/Write)', async () => {
    const created = await msi.userAssignedIdentities.createOrUpdate(rg, 'id-contributor', { location: 'eastus' });
    const issuer = Object.values(h.sandbox.state().clusters).find(
      (c) => c.name === SCENARIO.clusterWithIssuer,
    )!.issuerUrl!;
    await msi.federatedIdentityCredentials.createOrUpdate(rg, 'id-contributor', 'fic-contributor', {
      issuer,
      subject: 'system:serviceaccount:default:contributor-sa',
      audiences: ['api://AzureADTokenExchange'],
    });
    await auth.roleAssignments.create(rgScope, randomUUID(), {
      roleDefinitionId: def(CONTRIBUTOR),
      principalId: created.principalId!,
      principalType: 'ServicePrincipal',
    });
    const wl = asWorkload(created.clientId!, 'contributor-sa');
    const made = await wl.msi.userAssignedIdentities.createOrUpdate(rg, 'id-by-contributor', { location: 'eastus' });
    assert.equal(made.name, 'id-by-contributor');
    await wl.msi.userAssignedIdentities.delete(rg, 'id-by-contributor');
    const assign = await restError(
      wl.auth.roleAssignments.create(rgScope, randomUUID(), {
        roleDefinitionId: def(READER),
        principalId: created.principalId!,
        principalType: 'ServicePrincipal',
      }),
    );
    assert.equal(assign.statusCode, 403);
    assert.match(assign.message, /perform action 'Microsoft\.Authorization\/roleAssignments\/write'/);
    const read = await all(wl.auth.roleAssignments.listForScope(rgScope, { filter: 'atScope()' }));
    assert.ok(read.length > 0, 'Contributor still reads role assignments');
  });
});

describe('sandbox ARM: the developer can work in every world', () => {
  it('holds Owner in the empty world', async () => {
    const sandbox = await startSandbox({ empty: true });
    try {
      const msi = new ManagedServiceIdentityClient(developerCredential(sandbox), sandbox.subscriptionId, {
        endpoint: sandbox.armEndpoint,
        tlsOptions: { ca: sandbox.caPem },
        credentialScopes: ['https://management.azure.com/.default'],
      });
      assert.deepEqual(await all(msi.userAssignedIdentities.listBySubscription()), []);
      const owners = Object.values(sandbox.state().roleAssignments).filter(
        (a) => a.roleDefinitionGuid === OWNER && a.principalId === sandbox.developer.objectId,
      );
      assert.equal(owners.length, 1);
    } finally {
      await sandbox.close();
    }
  });

  it('migrates a state file saved before ARM authorized calls (no Owner assignment, no marker)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kwi-rbac-'));
    const stateFile = join(dir, 'state.json');
    try {
      const first = await startSandbox({ stateFile });
      await first.close();
      const old = JSON.parse(readFileSync(stateFile, 'utf8')) as SandboxState;
      delete old.armRbac;
      for (const [k, a] of Object.entries(old.roleAssignments)) {
        if (a.roleDefinitionGuid === OWNER) delete old.roleAssignments[k];
      }
      writeFileSync(stateFile, JSON.stringify(old));

      const second = await startSandbox({ stateFile });
      try {
        const msi = new ManagedServiceIdentityClient(developerCredential(second), second.subscriptionId, {
          endpoint: second.armEndpoint,
          tlsOptions: { ca: second.caPem },
          credentialScopes: ['https://management.azure.com/.default'],
        });
        assert.ok((await all(msi.userAssignedIdentities.listBySubscription())).length >= 2);
        assert.equal(second.state().armRbac, true);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
