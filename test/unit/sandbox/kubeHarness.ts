import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { sendStream, StreamBody, type SandboxRequest, type SandboxResponse } from '../../../src/sandbox/http';
import type { KubeClusterContext } from '../../../src/sandbox/kube/clusterContext';
import { handleKubeRequest, kubeApiServer } from '../../../src/sandbox/kube/kubeApi';
import { buildKubeconfig } from '../../../src/sandbox/kube/kubeconfig';
import { createKubeState } from '../../../src/sandbox/kube/kubeState';
import { handleIssuerRequest, sandboxIssuerUrl } from '../../../src/sandbox/oidc/issuer';
import { createSigningKey, type SigningKey } from '../../../src/sandbox/oidc/keys';
import { createTlsMaterial } from '../../../src/sandbox/tls';

/**
 * A test-only HTTPS server that serves the Kubernetes half of the sandbox the way the real
 * router does (`/k8s/{guid}/…`, `/oidc/{region}/{tenant}/{guid}/…`), so kubectl and
 * client-node talk to it over real TLS with a CA, before and independently of server.ts.
 */
export interface HarnessCluster {
  ctx: MutableClusterContext;
  server: string;
}

export interface MutableClusterContext extends KubeClusterContext {
  issuerUrl: string | undefined;
  workloadIdentityEnabled: boolean;
  webhookLayout: 'v1.6' | 'v1.5';
  persists: number;
}

/** What the Kubernetes tests need from a server: this harness or the real sandbox. */
export interface KubeTarget {
  origin: string;
  caPem: string;
  tenantId: string;
  /** Kubernetes API server URL of a cluster (`{origin}/k8s/{guid}`). */
  server(cluster: string): string;
  /** The cluster's issuer URL while its OIDC issuer is enabled. */
  issuerUrl(cluster: string): string | undefined;
  kubeconfig(): string;
  /** `Authorization` header with the cluster's admin token. */
  auth(cluster: string): { authorization: string };
  close(): Promise<void>;
}

export interface Harness extends KubeTarget {
  clusters: Record<string, HarnessCluster>;
  kubeconfig(names?: string[]): string;
}

const SHARED_KEY: { key?: SigningKey } = {};

export interface HarnessClusterSpec {
  name: string;
  oidc: boolean;
  workloadIdentity: boolean;
  layout?: 'v1.6' | 'v1.5';
  containerLog?: KubeClusterContext['containerLog'];
}

export async function startHarness(specs: HarnessClusterSpec[]): Promise<Harness> {
  const tls = createTlsMaterial();
  const tenantId = randomUUID();
  const clusters: Record<string, HarnessCluster> = {};
  const byGuid = new Map<string, MutableClusterContext>();
  let origin = '';

  const server: Server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL((req.url ?? '/').replace(/^\/+/, '/'), origin);
        const base = {
          method: req.method ?? 'GET',
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks),
          origin,
        };
        let response: SandboxResponse = { status: 404, body: 'no route' };
        let m: RegExpExecArray | null;
        if ((m = /^\/k8s\/([^/]+)(\/.*)?$/.exec(url.pathname)) && byGuid.has(m[1] as string)) {
          const r: SandboxRequest = { ...base, path: m[2] ?? '/' };
          response = await handleKubeRequest(byGuid.get(m[1] as string) as KubeClusterContext, r);
        } else if ((m = /^\/oidc\/[^/]+\/[^/]+\/([^/]+)(\/.*)?$/.exec(url.pathname)) && byGuid.has(m[1] as string)) {
          response = handleIssuerRequest(byGuid.get(m[1] as string) as KubeClusterContext, {
            ...base,
            path: m[2] ?? '/',
          });
        }
        const body = response.body;
        if (body instanceof StreamBody) {
          sendStream(res, response as SandboxResponse & { body: StreamBody });
          return;
        }
        const payload =
          body === undefined ? '' : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
        res.writeHead(response.status, { ...(response.headers ?? {}) });
        res.end(payload);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // One RSA key for all clusters keeps test start-up fast on a busy machine.
  SHARED_KEY.key ??= createSigningKey();
  for (const spec of specs) {
    const guid = randomUUID();
    const ctx: MutableClusterContext = {
      guid,
      name: spec.name,
      tenantId,
      issuerUrl: spec.oidc ? sandboxIssuerUrl(origin, 'eastus', tenantId, guid) : undefined,
      workloadIdentityEnabled: spec.workloadIdentity,
      signingKey: SHARED_KEY.key,
      clientToken: HARNESS_TOKEN,
      kube: createKubeState(),
      webhookLayout: spec.layout ?? 'v1.6',
      authorityHost: 'https://login.microsoftonline.com/',
      persists: 0,
      persist() {
        this.persists++;
      },
      containerLog: spec.containerLog,
    };
    byGuid.set(guid, ctx);
    clusters[spec.name] = { ctx, server: kubeApiServer(origin, guid) };
  }
  return {
    origin,
    caPem: tls.caPem,
    tenantId,
    clusters,
    server: (name) => (clusters[name] as HarnessCluster).server,
    issuerUrl: (name) => clusters[name]?.ctx.issuerUrl,
    auth: () => AUTH,
    kubeconfig: (names) =>
      buildKubeconfig(
        (names ?? Object.keys(clusters)).map((n) => ({
          name: n,
          server: (clusters[n] as HarnessCluster).server,
          token: HARNESS_TOKEN,
        })),
        tls.caPem,
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The real sandbox (src/sandbox/server.ts) seen as a KubeTarget. Its teaching scenario has
 * `aks-wi-demo` (issuer + workload identity) and `aks-legacy` (neither).
 */
export async function startSandboxTarget(
  options: { webhookLayout?: 'v1.6' | 'v1.5' } = {},
): Promise<KubeTarget & { sandbox: import('../../../src/sandbox/server').RunningSandbox }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startSandbox } = require('../../../src/sandbox/server') as typeof import('../../../src/sandbox/server');
  const sandbox = await startSandbox({ webhookLayout: options.webhookLayout });
  const cluster = (name: string) => {
    const c = Object.values(sandbox.state().clusters).find((x) => x.name === name);
    if (!c) throw new Error(`no sandbox cluster ${name}`);
    return c;
  };
  return {
    sandbox,
    origin: sandbox.origin,
    caPem: sandbox.caPem,
    tenantId: sandbox.tenantId,
    server: (name) => kubeApiServer(sandbox.origin, cluster(name).guid),
    issuerUrl: (name) => (cluster(name).oidcIssuerEnabled ? cluster(name).issuerUrl : undefined),
    kubeconfig: () => sandbox.kubeconfig(),
    auth: (name) => ({ authorization: `Bearer ${cluster(name).clientToken ?? ''}` }),
    close: () => sandbox.close(),
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

/** A plain HTTPS request trusting only the harness CA (for what no typed client sends). */
export function rawRequest(
  h: { caPem: string },
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const https = require('node:https') as typeof import('node:https');
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: init.method ?? 'GET', headers: init.headers, ca: h.caPem }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
      });
    });
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

/** The admin token of every harness cluster (the real sandbox makes one per cluster: `KubeTarget.auth`). */
const HARNESS_TOKEN = 'kwi-harness-token';
export const AUTH = { authorization: `Bearer ${HARNESS_TOKEN}` };
