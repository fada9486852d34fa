import * as assert from 'node:assert/strict';
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type * as k8s from '@kubernetes/client-node';
import { coreApi, expectStatus } from './kubeClient';
import { rawRequest, startSandboxTarget, type KubeTarget } from './kubeHarness';

interface Claims {
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  iss: string;
  jti: string;
  sub: string;
  'kubernetes.io': {
    namespace: string;
    serviceaccount: { name: string; uid: string };
    pod?: { name: string; uid: string };
    node?: { name: string; uid: string };
  };
}

/**
 * Verifies a token the way Entra does: discovery document at `{iss}.well-known/openid-configuration`,
 * then its `jwks_uri`, then RS256 with the key named by `kid`.
 */
async function verifyAgainstIssuer(
  h: KubeTarget,
  token: string,
): Promise<{ header: { alg: string; kid: string }; claims: Claims }> {
  const [h64, c64, s64] = token.split('.') as [string, string, string];
  const header = JSON.parse(Buffer.from(h64, 'base64url').toString()) as { alg: string; kid: string; typ?: string };
  const claims = JSON.parse(Buffer.from(c64, 'base64url').toString()) as Claims;
  const discovery = await rawRequest(h, `${claims.iss}.well-known/openid-configuration`);
  assert.equal(discovery.status, 200);
  const doc = discovery.json<{ issuer: string; jwks_uri: string }>();
  assert.equal(doc.issuer, claims.iss);
  const jwks = (await rawRequest(h, doc.jwks_uri)).json<{ keys: (JsonWebKey & { kid: string })[] }>();
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  assert.ok(jwk, 'kid found in the JWKS');
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  assert.ok(
    verify('sha256', Buffer.from(`${h64}.${c64}`), key, Buffer.from(s64, 'base64url')),
    'RS256 signature verifies',
  );
  return { header, claims };
}

