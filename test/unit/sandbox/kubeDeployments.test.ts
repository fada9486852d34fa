import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type * as k8s from '@kubernetes/client-node';
import { appsApi, coreApi, expectStatus, patchAs } from './kubeClient';
import { AUTH, rawRequest, startHarness, type Harness } from './kubeHarness';

/**
 * apps/v1 Deployments on the sandbox API server, driven by @kubernetes/client-node's AppsV1Api
 * (and raw HTTPS for what a typed client cannot send): discovery, CRUD, validation, the
 * deployment controller creating pods through the pod-create path (so the workload identity
 * webhook mutates or refuses them), scaling, rollouts and cascading deletion.
 */
const CLIENT_ID = '6f1c2b7e-3d4a-4c5b-8e9f-0a1b2c3d9f01';
const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';
const POD_NAME = (dep: string): RegExp => new RegExp(`^${dep}-${SAFE}{10}-${SAFE}{5}$`);

describe('sandbox apps/v1 Deployments with client-node', () => {
  let h: Harness;
  let apps: k8s.AppsV1Api;
  let core: k8s.CoreV1Api;
  const ns = 'default';

  before(async () => {
    h = await startHarness([{ name: 'wi', oidc: true, workloadIdentity: true }]);
    apps = appsApi(h, 'wi');
    core = coreApi(h, 'wi');
    await core.createNamespacedServiceAccount({
      namespace: ns,
      body: { metadata: { name: 'app-sa', annotations: { 'azure.workload.identity/client-id': CLIENT_ID } } },
    });
    await core.createNamespacedServiceAccount({
      namespace: ns,
      body: {
        metadata: {
          name: 'short-sa',
          annotations: { 'azure.workload.identity/service-account-token-expiration': '100' },
        },
      },
    });
  });
  after(() => h.close());

  const deployment = (
    name: string,
    opts: {
      replicas?: number;
      sa?: string;
      labels?: Record<string, string>;
      selector?: Record<string, string> | null;
      image?: string;
    } = {},
  ): k8s.V1Deployment => {
    const labels = opts.labels ?? { app: name, 'azure.workload.identity/use': 'true' };
    const spec: Record<string, unknown> = {
      replicas: opts.replicas ?? 2,
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: opts.sa ?? 'app-sa',
          containers: [{ name: 'main', image: opts.image ?? 'nginx:1.27' }],
        },
      },
    };
    if (opts.selector !== null) spec.selector = { matchLabels: opts.selector ?? { app: name } };
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, labels: { tier: 'web' } },
      spec: spec as unknown as k8s.V1DeploymentSpec,
    };
  };
  const podsOf = async (dep: string): Promise<k8s.V1Pod[]> =>
    (await core.listNamespacedPod({ namespace: ns, labelSelector: `app=${dep}` })).items;
  const get = (path: string, headers: Record<string, string> = {}) =>
    rawRequest(h, `${h.server('wi')}${path}`, { headers: { ...AUTH, ...headers } });

  it('is discoverable: /apis, /apis/apps, /apis/apps/v1 and the OpenAPI v3 document kubectl reads', async () => {
    const groups = (await get('/apis')).json<{
      groups: { name: string; preferredVersion: { groupVersion: string } }[];
    }>();
    assert.equal(groups.groups.find((g) => g.name === 'apps')?.preferredVersion.groupVersion, 'apps/v1');
    assert.equal((await get('/apis/apps')).json<{ kind: string }>().kind, 'APIGroup');
    const list = (await get('/apis/apps/v1')).json<{
      groupVersion: string;
      resources: { name: string; kind: string; group?: string; shortNames?: string[] }[];
    }>();
    assert.equal(list.groupVersion, 'apps/v1');
    assert.deepEqual(list.resources.find((r) => r.name === 'deployments')?.shortNames, ['deploy']);
    assert.equal(list.resources.find((r) => r.name === 'deployments/scale')?.group, 'autoscaling');
    const index = (await get('/openapi/v3')).json<{ paths: Record<string, { serverRelativeURL: string }> }>();
    const url = index.paths['apis/apps/v1']?.serverRelativeURL ?? '';
    assert.match(url, /\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
    const doc = (await rawRequest(h, `${h.origin}${url}`, { headers: AUTH })).json<{
      paths: Record<string, { patch?: { parameters: { name: string }[]; 'x-kubernetes-group-version-kind': unknown } }>;
    }>();
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']?.patch;
    assert.deepEqual(patch?.['x-kubernetes-group-version-kind'], { group: 'apps', kind: 'Deployment', version: 'v1' });
    assert.ok(patch?.parameters.some((p) => p.name === 'fieldValidation'));
  });

  it('creates a Deployment, defaults it, and its pods go through the workload identity webhook', async () => {
    const created = await apps.createNamespacedDeployment({ namespace: ns, body: deployment('web') });
    assert.equal(created.metadata?.generation, 1);
    assert.equal(created.spec?.strategy?.type, 'RollingUpdate');
    assert.equal(created.spec?.strategy?.rollingUpdate?.maxSurge, '25%');
    assert.equal(created.spec?.revisionHistoryLimit, 10);
    assert.equal(created.spec?.progressDeadlineSeconds, 600);
    assert.equal(created.spec?.template.spec?.dnsPolicy, 'ClusterFirst');
    assert.equal(created.spec?.template.spec?.containers[0]?.imagePullPolicy, 'IfNotPresent');
    const pods = await podsOf('web');
    assert.equal(pods.length, 2);
    for (const pod of pods) {
      assert.match(pod.metadata?.name ?? '', POD_NAME('web'));
      const hash = pod.metadata?.labels?.['pod-template-hash'] ?? '';
      assert.equal(pod.metadata?.name?.split('-')[1], hash);
      assert.equal(pod.metadata?.labels?.app, 'web');
      const owner = pod.metadata?.ownerReferences?.[0];
      assert.equal(owner?.kind, 'ReplicaSet');
      assert.equal(owner?.name, `web-${hash}`);
      assert.equal(owner?.controller, true);
      const env = Object.fromEntries((pod.spec?.containers[0]?.env ?? []).map((e) => [e.name, e.value]));
      assert.equal(env.AZURE_CLIENT_ID, CLIENT_ID);
      assert.equal(env.AZURE_TENANT_ID, h.tenantId);
      assert.match(
        env.AZURE_FEDERATED_TOKEN_FILE ?? '',
        /^\/var\/run\/secrets\/azure\/wi\/[0-9a-f]{30}\/token\/azure-identity-token$/,
      );
      const token = pod.spec?.volumes?.find((v) => v.name.startsWith('azure-workload-identity-reserved-'));
      assert.equal(token?.projected?.sources?.[0]?.serviceAccountToken?.audience, 'api://AzureADTokenExchange');
      assert.equal(pod.status?.phase, 'Running');
      assert.equal(pod.metadata?.managedFields?.[0]?.manager, 'kube-controller-manager');
    }
    const read = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
    assert.deepEqual(
      {
        replicas: read.status?.replicas,
        ready: read.status?.readyReplicas,
        available: read.status?.availableReplicas,
        updated: read.status?.updatedReplicas,
        observed: read.status?.observedGeneration,
      },
      { replicas: 2, ready: 2, available: 2, updated: 2, observed: 1 },
    );
    assert.deepEqual(
      read.status?.conditions?.map((c) => `${c.type}=${c.status}/${c.reason}`),
      ['Available=True/MinimumReplicasAvailable', 'Progressing=True/NewReplicaSetAvailable'],
    );
    assert.equal(read.metadata?.annotations?.['deployment.kubernetes.io/revision'], '1');
  });

  it('lists across and within namespaces, with label selectors, and prints server-side tables', async () => {
    await core.createNamespace({ body: { metadata: { name: 'team-b' } } });
    await apps.createNamespacedDeployment({
      namespace: 'team-b',
      body: {
        ...deployment('other', { replicas: 0, labels: { app: 'other' } }),
        metadata: { name: 'other', labels: { tier: 'batch' } },
      },
    });
    const all = await apps.listDeploymentForAllNamespaces();
    assert.deepEqual(
      all.items.map((d) => `${d.metadata?.namespace}/${d.metadata?.name}`),
      ['default/web', 'team-b/other'],
    );
    assert.deepEqual(
      (await apps.listDeploymentForAllNamespaces({ labelSelector: 'tier=batch' })).items.map((d) => d.metadata?.name),
      ['other'],
    );
    assert.deepEqual(
      (await apps.listNamespacedDeployment({ namespace: 'team-b', labelSelector: 'tier=web' })).items,
      [],
    );
    const table = (
      await get(`/apis/apps/v1/namespaces/${ns}/deployments`, {
        accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
      })
    ).json<{ columnDefinitions: { name: string; priority: number }[]; rows: { cells: unknown[] }[] }>();
    assert.deepEqual(
      table.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name),
      ['Name', 'Ready', 'Up-to-date', 'Available', 'Age'],
    );
    assert.deepEqual(table.rows[0]?.cells.slice(0, 4), ['web', '2/2', 2, 2]);
    assert.deepEqual(table.rows[0]?.cells.slice(5), ['main', 'nginx:1.27', 'app=web']);
  });

  it('scales through spec.replicas (merge patch) and the scale subresource', async () => {
    await apps.patchNamespacedDeployment(
      { name: 'web', namespace: ns, body: { spec: { replicas: 3 } } },
      patchAs('application/merge-patch+json'),
    );
    assert.equal((await podsOf('web')).length, 3);
    const scale = await apps.readNamespacedDeploymentScale({ name: 'web', namespace: ns });
    assert.equal(scale.spec?.replicas, 3);
    assert.equal(scale.status?.selector, 'app=web');
    await apps.patchNamespacedDeploymentScale(
      { name: 'web', namespace: ns, body: { spec: { replicas: 1 } } },
      patchAs('application/merge-patch+json'),
    );
    assert.equal((await podsOf('web')).length, 1);
    const read = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
    assert.equal(read.spec?.replicas, 1);
    assert.equal(read.status?.replicas, 1);
    assert.equal(read.metadata?.generation, 3);
    assert.equal(read.status?.observedGeneration, 3);
    await apps.patchNamespacedDeployment(
      { name: 'web', namespace: ns, body: [{ op: 'replace', path: '/spec/replicas', value: 2 }] },
      patchAs('application/json-patch+json'),
    );
    assert.equal((await podsOf('web')).length, 2);
  });

  it('replaces the pods when the template changes (strategic merge patch), as a rollout', async () => {
    const before = new Set((await podsOf('web')).map((p) => p.metadata?.name));
    const oldHash = (await podsOf('web'))[0]?.metadata?.labels?.['pod-template-hash'];
    await apps.patchNamespacedDeployment(
      {
        name: 'web',
        namespace: ns,
        body: { spec: { template: { spec: { containers: [{ name: 'main', image: 'nginx:1.28' }] } } } },
      },
      patchAs('application/strategic-merge-patch+json'),
    );
    const after = await podsOf('web');
    assert.equal(after.length, 2);
    assert.ok(after.every((p) => !before.has(p.metadata?.name) && p.spec?.containers[0]?.image === 'nginx:1.28'));
    assert.notEqual(after[0]?.metadata?.labels?.['pod-template-hash'], oldHash);
    const read = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
    assert.equal(read.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
    assert.equal(read.status?.updatedReplicas, 2);
  });

  it('server-side apply creates and updates a Deployment', async () => {
    const body = deployment('ssa', { replicas: 1 });
    const applied = await apps.patchNamespacedDeployment(
      { name: 'ssa', namespace: ns, body, fieldManager: 'tester' },
      patchAs('application/apply-patch+yaml'),
    );
    assert.equal(applied.metadata?.managedFields?.[0]?.manager, 'tester');
    assert.equal(applied.metadata?.managedFields?.[0]?.apiVersion, 'apps/v1');
    assert.equal((await podsOf('ssa')).length, 1);
    await apps.patchNamespacedDeployment(
      { name: 'ssa', namespace: ns, body: { ...body, spec: { ...body.spec, replicas: 2 } }, fieldManager: 'tester' },
      patchAs('application/apply-patch+yaml'),
    );
    assert.equal((await podsOf('ssa')).length, 2);
  });

  it('refuses a stale resourceVersion with a Conflict naming deployments.apps', async () => {
    const current = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
    const stale = { ...current, metadata: { ...current.metadata, resourceVersion: '1' } };
    const err = await expectStatus(
      apps.replaceNamespacedDeployment({ name: 'web', namespace: ns, body: stale }),
      409,
      'Conflict',
    );
    assert.equal(
      err.message,
      'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    );
    assert.deepEqual(err.details, { name: 'web', group: 'apps', kind: 'deployments' });
    const ok = await apps.replaceNamespacedDeployment({
      name: 'web',
      namespace: ns,
      body: { ...current, spec: { ...current.spec, replicas: 1 } as k8s.V1DeploymentSpec },
    });
    assert.equal(ok.spec?.replicas, 1);
  });

  it('validates the selector like the API server: required, matching the template, immutable', async () => {
    const mismatch = await expectStatus(
      apps.createNamespacedDeployment({
        namespace: ns,
        body: deployment('mismatch', { labels: { app: 'other', 'azure.workload.identity/use': 'true' } }),
      }),
      422,
      'Invalid',
    );
    assert.equal(
      mismatch.message,
      'Deployment.apps "mismatch" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other", "azure.workload.identity/use":"true"}: `selector` does not match template `labels`',
    );
    assert.deepEqual(mismatch.details?.causes, [
      {
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: map[string]string{"app":"other", "azure.workload.identity/use":"true"}: `selector` does not match template `labels`',
        field: 'spec.template.metadata.labels',
      },
    ]);
    const missing = await expectStatus(
      apps.createNamespacedDeployment({ namespace: ns, body: deployment('nosel', { selector: null }) }),
      422,
      'Invalid',
    );
    assert.equal(
      missing.message,
      'Deployment.apps "nosel" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"nosel", "azure.workload.identity/use":"true"}: `selector` does not match template `labels`]',
    );
    const current = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
    const moved = await expectStatus(
      apps.patchNamespacedDeployment(
        {
          name: 'web',
          namespace: ns,
          body: {
            spec: { selector: { matchLabels: { app: 'web', v: '2' } }, template: { metadata: { labels: { v: '2' } } } },
          },
        },
        patchAs('application/strategic-merge-patch+json'),
      ),
      422,
      'Invalid',
    );
    assert.equal(
      moved.message,
      'Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "v":"2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
    assert.equal(
      (await apps.readNamespacedDeployment({ name: 'web', namespace: ns })).metadata?.resourceVersion,
      current.metadata?.resourceVersion,
    );
    const negative = await expectStatus(
      apps.createNamespacedDeployment({ namespace: ns, body: deployment('neg', { replicas: -1 }) }),
      422,
      'Invalid',
    );
    assert.equal(
      negative.message,
      'Deployment.apps "neg" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it('rejects a boolean label value while decoding, and unknown fields under Strict validation', async () => {
    const post = (body: unknown, query = '') =>
      rawRequest(h, `${h.server('wi')}/apis/apps/v1/namespaces/${ns}/deployments${query}`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const unquoted = deployment('unquoted') as unknown as {
      spec: { template: { metadata: { labels: Record<string, unknown> } } };
    };
    unquoted.spec.template.metadata.labels['azure.workload.identity/use'] = true;
    const bad = await post(unquoted);
    assert.equal(bad.status, 400);
    assert.equal(
      bad.json<{ message: string }>().message,
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal bool into Go struct field ObjectMeta.spec.template.metadata.labels of type string',
    );
    const typo = deployment('typo') as unknown as {
      spec: { template: { spec: { containers: Record<string, unknown>[] } } };
    };
    (typo.spec.template.spec.containers[0] as Record<string, unknown>).imagePullPolicyy = 'Always';
    const strict = await post(typo, '?fieldValidation=Strict');
    assert.equal(strict.status, 400);
    assert.equal(
      strict.json<{ message: string }>().message,
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolicyy"',
    );
    const warned = await post(typo, '?fieldValidation=Warn');
    assert.equal(warned.status, 201);
    assert.match(
      String(warned.headers.warning),
      /unknown field \\"spec.template.spec.containers\[0\].imagePullPolicyy\\"/,
    );
    const wrongVersion = await post({ ...deployment('v'), apiVersion: 'v1' });
    assert.equal(
      wrongVersion.json<{ message: string }>().message,
      'the API version in the data (v1) does not match the expected API version (apps/v1)',
    );
  });

  it('keeps a Deployment whose pods the webhook denies, with a ReplicaFailure condition and a FailedCreate event', async () => {
    const created = await apps.createNamespacedDeployment({
      namespace: ns,
      body: deployment('denied', { sa: 'short-sa' }),
    });
    assert.equal(created.metadata?.name, 'denied');
    assert.deepEqual(await podsOf('denied'), []);
    const read = await apps.readNamespacedDeployment({ name: 'denied', namespace: ns });
    const failure = read.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
    assert.equal(failure?.status, 'True');
    assert.equal(failure?.reason, 'FailedCreate');
    assert.equal(
      failure?.message,
      'admission webhook "mutation.azure-workload-identity.io" denied the request: token expiration 100 not valid. Expected value to be between 3600 and 86400',
    );
    assert.equal(read.status?.conditions?.find((c) => c.type === 'Available')?.status, 'False');
    assert.equal(read.status?.unavailableReplicas, 2);
    assert.equal(read.status?.readyReplicas, undefined);
    const events = await core.listNamespacedEvent({ namespace: ns, fieldSelector: 'reason=FailedCreate' });
    assert.equal(events.items.length, 1);
    assert.equal(events.items[0]?.type, 'Warning');
    assert.equal(events.items[0]?.involvedObject.kind, 'ReplicaSet');
    assert.match(
      events.items[0]?.message ?? '',
      /^Error creating: admission webhook "mutation\.azure-workload-identity\.io" denied the request: token expiration 100/,
    );
    // Fixing the ServiceAccount reference rolls out pods and clears the failure.
    await apps.patchNamespacedDeployment(
      { name: 'denied', namespace: ns, body: { spec: { template: { spec: { serviceAccountName: 'app-sa' } } } } },
      patchAs('application/merge-patch+json'),
    );
    assert.equal((await podsOf('denied')).length, 2);
    const fixed = await apps.readNamespacedDeployment({ name: 'denied', namespace: ns });
    assert.equal(
      fixed.status?.conditions?.find((c) => c.type === 'ReplicaFailure'),
      undefined,
    );
  });

  it('reports a missing ServiceAccount the way the ReplicaSet controller sees it', async () => {
    await apps.createNamespacedDeployment({ namespace: ns, body: deployment('nosa', { sa: 'ghost', replicas: 1 }) });
    const read = await apps.readNamespacedDeployment({ name: 'nosa', namespace: ns });
    const message = read.status?.conditions?.find((c) => c.type === 'ReplicaFailure')?.message ?? '';
    assert.match(
      message,
      new RegExp(
        `^pods "nosa-${SAFE}{10}-" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found$`,
      ),
    );
  });

  it('leaves pods alone when the webhook does not select them (no label, or workload identity off)', async () => {
    await apps.createNamespacedDeployment({
      namespace: ns,
      body: deployment('plain', { replicas: 1, labels: { app: 'plain' } }),
    });
    const [pod] = await podsOf('plain');
    assert.equal(pod?.spec?.containers[0]?.env, undefined);
    assert.ok(pod?.spec?.volumes?.every((v) => !v.name.startsWith('azure-workload-identity-reserved-')));
  });

  it('deletes with cascade (pods go) or orphan (pods stay), and answers 404 afterwards', async () => {
    assert.equal((await podsOf('web')).length, 1);
    const status = (await apps.deleteNamespacedDeployment({ name: 'web', namespace: ns })) as k8s.V1Status;
    assert.equal(status.status, 'Success');
    assert.deepEqual((await podsOf('web')).length, 0);
    const gone = await expectStatus(apps.readNamespacedDeployment({ name: 'web', namespace: ns }), 404, 'NotFound');
    assert.equal(gone.message, 'deployments.apps "web" not found');
    assert.deepEqual(gone.details, { name: 'web', group: 'apps', kind: 'deployments' });
    await apps.deleteNamespacedDeployment({ name: 'plain', namespace: ns, propagationPolicy: 'Orphan' });
    // Orphaning leaves the direct dependents: the ReplicaSet loses its owner, its pods stay its own.
    const [orphan] = await podsOf('plain');
    assert.ok(orphan, 'orphaned pod kept');
    const rsName = orphan.metadata?.ownerReferences?.[0]?.name ?? '';
    assert.match(rsName, /^plain-/);
    const rs = await apps.readNamespacedReplicaSet({ name: rsName, namespace: ns });
    assert.equal(rs.metadata?.ownerReferences, undefined);
    assert.equal(rs.status?.replicas, 1);
  });
});
