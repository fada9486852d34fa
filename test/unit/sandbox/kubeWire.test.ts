import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { projectedTokenFor } from '../../../src/sandbox/kube/podLog';
import { AUTH, rawRequest, startHarness, type Harness } from './kubeHarness';

/** Wire details no typed client exercises: YAML bodies, tables, events, OpenAPI, unknown paths, persistence. */
describe('sandbox Kubernetes API wire format', () => {
  let h: Harness;
  let server: string;
  const req = (path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
    rawRequest(h, `${server}${path}`, { ...init, headers: { ...AUTH, ...init.headers } });

  before(async () => {
    h = await startHarness([
      {
        name: 'aks-wi',
        oidc: true,
        workloadIdentity: true,
        // Stands in for the hook the server may install to act out a sample app.
        containerLog: (pod, container) =>
          container === 'talker' ? `hello from ${String((pod.metadata as { name: string }).name)}\n` : '',
      },
    ]);
    server = h.clusters['aks-wi']?.server ?? '';
  });
  after(() => h.close());

  it('accepts YAML request bodies (YAML 1.1 booleans, as sigs.k8s.io/yaml)', async () => {
    const yaml =
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: yaml-sa\n  annotations:\n    azure.workload.identity/client-id: "abc"\n';
    const res = await req('/api/v1/namespaces/default/serviceaccounts', {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: yaml,
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(
      res.json<{ metadata: { annotations: Record<string, string> } }>().metadata.annotations[
        'azure.workload.identity/client-id'
      ],
      'abc',
    );
    const unquoted =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    azure.workload.identity/use: yes\nspec:\n  containers: [{name: a, image: b}]\n';
    const bad = await req('/api/v1/namespaces/default/pods', {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: unquoted,
    });
    assert.equal(bad.status, 400);
    assert.equal(
      bad.json<{ message: string }>().message,
      'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string',
    );
  });

  it('returns typed lists whose items carry no apiVersion/kind, and single objects that do', async () => {
    const list = (await req('/api/v1/namespaces/default/serviceaccounts')).json<{
      kind: string;
      apiVersion: string;
      items: Record<string, unknown>[];
    }>();
    assert.equal(list.kind, 'ServiceAccountList');
    assert.equal(list.apiVersion, 'v1');
    assert.ok(list.items.length > 0);
    assert.ok(list.items.every((i) => !('kind' in i) && !('apiVersion' in i)));
    const one = (await req('/api/v1/namespaces/default/serviceaccounts/default')).json<{
      kind: string;
      apiVersion: string;
    }>();
    assert.deepEqual([one.apiVersion, one.kind], ['v1', 'ServiceAccount']);
  });

  it('serves Table responses for kubectl get, with the API server columns', async () => {
    await req('/api/v1/namespaces/default/pods', {
      method: 'POST',
      body: JSON.stringify({ metadata: { name: 'tbl' }, spec: { containers: [{ name: 'a', image: 'nginx:1.27' }] } }),
    });
    const res = await req('/api/v1/namespaces/default/pods?limit=500', {
      headers: {
        accept:
          'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
      },
    });
    const table = res.json<{
      kind: string;
      apiVersion: string;
      columnDefinitions: { name: string; priority: number }[];
      rows: { cells: unknown[]; object: { kind: string; metadata: { name: string } } }[];
    }>();
    assert.equal(table.kind, 'Table');
    assert.equal(table.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(
      table.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name),
      ['Name', 'Ready', 'Status', 'Restarts', 'Age'],
    );
    assert.deepEqual(table.rows[0]?.cells.slice(0, 4), ['tbl', '1/1', 'Running', '0']);
    assert.equal(table.rows[0]?.object.kind, 'PartialObjectMetadata');
  });

  it('lists synthetic pod events with field selectors (kubectl describe)', async () => {
    const res = await req(
      '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dtbl,involvedObject.namespace%3Ddefault',
    );
    const events = res.json<{ kind: string; items: { reason: string; involvedObject: { name: string } }[] }>();
    assert.equal(events.kind, 'EventList');
    assert.deepEqual(
      events.items.map((e) => e.reason),
      ['Scheduled', 'Pulled', 'Created', 'Started'],
    );
    const none = (await req('/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dother')).json<{
      items: unknown[];
    }>();
    assert.deepEqual(none.items, []);
  });

  it('publishes OpenAPI v3 with fieldValidation on PATCH so kubectl relies on the server', async () => {
    const index = (await req('/openapi/v3')).json<{ paths: Record<string, { serverRelativeURL: string }> }>();
    const rel = index.paths['api/v1']?.serverRelativeURL ?? '';
    assert.match(rel, /^\/k8s\/[0-9a-f-]+\/openapi\/v3\/api\/v1\?hash=[0-9A-F]+$/);
    const doc = (await rawRequest(h, `${h.origin}${rel}`, { headers: AUTH })).json<{
      paths: Record<
        string,
        { patch?: { parameters: { name: string }[]; 'x-kubernetes-group-version-kind': { kind: string } } }
      >;
    }>();
    const patch = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}']?.patch;
    assert.equal(patch?.['x-kubernetes-group-version-kind'].kind, 'Pod');
    assert.ok(patch?.parameters.some((p) => p.name === 'fieldValidation'));
  });

  it('applies fieldValidation: Strict fails, Warn (default) sends a Warning header', async () => {
    const body = JSON.stringify({ metadata: { name: 'fv-sa', annotation: { a: 'b' } } });
    const strict = await req('/api/v1/namespaces/default/serviceaccounts?fieldValidation=Strict', {
      method: 'POST',
      body,
    });
    assert.equal(strict.status, 400);
    assert.equal(
      strict.json<{ message: string }>().message,
      'ServiceAccount in version "v1" cannot be handled as a ServiceAccount: strict decoding error: unknown field "metadata.annotation"',
    );
    const warn = await req('/api/v1/namespaces/default/serviceaccounts', { method: 'POST', body });
    assert.equal(warn.status, 201);
    assert.equal(warn.headers.warning, '299 - "unknown field \\"metadata.annotation\\""');
  });

  it('streams watch events after resourceVersion until timeoutSeconds ends the watch', async () => {
    const list = (await req('/api/v1/namespaces/default/serviceaccounts')).json<{
      metadata: { resourceVersion: string };
    }>();
    const started = Date.now();
    const watching = req(
      `/api/v1/namespaces/default/serviceaccounts?watch=1&timeoutSeconds=2&resourceVersion=${list.metadata.resourceVersion}`,
    );
    await new Promise((r) => setTimeout(r, 300));
    await req('/api/v1/namespaces/default/serviceaccounts', {
      method: 'POST',
      body: JSON.stringify({ metadata: { name: 'watched-sa' } }),
    });
    await new Promise((r) => setTimeout(r, 300));
    await req('/api/v1/namespaces/default/serviceaccounts/watched-sa', { method: 'DELETE' });
    const changed = await watching;
    assert.ok(Date.now() - started >= 1900, 'the watch stayed open until its timeout');
    assert.equal(changed.headers['transfer-encoding'], 'chunked');
    const events = changed.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; object: { kind: string; metadata: { name: string } } });
    assert.deepEqual(
      events.map((e) => [e.type, e.object.kind, e.object.metadata.name]),
      [
        ['ADDED', 'ServiceAccount', 'watched-sa'],
        ['DELETED', 'ServiceAccount', 'watched-sa'],
      ],
    );
  });

  it('answers access reviews as for a cluster-admin local account', async () => {
    const ssar = await req('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      method: 'POST',
      body: JSON.stringify({
        spec: { resourceAttributes: { verb: 'create', resource: 'pods', namespace: 'default' } },
      }),
    });
    assert.equal(ssar.status, 201);
    assert.equal(ssar.json<{ status: { allowed: boolean } }>().status.allowed, true);
    const groups = (await req('/apis')).json<{ groups: { name: string }[] }>();
    assert.deepEqual(
      groups.groups.map((g) => g.name),
      ['apps', 'batch', 'admissionregistration.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io'],
    );
  });

  it('serves container logs from the hook (empty without one) with the API server checks', async () => {
    await req('/api/v1/namespaces/default/pods', {
      method: 'POST',
      body: JSON.stringify({
        metadata: { name: 'two' },
        spec: {
          containers: [
            { name: 'talker', image: 'x' },
            { name: 'quiet', image: 'y' },
          ],
        },
      }),
    });
    const talker = await req('/api/v1/namespaces/default/pods/two/log?container=talker');
    assert.equal(talker.status, 200);
    assert.equal(talker.text, 'hello from two\n');
    assert.equal((await req('/api/v1/namespaces/default/pods/two/log?container=quiet')).text, '');
    const which = await req('/api/v1/namespaces/default/pods/two/log');
    assert.equal(which.status, 400);
    assert.equal(
      which.json<{ message: string }>().message,
      'a container name must be specified for pod two, choose one of: [talker quiet]',
    );
    assert.equal((await req('/api/v1/namespaces/default/pods/ghost/log')).status, 404);
  });

  it('computes the projected token a webhook-mutated container would read', async () => {
    await req('/api/v1/namespaces/default/serviceaccounts', {
      method: 'POST',
      body: JSON.stringify({ metadata: { name: 'wi', annotations: { 'azure.workload.identity/client-id': 'c' } } }),
    });
    const res = await req('/api/v1/namespaces/default/pods', {
      method: 'POST',
      body: JSON.stringify({
        metadata: {
          name: 'wi-pod',
          labels: { 'azure.workload.identity/use': 'true' },
          annotations: { 'azure.workload.identity/service-account-token-expiration': '7200' },
        },
        spec: { serviceAccountName: 'wi', containers: [{ name: 'app', image: 'x' }] },
      }),
    });
    assert.equal(res.status, 201, res.text);
    const ctx = h.clusters['aks-wi']?.ctx;
    assert.ok(ctx);
    const pod = ctx.kube.pods.default?.['wi-pod'];
    assert.ok(pod);
    const token = projectedTokenFor(ctx, pod, 'app') ?? '';
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      aud: string[];
      sub: string;
      exp: number;
      iat: number;
      iss: string;
      'kubernetes.io': { pod: { name: string } };
    };
    assert.deepEqual(claims.aud, ['api://AzureADTokenExchange']);
    assert.equal(claims.sub, 'system:serviceaccount:default:wi');
    assert.equal(claims.iss, ctx.issuerUrl);
    assert.equal(claims.exp - claims.iat, 7200);
    assert.equal(claims['kubernetes.io'].pod.name, 'wi-pod');
    assert.equal(
      projectedTokenFor(ctx, ctx.kube.pods.default?.two ?? {}, 'talker'),
      undefined,
      'no token file without the webhook',
    );
  });

  it('answers unknown paths and verbs like the API server', async () => {
    // apps/v1 workloads and batch/v1 Jobs are served; other kinds and groups are not.
    assert.equal((await req('/apis/apps/v1/statefulsets')).status, 200);
    assert.equal((await req('/apis/batch/v1/jobs')).status, 200);
    const res = await req('/apis/apps/v1/controllerrevisions');
    assert.equal(res.status, 404);
    assert.equal((await req('/apis/batch/v1/cronjobs')).status, 404);
    assert.deepEqual(res.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server could not find the requested resource',
      reason: 'NotFound',
      details: {},
      code: 404,
    });
    const verb = await req('/api/v1/pods', { method: 'POST', body: '{}' });
    assert.equal(verb.status, 405);
    assert.equal(verb.json<{ reason: string }>().reason, 'MethodNotAllowed');
  });

  it('persists after every write and keeps the state JSON-serializable', async () => {
    const ctx = h.clusters['aks-wi']?.ctx;
    assert.ok(ctx);
    const before = ctx.persists;
    await req('/api/v1/namespaces/default/serviceaccounts', {
      method: 'POST',
      body: JSON.stringify({ metadata: { name: 'persist-sa' } }),
    });
    assert.equal(ctx.persists, before + 1);
    await req('/api/v1/namespaces/default/serviceaccounts/persist-sa');
    assert.equal(ctx.persists, before + 1, 'reads do not persist');
    assert.deepEqual(JSON.parse(JSON.stringify(ctx.kube)), ctx.kube);
  });
});