describe('TokenRequest (serviceaccounts/token)', () => {
  let h: KubeTarget;
  let api: k8s.CoreV1Api;
  let legacy: k8s.CoreV1Api;

  before(async () => {
    h = await startSandboxTarget();
    api = coreApi(h, 'aks-wi-demo');
    legacy = coreApi(h, 'aks-legacy');
    await api.createNamespacedServiceAccount({
      namespace: 'default',
      body: { metadata: { name: 'workload-identity-sa' } },
    });
  });
  after(() => h.close());

  it('issues an RS256 token with Kubernetes claims that verifies against the issuer JWKS', async () => {
    const before = Math.floor(Date.now() / 1000);
    const tr = await api.createNamespacedServiceAccountToken({
      name: 'workload-identity-sa',
      namespace: 'default',
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { audiences: ['api://AzureADTokenExchange'], expirationSeconds: 3600 },
      },
    });
    assert.equal(tr.kind, 'TokenRequest');
    assert.equal(tr.apiVersion, 'authentication.k8s.io/v1');
    const token = tr.status?.token ?? '';
    const { header, claims } = await verifyAgainstIssuer(h, token);
    const sa = await api.readNamespacedServiceAccount({ name: 'workload-identity-sa', namespace: 'default' });
    assert.equal(header.alg, 'RS256');
    assert.equal(claims.iss, h.issuerUrl('aks-wi-demo'));
    assert.ok(claims.iss.endsWith('/'), 'issuer keeps its trailing slash');
    assert.equal(claims.sub, 'system:serviceaccount:default:workload-identity-sa');
    assert.deepEqual(claims.aud, ['api://AzureADTokenExchange']);
    assert.ok(claims.iat >= before - 1 && claims.nbf === claims.iat);
    assert.equal(claims.exp - claims.iat, 3600);
    assert.match(claims.jti, /^[0-9a-f-]{36}$/);
    assert.deepEqual(claims['kubernetes.io'], {
      namespace: 'default',
      serviceaccount: { name: 'workload-identity-sa', uid: sa.metadata?.uid },
    });
    assert.equal(tr.status?.expirationTimestamp?.getTime(), claims.exp * 1000);
  });

  it('defaults the audience to the API server audience (the issuer)', async () => {
    const tr = await api.createNamespacedServiceAccountToken({
      name: 'default',
      namespace: 'default',
      body: { spec: {} },
    });
    const { claims } = await verifyAgainstIssuer(h, tr.status?.token ?? '');
    assert.deepEqual(claims.aud, [claims.iss]);
    assert.equal(claims.exp - claims.iat, 3600);
  });

  it('binds a token to a pod: pod and node claims', async () => {
    const pod = await api.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'bound' },
        spec: { serviceAccountName: 'workload-identity-sa', containers: [{ name: 'c', image: 'busybox' }] },
      },
    });
    const tr = await api.createNamespacedServiceAccountToken({
      name: 'workload-identity-sa',
      namespace: 'default',
      body: {
        spec: {
          audiences: ['x'],
          boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'bound', uid: pod.metadata?.uid },
        },
      },
    });
    const { claims } = await verifyAgainstIssuer(h, tr.status?.token ?? '');
    assert.deepEqual(claims['kubernetes.io'].pod, { name: 'bound', uid: pod.metadata?.uid });
    assert.equal(claims['kubernetes.io'].node?.name, pod.spec?.nodeName);
    const wrongSa = await expectStatus(
      api.createNamespacedServiceAccountToken({
        name: 'default',
        namespace: 'default',
        body: { spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'bound' } } },
      }),
      400,
      'BadRequest',
    );
    assert.equal(
      wrongSa.message,
      'cannot bind token for serviceaccount "default" to pod running with different serviceaccount name.',
    );
    await expectStatus(
      api.createNamespacedServiceAccountToken({
        name: 'workload-identity-sa',
        namespace: 'default',
        body: { spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'nope' } } },
      }),
      404,
      'NotFound',
    );
  });

  it('rejects expirationSeconds under 10 minutes with the API server message', async () => {
    const s = await expectStatus(
      api.createNamespacedServiceAccountToken({
        name: 'workload-identity-sa',
        namespace: 'default',
        body: { spec: { expirationSeconds: 599 } },
      }),
      422,
      'Invalid',
    );
    assert.equal(
      s.message,
      'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes',
    );
    assert.deepEqual(s.details, {
      group: 'authentication.k8s.io',
      kind: 'TokenRequest',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 599: may not specify a duration less than 10 minutes',
          field: 'spec.expirationSeconds',
        },
      ],
    });
    const ok = await api.createNamespacedServiceAccountToken({
      name: 'workload-identity-sa',
      namespace: 'default',
      body: { spec: { expirationSeconds: 600 } },
    });
    assert.ok(ok.status?.token);
  });

  it('answers 404 for a ServiceAccount that does not exist', async () => {
    const s = await expectStatus(
      api.createNamespacedServiceAccountToken({ name: 'ghost', namespace: 'default', body: { spec: {} } }),
      404,
      'NotFound',
    );
    assert.equal(s.message, 'serviceaccounts "ghost" not found');
  });

  it('without an OIDC issuer: a private issuer, no public discovery, but the API server serves its own', async () => {
    const tr = await legacy.createNamespacedServiceAccountToken({
      name: 'default',
      namespace: 'default',
      body: { spec: { audiences: ['api://AzureADTokenExchange'] } },
    });
    const claims = JSON.parse(
      Buffer.from((tr.status?.token ?? '').split('.')[1] ?? '', 'base64url').toString(),
    ) as Claims;
    assert.equal(claims.iss, 'https://kubernetes.default.svc.cluster.local');
    const server = h.server('aks-legacy');
    const doc = (
      await rawRequest(h, `${server}/.well-known/openid-configuration`, { headers: h.auth('aks-legacy') })
    ).json<{ issuer: string; jwks_uri: string }>();
    assert.deepEqual(doc.issuer, 'https://kubernetes.default.svc.cluster.local');
    assert.equal(doc.jwks_uri, `${server}/openid/v1/jwks`);
  });

  it('on an issuer-enabled cluster the API server discovery points at the public issuer (client-node WellKnownApi)', async () => {
    const lib = (await import('./kubeClient')).clientNode();
    const kc = (await import('./kubeClient')).kubeConfigFor(h, 'aks-wi-demo');
    const doc = await kc.makeApiClient(lib.WellKnownApi).getServiceAccountIssuerOpenIDConfiguration();
    const parsed = (typeof doc === 'string' ? JSON.parse(doc) : doc) as { issuer: string; jwks_uri: string };
    assert.equal(parsed.issuer, h.issuerUrl('aks-wi-demo'));
    assert.equal(parsed.jwks_uri, `${h.issuerUrl('aks-wi-demo')}openid/v1/jwks`);
  });

  it('reads a protobuf TokenRequest body (as kubectl sends it)', async () => {
    // k8s\0 + Unknown{typeMeta{apiVersion,kind}, raw=TokenRequest{spec{audiences:["aud-pb"], expirationSeconds:1200}}}
    const str = (no: number, s: string): Buffer =>
      Buffer.concat([Buffer.from([(no << 3) | 2, Buffer.byteLength(s)]), Buffer.from(s)]);
    const msg = (no: number, b: Buffer): Buffer => Buffer.concat([Buffer.from([(no << 3) | 2, b.length]), b]);
    const spec = Buffer.concat([str(1, 'aud-pb'), Buffer.from([(4 << 3) | 0, 0xb0, 0x09])]);
    const tokenRequest = msg(2, spec);
    const unknown = Buffer.concat([
      msg(1, Buffer.concat([str(1, 'authentication.k8s.io/v1'), str(2, 'TokenRequest')])),
      msg(2, tokenRequest),
    ]);
    const body = Buffer.concat([Buffer.from('k8s\0', 'binary'), unknown]);
    const res = await rawRequest(
      h,
      `${h.server('aks-wi-demo')}/api/v1/namespaces/default/serviceaccounts/workload-identity-sa/token`,
      {
        method: 'POST',
        headers: {
          ...h.auth('aks-wi-demo'),
          'content-type': 'application/vnd.kubernetes.protobuf',
          accept: 'application/vnd.kubernetes.protobuf,application/json',
        },
        body,
      },
    );
    assert.equal(res.status, 201, res.text);
    const { claims } = await verifyAgainstIssuer(h, res.json<{ status: { token: string } }>().status.token);
    assert.deepEqual(claims.aud, ['aud-pb']);
    assert.equal(claims.exp - claims.iat, 1200);
  });
});
