import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type * as k8s from '@kubernetes/client-node';
import { coreApi, expectStatus, patchAs } from './kubeClient';
import { startSandboxTarget, type KubeTarget } from './kubeHarness';

const CLIENT_ID = '5c0e2f4a-8d1b-4f3e-9a7c-2b6d8e0f1a3c';
const USE = { 'azure.workload.identity/use': 'true' };
const DENIED = 'admission webhook "mutation.azure-workload-identity.io" denied the request: ';

function hash(podName: string): string {
  return createHash('sha256').update(podName).digest('hex').slice(0, 30);
}

/** client-node returns class instances; compare their plain JSON shape. */
function plain(v: unknown): unknown {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

function envOf(c: k8s.V1Container | undefined): Record<string, string | undefined> {
  return Object.fromEntries((c?.env ?? []).map((e) => [e.name, e.value]));
}

/** The Azure workload identity webhook as the sandbox's API server runs it on pod CREATE (real sandbox server). */
describe('workload identity mutating webhook', () => {
  let h: KubeTarget;
  let h15: KubeTarget;
  let api: k8s.CoreV1Api;
  let v15: k8s.CoreV1Api;
  let off: k8s.CoreV1Api;

  const pod = (name: string, spec: Partial<k8s.V1PodSpec> = {}, meta: Partial<k8s.V1ObjectMeta> = {}): k8s.V1Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { ...USE }, ...meta },
    spec: {
      serviceAccountName: 'wi-sa',
      containers: [{ name: 'app', image: 'ghcr.io/azure/azure-workload-identity/msal-go' }],
      ...spec,
    },
  });
  const create = (p: k8s.V1Pod, client = api, namespace = 'default'): Promise<k8s.V1Pod> =>
    client.createNamespacedPod({ namespace, body: p });

  before(async () => {
    [h, h15] = await Promise.all([startSandboxTarget(), startSandboxTarget({ webhookLayout: 'v1.5' })]);
    api = coreApi(h, 'aks-wi-demo');
    v15 = coreApi(h15, 'aks-wi-demo');
    // The teaching scenario's second cluster has neither the issuer nor workload identity.
    off = coreApi(h, 'aks-legacy');
    for (const client of [api, v15, off]) {
      await client.createNamespacedServiceAccount({
        namespace: 'default',
        body: { metadata: { name: 'wi-sa', annotations: { 'azure.workload.identity/client-id': CLIENT_ID } } },
      });
    }
  });
  after(() => Promise.all([h.close(), h15.close()]));

  it('injects the env variables, projected token volume and mount (v1.6 layout)', async () => {
    const p = await create(pod('wi-pod', { initContainers: [{ name: 'init', image: 'busybox' }] }));
    const hsh = hash('wi-pod');
    const mountPath = `/var/run/secrets/azure/wi/${hsh}`;
    const volumeName = `azure-workload-identity-reserved-${hsh}`;
    assert.equal(volumeName.length, 63);
    for (const c of [p.spec?.containers[0], p.spec?.initContainers?.[0]]) {
      assert.deepEqual(
        (c?.env ?? []).map((e) => [e.name, e.value]),
        [
          ['AZURE_CLIENT_ID', CLIENT_ID],
          ['AZURE_TENANT_ID', h.tenantId],
          ['AZURE_FEDERATED_TOKEN_FILE', `${mountPath}/token/azure-identity-token`],
          ['AZURE_AUTHORITY_HOST', `${h.origin}/`],
        ],
      );
      assert.deepEqual(plain(c?.volumeMounts?.find((m) => m.name === volumeName)), {
        mountPath,
        name: volumeName,
        readOnly: true,
      });
      assert.ok(
        c?.volumeMounts?.some((m) => m.mountPath === '/var/run/secrets/kubernetes.io/serviceaccount'),
        'ServiceAccount admission mount kept',
      );
    }
    const vol = p.spec?.volumes?.find((v) => v.name === volumeName);
    assert.deepEqual(plain(vol?.projected?.sources), [
      {
        serviceAccountToken: {
          audience: 'api://AzureADTokenExchange',
          expirationSeconds: 3600,
          path: 'token/azure-identity-token',
        },
      },
    ]);
    assert.equal(vol?.projected?.defaultMode, 420);
    assert.equal(p.status?.phase, 'Running');
    assert.equal(p.status?.containerStatuses?.[0]?.ready, true);
  });

  it('uses the v1.5 layout on request', async () => {
    const p = await create(pod('wi-pod'), v15);
    const c = p.spec?.containers[0];
    assert.equal(envOf(c).AZURE_FEDERATED_TOKEN_FILE, '/var/run/secrets/azure/tokens/azure-identity-token');
    assert.deepEqual(plain(c?.volumeMounts?.find((m) => m.name === 'azure-identity-token')), {
      mountPath: '/var/run/secrets/azure/tokens',
      name: 'azure-identity-token',
      readOnly: true,
    });
    assert.deepEqual(plain(p.spec?.volumes?.find((v) => v.name === 'azure-identity-token')?.projected?.sources), [
      {
        serviceAccountToken: {
          audience: 'api://AzureADTokenExchange',
          expirationSeconds: 3600,
          path: 'azure-identity-token',
        },
      },
    ]);
  });

  it('never overwrites a variable the container defines, and omits AZURE_CLIENT_ID without the annotation', async () => {
    await api.createNamespacedServiceAccount({
      namespace: 'default',
      body: { metadata: { name: 'bare-sa', annotations: { 'azure.workload.identity/tenant-id': 'tenant-from-sa' } } },
    });
    const p = await create(
      pod('env-pod', {
        serviceAccountName: 'bare-sa',
        containers: [
          {
            name: 'app',
            image: 'x:1',
            env: [{ name: 'AZURE_AUTHORITY_HOST', value: 'https://login.microsoftonline.us/' }],
          },
        ],
      }),
    );
    const env = envOf(p.spec?.containers[0]);
    assert.equal(env.AZURE_AUTHORITY_HOST, 'https://login.microsoftonline.us/');
    assert.equal('AZURE_CLIENT_ID' in env, false);
    assert.equal(env.AZURE_TENANT_ID, 'tenant-from-sa');
    assert.deepEqual(Object.keys(env), ['AZURE_AUTHORITY_HOST', 'AZURE_TENANT_ID', 'AZURE_FEDERATED_TOKEN_FILE']);
  });

  it('falls back to the default ServiceAccount when the pod names none', async () => {
    const p = await create({
      metadata: { name: 'default-sa-pod', labels: USE },
      spec: { containers: [{ name: 'app', image: 'x' }] },
    });
    assert.equal(p.spec?.serviceAccountName, 'default');
    const env = envOf(p.spec?.containers[0]);
    assert.equal('AZURE_CLIENT_ID' in env, false);
    assert.equal(env.AZURE_TENANT_ID, h.tenantId);
  });

  it('skips the containers named in skip-containers (semicolons, spaces trimmed)', async () => {
    const p = await create(
      pod(
        'skip-pod',
        {
          containers: [
            { name: 'app', image: 'x' },
            { name: 'sidecar', image: 'y' },
            { name: 'metrics', image: 'z' },
          ],
        },
        { annotations: { 'azure.workload.identity/skip-containers': 'sidecar; metrics' } },
      ),
    );
    const [app, sidecar, metrics] = p.spec?.containers ?? [];
    assert.ok(envOf(app).AZURE_CLIENT_ID);
    for (const c of [sidecar, metrics]) {
      assert.equal(c?.env, undefined);
      assert.equal(
        c?.volumeMounts?.some((m) => m.name.startsWith('azure-workload-identity-reserved-')),
        false,
      );
    }
    // A comma is not a separator: the whole string names no container.
    const q = await create(
      pod(
        'skip-comma',
        {
          containers: [
            { name: 'app', image: 'x' },
            { name: 'sidecar', image: 'y' },
          ],
        },
        { annotations: { 'azure.workload.identity/skip-containers': 'app,sidecar' } },
      ),
    );
    assert.ok(envOf(q.spec?.containers[1]).AZURE_CLIENT_ID);
  });

  it('takes the token expiration from the pod, then the ServiceAccount, and range-checks it', async () => {
    await api.createNamespacedServiceAccount({
      namespace: 'default',
      body: {
        metadata: {
          name: 'exp-sa',
          annotations: {
            'azure.workload.identity/client-id': CLIENT_ID,
            'azure.workload.identity/service-account-token-expiration': '4000',
          },
        },
      },
    });
    const expiration = (p: k8s.V1Pod): number | undefined =>
      p.spec?.volumes?.find((v) => v.name.startsWith('azure-workload-identity-reserved-'))?.projected?.sources?.[0]
        ?.serviceAccountToken?.expirationSeconds;
    assert.equal(expiration(await create(pod('exp-sa-pod', { serviceAccountName: 'exp-sa' }))), 4000);
    assert.equal(
      expiration(
        await create(
          pod(
            'exp-pod-pod',
            { serviceAccountName: 'exp-sa' },
            { annotations: { 'azure.workload.identity/service-account-token-expiration': '86400' } },
          ),
        ),
      ),
      86400,
    );
    const tooLong = await expectStatus(
      create(
        pod('exp-bad', {}, { annotations: { 'azure.workload.identity/service-account-token-expiration': '86401' } }),
      ),
      400,
      undefined,
    );
    assert.equal(
      tooLong.message,
      `${DENIED}token expiration 86401 not valid. Expected value to be between 3600 and 86400`,
    );
    assert.equal(tooLong.details, undefined);
    const tooShort = await expectStatus(
      create(
        pod('exp-bad', {}, { annotations: { 'azure.workload.identity/service-account-token-expiration': '3599' } }),
      ),
      400,
      undefined,
    );
    assert.equal(
      tooShort.message,
      `${DENIED}token expiration 3599 not valid. Expected value to be between 3600 and 86400`,
    );
    const nan = await expectStatus(
      create(pod('exp-bad', {}, { annotations: { 'azure.workload.identity/service-account-token-expiration': '1h' } })),
      400,
      undefined,
    );
    assert.equal(nan.message, `${DENIED}strconv.ParseInt: parsing "1h": invalid syntax`);
    await expectStatus(api.readNamespacedPod({ name: 'exp-bad', namespace: 'default' }), 404, 'NotFound');
  });

  it('injects the proxy init container and native sidecar when inject-proxy-sidecar is present (even "false")', async () => {
    const p = await create(
      pod(
        'proxy-pod',
        { initContainers: [{ name: 'setup', image: 'busybox' }] },
        {
          annotations: {
            'azure.workload.identity/inject-proxy-sidecar': 'false',
            'azure.workload.identity/proxy-sidecar-port': '9000',
          },
        },
      ),
    );
    const init = p.spec?.initContainers ?? [];
    assert.deepEqual(
      init.map((c) => c.name),
      ['azwi-proxy', 'setup', 'azwi-proxy-init'],
    );
    const [proxy, , proxyInit] = init;
    assert.equal(proxy?.restartPolicy, 'Always');
    assert.deepEqual(proxy?.args, ['--proxy-port=9000', '--log-level=info']);
    assert.deepEqual(plain(proxy?.ports), [{ containerPort: 9000, protocol: 'TCP' }]);
    assert.match(proxy?.image ?? '', /^mcr\.microsoft\.com\/oss\/azure\/workload-identity\/proxy:v/);
    assert.equal(envOf(proxyInit).PROXY_PORT, '9000');
    assert.deepEqual(plain(proxyInit?.securityContext?.capabilities), { add: ['NET_ADMIN'], drop: ['ALL'] });
    assert.equal(proxyInit?.securityContext?.privileged, true);
    assert.deepEqual(
      p.spec?.containers.map((c) => c.name),
      ['app'],
    );
    // The proxy containers are mutated like any other.
    assert.ok(envOf(proxy).AZURE_CLIENT_ID);
    assert.equal(
      p.status?.initContainerStatuses?.find((s) => s.name === 'azwi-proxy')?.state?.running !== undefined,
      true,
    );
    assert.equal(
      p.status?.initContainerStatuses?.find((s) => s.name === 'setup')?.state?.terminated?.reason,
      'Completed',
    );
    const def = await create(
      pod('proxy-default', {}, { annotations: { 'azure.workload.identity/inject-proxy-sidecar': 'true' } }),
    );
    assert.deepEqual(def.spec?.initContainers?.[0]?.args, ['--proxy-port=8000', '--log-level=info']);
  });

  it('refuses the proxy with hostNetwork, and a port that is not a number', async () => {
    const hostNet = await expectStatus(
      create(
        pod(
          'proxy-host',
          { hostNetwork: true },
          { annotations: { 'azure.workload.identity/inject-proxy-sidecar': 'true' } },
        ),
      ),
      400,
      undefined,
    );
    assert.equal(hostNet.message, `${DENIED}hostNetwork is set to true, cannot inject proxy sidecar`);
    const port = await expectStatus(
      create(
        pod(
          'proxy-port',
          {},
          {
            annotations: {
              'azure.workload.identity/inject-proxy-sidecar': 'true',
              'azure.workload.identity/proxy-sidecar-port': 'http',
            },
          },
        ),
      ),
      400,
      undefined,
    );
    assert.equal(
      port.message,
      `${DENIED}failed to parse proxy sidecar port: strconv.ParseInt: parsing "http": invalid syntax`,
    );
  });

  it('leaves pods alone without the exact label, in kube-system, or when the cluster has workload identity off', async () => {
    const untouched = (p: k8s.V1Pod): void => {
      assert.equal(
        p.spec?.containers.some((c) => (c.env ?? []).some((e) => e.name.startsWith('AZURE_'))),
        false,
      );
      assert.equal(
        p.spec?.volumes?.some((v) => v.name.startsWith('azure-')),
        false,
      );
    };
    untouched(await create(pod('nolabel', {}, { labels: {} })));
    untouched(await create(pod('capital', {}, { labels: { 'azure.workload.identity/use': 'True' } })));
    untouched(await create(pod('sys', { serviceAccountName: 'default' }), api, 'kube-system'));
    untouched(await create(pod('off'), off));
  });

  it('hashes a generateName pod by its prefix, as the webhook sees it before the name exists', async () => {
    const p = await create({
      metadata: { generateName: 'job-', labels: USE },
      spec: { serviceAccountName: 'wi-sa', containers: [{ name: 'app', image: 'x' }] },
    });
    assert.match(p.metadata?.name ?? '', /^job-[a-z0-9]{5}$/);
    assert.ok(p.spec?.volumes?.some((v) => v.name === `azure-workload-identity-reserved-${hash('job- (prefix)')}`));
  });

  it('refuses a pod whose ServiceAccount does not exist (ServiceAccount admission, before the webhook)', async () => {
    const s = await expectStatus(create(pod('ghost-pod', { serviceAccountName: 'ghost' })), 403, 'Forbidden');
    assert.equal(
      s.message,
      'pods "ghost-pod" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found',
    );
  });

  it('does not mutate on update, and a pod spec stays immutable', async () => {
    const s = await expectStatus(
      api.patchNamespacedPod(
        {
          name: 'nolabel',
          namespace: 'default',
          body: {
            metadata: { labels: USE },
            spec: { containers: [{ name: 'app', env: [{ name: 'X', value: '1' }] }] },
          },
        },
        patchAs('application/strategic-merge-patch+json'),
      ),
      422,
      'Invalid',
    );
    assert.match(
      s.message,
      /^Pod "nolabel" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/,
    );
    const relabelled = await api.patchNamespacedPod(
      { name: 'nolabel', namespace: 'default', body: { metadata: { labels: USE } } },
      patchAs('application/merge-patch+json'),
    );
    assert.equal(relabelled.metadata?.labels?.['azure.workload.identity/use'], 'true');
    assert.equal(
      relabelled.spec?.volumes?.some((v) => v.name.startsWith('azure-')),
      false,
      'labelling a running pod injects nothing',
    );
  });

  it('a ServiceAccount annotation change affects only pods created afterwards', async () => {
    await api.patchNamespacedServiceAccount(
      {
        name: 'wi-sa',
        namespace: 'default',
        body: { metadata: { annotations: { 'azure.workload.identity/client-id': 'new-client' } } },
      },
      patchAs('application/merge-patch+json'),
    );
    const old = await api.readNamespacedPod({ name: 'wi-pod', namespace: 'default' });
    assert.equal(envOf(old.spec?.containers[0]).AZURE_CLIENT_ID, CLIENT_ID);
    const fresh = await create(pod('wi-pod-2'));
    assert.equal(envOf(fresh.spec?.containers[0]).AZURE_CLIENT_ID, 'new-client');
  });
});
