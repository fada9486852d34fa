import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SCENARIO } from '../../../src/sandbox/scenario';
import { rawRequest, startHarness, type Harness } from './sandboxClients';

type Body = Record<string, unknown>;

/** The sandbox's minimal Microsoft Graph v1.0, driven over HTTPS with tokens from its Entra ID. */
describe('sandbox Microsoft Graph', () => {
  let h: Harness;
  let auth: Record<string, string>;
  const get = async (path: string, headers = auth) => {
    const res = await rawRequest(h.sandbox, 'GET', path, { headers });
    return { status: res.status, body: res.json() as Body, headers: res.headers };
  };

  before(async () => {
    h = await startHarness({ knobs: { pageSize: 2 } });
    // The scope the Azure CLI asks for: Graph's resource ID with its trailing slash, then `/.default`.
    auth = { authorization: `Bearer ${(await h.credential.getToken('https://graph.microsoft.com//.default'))!.token}` };
  });
  after(async () => {
    await h.sandbox.close();
  });

  it('finds a managed identity by appId and by servicePrincipalNames/any, and by id', async () => {
    const identity = Object.values(h.sandbox.state().identities).find((i) => i.name === SCENARIO.workingIdentity)!;
    const byAppId = await get(
      `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${identity.clientId}'`)}`,
    );
    assert.equal(byAppId.status, 200);
    assert.equal(byAppId.body['@odata.context'], `${h.sandbox.origin}/v1.0/$metadata#servicePrincipals`);
    const [sp] = byAppId.body.value as Body[];
    assert.equal(sp!.id, identity.principalId);
    assert.equal(sp!.servicePrincipalType, 'ManagedIdentity');
    assert.deepEqual(sp!.alternativeNames, ['isExplicit=True', identity.id]);
    const bySpn = await get(
      `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`servicePrincipalNames/any(x:x eq '${identity.clientId}')`)}`,
    );
    assert.deepEqual(
      (bySpn.body.value as Body[]).map((o) => o.id),
      [identity.principalId],
    );
    const one = await get(`/v1.0/servicePrincipals/${identity.principalId}?$select=id,appId`);
    assert.deepEqual(one.body, {
      '@odata.context': `${h.sandbox.origin}/v1.0/$metadata#servicePrincipals/$entity`,
      id: identity.principalId,
      appId: identity.clientId,
    });
    const dev = await get(`/v1.0/servicePrincipals(appId='${h.sandbox.developer.clientId}')`);
    assert.equal(dev.body.servicePrincipalType, 'Application');
  });

  it('pages with an absolute @odata.nextLink', async () => {
    const ids: string[] = [];
    let next: string | undefined = '/v1.0/servicePrincipals';
    let pages = 0;
    while (next) {
      const res = await get(next);
      ids.push(...(res.body.value as Body[]).map((o) => String(o.id)));
      next = res.body['@odata.nextLink'] as string | undefined;
      if (next) assert.ok(next.startsWith(`${h.sandbox.origin}/v1.0/servicePrincipals?`), next);
      pages++;
    }
    // The developer plus every user-assigned identity (kubelet identities included).
    assert.equal(ids.length, 1 + Object.keys(h.sandbox.state().identities).length);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(pages > 1);
  });

  it('users: none in the sandbox directory; getByIds resolves principals with their @odata.type', async () => {
    const users = await get(`/v1.0/users?$filter=${encodeURIComponent("userPrincipalName eq 'someone@example.com'")}`);
    assert.equal(users.status, 200);
    assert.deepEqual(users.body.value, []);
    const identity = Object.values(h.sandbox.state().identities)[0]!;
    const res = await rawRequest(h.sandbox, 'POST', '/v1.0/directoryObjects/getByIds', {
      headers: auth,
      body: {
        ids: [identity.principalId, '00000000-0000-0000-0000-000000000001', h.sandbox.developer.objectId],
        types: ['servicePrincipal'],
      },
    });
    assert.equal(res.status, 200);
    const value = (res.json() as { value: Body[] }).value;
    assert.deepEqual(
      value.map((o) => o.id),
      [identity.principalId, h.sandbox.developer.objectId],
    );
    assert.equal(value[0]!['@odata.type'], '#microsoft.graph.servicePrincipal');
  });

  it("Graph's errors: /me with an app token, unknown id, unsupported filter, wrong audience, no token", async () => {
    const me = await get('/v1.0/me');
    assert.equal(me.status, 400);
    const err = me.body.error as Body;
    assert.equal(err.code, 'BadRequest');
    assert.deepEqual(Object.keys(err.innerError as Body).sort(), ['client-request-id', 'date', 'request-id']);
    const missing = await get('/v1.0/servicePrincipals/00000000-0000-0000-0000-000000000009');
    assert.equal(missing.status, 404);
    assert.equal((missing.body.error as Body).code, 'Request_ResourceNotFound');
    const bad = await get(`/v1.0/servicePrincipals?$filter=${encodeURIComponent("notes eq 'x'")}`);
    assert.equal(bad.status, 400);
    assert.equal((bad.body.error as Body).code, 'Request_UnsupportedQuery');
    const armToken = (await h.credential.getToken('https://management.azure.com/.default'))!.token;
    const wrong = await get('/v1.0/servicePrincipals', { authorization: `Bearer ${armToken}` });
    assert.equal(wrong.status, 401);
    assert.deepEqual(
      [(wrong.body.error as Body).code, (wrong.body.error as Body).message],
      ['InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'],
    );
    const none = await get('/v1.0/servicePrincipals', {});
    assert.equal(none.status, 401);
    assert.equal((none.body.error as Body).message, 'Access token is empty.');
    // The single-slash scope works as well.
    const single = (await h.credential.getToken('https://graph.microsoft.com/.default'))!.token;
    assert.equal((await get('/v1.0/servicePrincipals', { authorization: `Bearer ${single}` })).status, 200);
  });
});
