import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type * as k8s from '@kubernetes/client-node';
import { coreApi, expectStatus, patchAs } from './kubeClient';
import { rawRequest, startSandboxTarget, type KubeTarget } from './kubeHarness';

/** The sandbox Kubernetes API (through the real sandbox server) driven by @kubernetes/client-node over HTTPS with the sandbox CA. */
describe('sandbox Kubernetes API with client-node', () => {
  let h: KubeTarget;
  let api: k8s.CoreV1Api;

  before(async () => {
    h = await startSandboxTarget();
    api = coreApi(h, 'aks-wi-demo');
  });
  after(() => h.close());

  const sa = (name: string, extra: Partial<k8s.V1ObjectMeta> = {}): k8s.V1ServiceAccount => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, ...extra },
  });

  it('starts with the namespaces and default ServiceAccounts of a new cluster', async () => {
    const ns = await api.listNamespace();
    assert.deepEqual(
      ns.items.map((n) => n.metadata?.name),
      ['default', 'kube-node-lease', 'kube-public', 'kube-system'],
    );
    assert.equal(ns.items[0]?.status?.phase, 'Active');
    assert.equal(ns.items[0]?.metadata?.labels?.['kubernetes.io/metadata.name'], 'default');
    const all = await api.listServiceAccountForAllNamespaces();
    assert.deepEqual(
      all.items.map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`),
      ['default/default', 'kube-node-lease/default', 'kube-public/default', 'kube-system/default'],
    );
  });

  it('creates, reads, lists and deletes a ServiceAccount with server-set metadata', async () => {
    const created = await api.createNamespacedServiceAccount({
      namespace: 'default',
      body: sa('crud-sa', { annotations: { 'azure.workload.identity/client-id': 'abc' } }),
    });
    assert.match(created.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
    assert.match(String(created.metadata?.resourceVersion), /^\d+$/);
    assert.ok(created.metadata?.creationTimestamp instanceof Date);
    assert.equal(created.metadata?.namespace, 'default');
    assert.equal(created.metadata?.managedFields?.[0]?.manager !== undefined, true);
    const read = await api.readNamespacedServiceAccount({ name: 'crud-sa', namespace: 'default' });
    assert.equal(read.metadata?.annotations?.['azure.workload.identity/client-id'], 'abc');
    const list = await api.listNamespacedServiceAccount({ namespace: 'default' });
    assert.ok(list.items.some((s) => s.metadata?.name === 'crud-sa'));
    assert.match(String(list.metadata?.resourceVersion), /^\d+$/);
    const dup = await expectStatus(
      api.createNamespacedServiceAccount({ namespace: 'default', body: sa('crud-sa') }),
      409,
      'AlreadyExists',
    );
    assert.equal(dup.message, 'serviceaccounts "crud-sa" already exists');
    assert.deepEqual(dup.details, { name: 'crud-sa', kind: 'serviceaccounts' });
    await api.deleteNamespacedServiceAccount({ name: 'crud-sa', namespace: 'default' });
    const gone = await expectStatus(
      api.readNamespacedServiceAccount({ name: 'crud-sa', namespace: 'default' }),
      404,
      'NotFound',
    );
    assert.equal(gone.message, 'serviceaccounts "crud-sa" not found');
    assert.deepEqual(gone.details, { name: 'crud-sa', kind: 'serviceaccounts' });
  });

  it('refuses objects in a namespace that does not exist', async () => {
    const s = await expectStatus(
      api.createNamespacedServiceAccount({ namespace: 'nowhere', body: sa('x') }),
      404,
      'NotFound',
    );
    assert.equal(s.message, 'namespaces "nowhere" not found');
  });

  it('creates a namespace with its default ServiceAccount, and protects the system namespaces', async () => {
    await api.createNamespace({ body: { metadata: { name: 'team-a', labels: { team: 'a' } } } });
    const sas = await api.listNamespacedServiceAccount({ namespace: 'team-a' });
    assert.deepEqual(
      sas.items.map((s) => s.metadata?.name),
      ['default'],
    );
    const s = await expectStatus(api.deleteNamespace({ name: 'kube-system' }), 403, 'Forbidden');
    assert.equal(s.message, 'namespaces "kube-system" is forbidden: this namespace may not be deleted');
    const bad = await expectStatus(api.createNamespace({ body: { metadata: { name: 'Team_B' } } }), 422, 'Invalid');
    assert.match(
      bad.message,
      /^Namespace "Team_B" is invalid: metadata.name: Invalid value: "Team_B": a lowercase RFC 1123 label must consist of/,
    );
    await api.deleteNamespace({ name: 'team-a' });
    await expectStatus(api.readNamespace({ name: 'team-a' }), 404, 'NotFound');
  });

  it('enforces resourceVersion on update with a Conflict Status', async () => {
    const created = await api.createNamespacedServiceAccount({ namespace: 'default', body: sa('occ-sa') });
    const v1 = created.metadata?.resourceVersion;
    const updated = await api.replaceNamespacedServiceAccount({
      name: 'occ-sa',
      namespace: 'default',
      body: { ...created, metadata: { ...created.metadata, labels: { step: 'one' } } },
    });
    assert.notEqual(updated.metadata?.resourceVersion, v1);
    assert.equal(updated.metadata?.uid, created.metadata?.uid);
    const stale = { ...created, metadata: { ...created.metadata, labels: { step: 'two' } } };
    const s = await expectStatus(
      api.replaceNamespacedServiceAccount({ name: 'occ-sa', namespace: 'default', body: stale }),
      409,
      'Conflict',
    );
    assert.equal(
      s.message,
      'Operation cannot be fulfilled on serviceaccounts "occ-sa": the object has been modified; please apply your changes to the latest version and try again',
    );
    assert.deepEqual(s.details, { name: 'occ-sa', kind: 'serviceaccounts' });
    // A no-op update keeps the resourceVersion, as etcd is not written.
    const same = await api.replaceNamespacedServiceAccount({ name: 'occ-sa', namespace: 'default', body: updated });
    assert.equal(same.metadata?.resourceVersion, updated.metadata?.resourceVersion);
  });

  it('rejects a body whose name differs from the URL', async () => {
    const s = await expectStatus(
      api.replaceNamespacedServiceAccount({ name: 'occ-sa', namespace: 'default', body: sa('other') }),
      400,
      'BadRequest',
    );
    assert.equal(s.message, 'the name of the object (other) does not match the name on the URL (occ-sa)');
  });

  it('validates label values and keys like the API server (422 Invalid with causes)', async () => {
    const long = 'x'.repeat(64);
    const s = await expectStatus(
      api.createNamespacedServiceAccount({ namespace: 'default', body: sa('lbl-sa', { labels: { app: long } }) }),
      422,
      'Invalid',
    );
    assert.equal(
      s.message,
      `ServiceAccount "lbl-sa" is invalid: metadata.labels: Invalid value: "${long}": must be no more than 63 characters`,
    );
    assert.deepEqual(s.details, {
      name: 'lbl-sa',
      kind: 'ServiceAccount',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: `Invalid value: "${long}": must be no more than 63 characters`,
          field: 'metadata.labels',
        },
      ],
    });
    const spaced = await expectStatus(
      api.createNamespacedServiceAccount({
        namespace: 'default',
        body: sa('lbl-sa', { labels: { app: 'has space' } }),
      }),
      422,
      'Invalid',
    );
    assert.match(
      spaced.message,
      /metadata.labels: Invalid value: "has space": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character/,
    );
    const key = await expectStatus(
      api.createNamespacedServiceAccount({ namespace: 'default', body: sa('lbl-sa', { labels: { 'bad key': 'v' } }) }),
      422,
      'Invalid',
    );
    assert.match(
      key.message,
      /metadata.labels: Invalid value: "bad key": name part must consist of alphanumeric characters/,
    );
    const two = await expectStatus(
      api.createNamespacedServiceAccount({ namespace: 'default', body: sa('Bad_Name', { labels: { a: '-x' } }) }),
      422,
      'Invalid',
    );
    assert.match(
      two.message,
      /^ServiceAccount "Bad_Name" is invalid: \[metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain .*, metadata.labels: Invalid value: "-x": a valid label/,
    );
    assert.equal(two.details?.causes?.length, 2);
  });

  it('filters lists with label selectors (=, !=, in, notin, exists, !) and field selectors', async () => {
    const mk = (name: string, labels: Record<string, string>) =>
      api.createNamespacedServiceAccount({ namespace: 'default', body: sa(name, { labels }) });
    await mk('sel-a', { tier: 'web', env: 'prod' });
    await mk('sel-b', { tier: 'db', env: 'prod' });
    await mk('sel-c', { tier: 'web' });
    const names = async (labelSelector?: string, fieldSelector?: string): Promise<string[]> =>
      (await api.listNamespacedServiceAccount({ namespace: 'default', labelSelector, fieldSelector })).items
        .map((s) => s.metadata?.name ?? '')
        .filter((n) => n.startsWith('sel-'));
    assert.deepEqual(await names('tier=web'), ['sel-a', 'sel-c']);
    assert.deepEqual(await names('tier==web,env=prod'), ['sel-a']);
    assert.deepEqual(await names('tier!=web'), ['sel-b']);
    assert.deepEqual(await names('tier in (db, web),env'), ['sel-a', 'sel-b']);
    assert.deepEqual(await names('tier notin (web)'), ['sel-b']);
    assert.deepEqual(await names('!env'), ['sel-c']);
    assert.deepEqual(await names(undefined, 'metadata.name=sel-b'), ['sel-b']);
    assert.deepEqual(await names(undefined, 'metadata.name!=sel-b'), ['sel-a', 'sel-c']);
    const s = await expectStatus(
      api.listNamespacedServiceAccount({ namespace: 'default', fieldSelector: 'spec.nope=x' }),
      400,
      'BadRequest',
    );
    assert.equal(s.message, 'field label not supported: spec.nope');
  });

  it('pages lists with limit and continue', async () => {
    const first = await api.listServiceAccountForAllNamespaces({ limit: 2 });
    assert.equal(first.items.length, 2);
    assert.ok(first.metadata?._continue);
    const second = await api.listServiceAccountForAllNamespaces({ limit: 100, _continue: first.metadata?._continue });
    const all = await api.listServiceAccountForAllNamespaces();
    assert.deepEqual(
      [...first.items, ...second.items].map((s) => s.metadata?.uid),
      all.items.map((s) => s.metadata?.uid),
    );
  });

  it('applies JSON merge patches (null deletes, lists replace)', async () => {
    await api.createNamespacedServiceAccount({
      namespace: 'default',
      body: sa('mp-sa', { labels: { a: '1', b: '2' } }),
    });
    const out = await api.patchNamespacedServiceAccount(
      {
        name: 'mp-sa',
        namespace: 'default',
        body: {
          metadata: { labels: { a: null, c: '3' }, annotations: { 'azure.workload.identity/client-id': 'cid' } },
        },
      },
      patchAs('application/merge-patch+json'),
    );
    assert.deepEqual(out.metadata?.labels, { b: '2', c: '3' });
    assert.equal(out.metadata?.annotations?.['azure.workload.identity/client-id'], 'cid');
  });

  it('applies strategic merge patches (lists merged by key, $patch: delete)', async () => {
    await api.createNamespacedServiceAccount({
      namespace: 'default',
      body: { ...sa('smp-sa'), imagePullSecrets: [{ name: 'one' }, { name: 'two' }] },
    });
    const added = await api.patchNamespacedServiceAccount(
      { name: 'smp-sa', namespace: 'default', body: { imagePullSecrets: [{ name: 'three' }] } },
      patchAs('application/strategic-merge-patch+json'),
    );
    assert.deepEqual(
      added.imagePullSecrets?.map((s) => s.name),
      ['one', 'two', 'three'],
    );
    const removed = await api.patchNamespacedServiceAccount(
      { name: 'smp-sa', namespace: 'default', body: { imagePullSecrets: [{ name: 'one', $patch: 'delete' }] } },
      patchAs('application/strategic-merge-patch+json'),
    );
    assert.deepEqual(
      removed.imagePullSecrets?.map((s) => s.name),
      ['two', 'three'],
    );
    // The same patch as a merge patch replaces the list.
    const merged = await api.patchNamespacedServiceAccount(
      { name: 'smp-sa', namespace: 'default', body: { imagePullSecrets: [{ name: 'solo' }] } },
      patchAs('application/merge-patch+json'),
    );
    assert.deepEqual(
      merged.imagePullSecrets?.map((s) => s.name),
      ['solo'],
    );
  });

  it('applies JSON patches, including test and optimistic resourceVersion', async () => {
    const created = await api.createNamespacedServiceAccount({
      namespace: 'default',
      body: sa('jp-sa', { labels: { a: '1' } }),
    });
    const out = await api.patchNamespacedServiceAccount(
      {
        name: 'jp-sa',
        namespace: 'default',
        body: [
          { op: 'test', path: '/metadata/labels/a', value: '1' },
          { op: 'add', path: '/metadata/annotations', value: { 'azure.workload.identity/client-id': 'x' } },
          { op: 'replace', path: '/metadata/labels/a', value: '2' },
        ],
      },
      patchAs('application/json-patch+json'),
    );
    assert.equal(out.metadata?.labels?.a, '2');
    assert.equal(out.metadata?.annotations?.['azure.workload.identity/client-id'], 'x');
    const failed = await expectStatus(
      api.patchNamespacedServiceAccount(
        { name: 'jp-sa', namespace: 'default', body: [{ op: 'test', path: '/metadata/labels/a', value: '1' }] },
        patchAs('application/json-patch+json'),
      ),
      422,
      'Invalid',
    );
    assert.equal(failed.message, 'the server rejected our request due to an error in our request');
    const stale = await expectStatus(
      api.patchNamespacedServiceAccount(
        {
          name: 'jp-sa',
          namespace: 'default',
          body: { metadata: { resourceVersion: created.metadata?.resourceVersion, labels: { a: '3' } } },
        },
        patchAs('application/merge-patch+json'),
      ),
      409,
      'Conflict',
    );
    assert.match(stale.message, /^Operation cannot be fulfilled on serviceaccounts "jp-sa"/);
  });

  it('server-side apply: creates, owns fields, reports conflicts, forces, and removes dropped fields', async () => {
    const applyCfg = (labels: Record<string, string>): k8s.V1ServiceAccount =>
      sa('ssa-sa', { namespace: 'default', labels });
    const ssa = patchAs('application/apply-patch+yaml');
    const created = await api.patchNamespacedServiceAccount(
      { name: 'ssa-sa', namespace: 'default', body: applyCfg({ app: 'demo', tier: 'web' }), fieldManager: 'tutorial' },
      ssa,
    );
    assert.deepEqual(created.metadata?.labels, { app: 'demo', tier: 'web' });
    const entry = created.metadata?.managedFields?.find((m) => m.manager === 'tutorial');
    assert.equal(entry?.operation, 'Apply');
    assert.deepEqual(entry?.fieldsV1, { 'f:metadata': { 'f:labels': { 'f:app': {}, 'f:tier': {} } } });
    // Another manager changes a field the applier owns.
    await api.patchNamespacedServiceAccount(
      {
        name: 'ssa-sa',
        namespace: 'default',
        body: { metadata: { labels: { app: 'other' } } },
        fieldManager: 'editor',
      },
      patchAs('application/merge-patch+json'),
    );
    const c = await expectStatus(
      api.patchNamespacedServiceAccount(
        {
          name: 'ssa-sa',
          namespace: 'default',
          body: applyCfg({ app: 'demo', tier: 'web' }),
          fieldManager: 'tutorial',
        },
        ssa,
      ),
      409,
      'Conflict',
    );
    assert.equal(c.message, 'Apply failed with 1 conflict: conflict with "editor" using v1: .metadata.labels.app');
    assert.deepEqual(c.details?.causes, [
      { reason: 'FieldManagerConflict', message: 'conflict with "editor" using v1', field: '.metadata.labels.app' },
    ]);
    const forced = await api.patchNamespacedServiceAccount(
      { name: 'ssa-sa', namespace: 'default', body: applyCfg({ app: 'demo' }), fieldManager: 'tutorial', force: true },
      ssa,
    );
    // `tier` was applied before and is no longer: removed. `app` is taken back by force.
    assert.deepEqual(forced.metadata?.labels, { app: 'demo' });
    assert.equal(
      forced.metadata?.managedFields?.some((m) => m.manager === 'editor'),
      false,
    );
    const missing = await expectStatus(
      api.patchNamespacedServiceAccount({ name: 'ssa-sa', namespace: 'default', body: applyCfg({}) }, ssa),
      422,
      'Invalid',
    );
    assert.equal(
      missing.message,
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
  });

  it('answers an unknown patch type with 415', async () => {
    const s = await expectStatus(
      api.patchNamespacedServiceAccount({ name: 'ssa-sa', namespace: 'default', body: {} }, patchAs('text/plain')),
      415,
      'UnsupportedMediaType',
    );
    assert.match(s.message, /^the body of the request was in an unknown format - accepted media types include/);
  });

  it('rejects a non-string label (an unquoted YAML true) at decoding', async () => {
    const body = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'bool-sa', labels: { 'azure.workload.identity/use': true } },
    } as unknown as k8s.V1ServiceAccount;
    const s = await expectStatus(api.createNamespacedServiceAccount({ namespace: 'default', body }), 400, 'BadRequest');
    assert.equal(
      s.message,
      'ServiceAccount in version "v1" cannot be handled as a ServiceAccount: json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string',
    );
  });

  it('deletes with preconditions', async () => {
    const created = await api.createNamespacedServiceAccount({ namespace: 'default', body: sa('pre-sa') });
    const s = await expectStatus(
      api.deleteNamespacedServiceAccount({
        name: 'pre-sa',
        namespace: 'default',
        body: { preconditions: { uid: 'not-it' } },
      }),
      409,
      'Conflict',
    );
    assert.equal(
      s.message,
      `Operation cannot be fulfilled on serviceaccounts "pre-sa": Precondition failed: UID in precondition: not-it, UID in object meta: ${created.metadata?.uid}`,
    );
    await api.deleteNamespacedServiceAccount({
      name: 'pre-sa',
      namespace: 'default',
      body: { preconditions: { uid: created.metadata?.uid } },
    });
  });

  it('honours dryRun=All', async () => {
    await api.createNamespacedServiceAccount({ namespace: 'default', body: sa('dry-sa'), dryRun: 'All' });
    await expectStatus(api.readNamespacedServiceAccount({ name: 'dry-sa', namespace: 'default' }), 404, 'NotFound');
  });

  it('serves version and discovery', async () => {
    const lib = (await import('./kubeClient')).clientNode();
    const kc = new lib.KubeConfig();
    kc.loadFromString(h.kubeconfig());
    const version = await kc.makeApiClient(lib.VersionApi).getCode();
    assert.equal(version.major, '1');
    assert.match(version.gitVersion, /^v1\.\d+\.\d+$/);
    const resources = await api.getAPIResources();
    const names = resources.resources.map((r) => r.name);
    for (const n of ['namespaces', 'pods', 'serviceaccounts', 'serviceaccounts/token']) assert.ok(names.includes(n), n);
  });

  it('answers 401 without a bearer token', async () => {
    const res = await rawRequest(h, `${h.server('aks-wi-demo')}/api/v1/namespaces`);
    assert.equal(res.status, 401);
    assert.deepEqual(res.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
  });
});
