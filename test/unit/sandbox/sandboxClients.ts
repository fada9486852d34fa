import type { ClientSecretCredential } from '@azure/identity';
import { sandboxCredential } from '../../../src/azure/sandboxCredential';
import type { TokenCredential } from '@azure/identity';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../../src/sandbox/server';

/** Shared setup for the sandbox tests: a running sandbox and the developer credential, trusting its CA per client. */
export interface Harness {
  sandbox: RunningSandbox;
  credential: TokenCredential;
  /** Client options every ARM SDK client gets: endpoint, CA, ARM scope. */
  armOptions: {
    endpoint: string;
    tlsOptions: { ca: string };
    credentialScopes: string[];
    retryOptions?: { maxRetryDelayInMs: number };
  };
}

export async function startHarness(options: SandboxOptions = {}): Promise<Harness> {
  const sandbox = await startSandbox(options);
  const credential = developerCredential(sandbox);
  return {
    sandbox,
    credential,
    armOptions: {
      endpoint: sandbox.armEndpoint,
      tlsOptions: { ca: sandbox.caPem },
      credentialScopes: ['https://management.azure.com/.default'],
    },
  };
}

export function developerCredential(sandbox: RunningSandbox): ClientSecretCredential {
  return sandboxCredential(sandbox);
}

/** Collects an async iterator (SDK list operations). */
export async function all<T>(iter: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iter) out.push(x);
  return out;
}

/** The RestError's status and ARM error code, or fails the test if the promise resolved. */
export async function restError(p: Promise<unknown>): Promise<{ statusCode?: number; code?: string; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { statusCode?: number; code?: string; message: string };
    return { statusCode: err.statusCode, code: err.code, message: err.message };
  }
  throw new Error('expected the call to fail');
}

/** A raw HTTPS request to the sandbox (for wire-level checks the SDKs hide). */
export async function rawRequest(
  sandbox: RunningSandbox,
  method: string,
  url: string,
  options: { headers?: Record<string, string>; body?: string | object } = {},
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => unknown;
}> {
  const { request } = await import('node:https');
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const full = url.startsWith('https://') ? url : `${sandbox.origin}${url}`;
  return new Promise((resolve, reject) => {
    const req = request(
      full,
      {
        method,
        ca: sandbox.caPem,
        headers: {
          ...(body !== undefined && typeof options.body === 'object' ? { 'content-type': 'application/json' } : {}),
          // The control API's token, for `/_sandbox/*` (a test that checks refusal sets its own header).
          ...(full.startsWith(`${sandbox.origin}/_sandbox/`)
            ? { authorization: `Bearer ${sandbox.controlToken}` }
            : {}),
          ...options.headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Creates a ServiceAccount in a sandbox cluster and returns a TokenRequest token for it. */
export async function serviceAccountToken(
  sandbox: RunningSandbox,
  clusterName: string,
  namespace: string,
  name: string,
  audience = 'api://AzureADTokenExchange',
): Promise<string> {
  const cluster = Object.values(sandbox.state().clusters).find((c) => c.name === clusterName);
  if (!cluster) throw new Error(`no cluster ${clusterName}`);
  const base = `/k8s/${cluster.guid}/api/v1/namespaces/${namespace}/serviceaccounts`;
  const headers = { authorization: `Bearer ${cluster.clientToken ?? ''}` };
  const existing = await rawRequest(sandbox, 'GET', `${base}/${name}`, { headers });
  if (existing.status === 404) {
    const created = await rawRequest(sandbox, 'POST', base, {
      headers,
      body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } },
    });
    if (created.status !== 201) throw new Error(`create ServiceAccount: ${created.status} ${created.text}`);
  }
  const res = await rawRequest(sandbox, 'POST', `${base}/${name}/token`, {
    headers,
    body: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { audiences: [audience], expirationSeconds: 3600 },
    },
  });
  if (res.status !== 201) throw new Error(`TokenRequest: ${res.status} ${res.text}`);
  return (res.json() as { status: { token: string } }).status.token;
}
