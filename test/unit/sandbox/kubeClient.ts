import * as assert from 'node:assert/strict';
import type * as k8s from '@kubernetes/client-node';
import type { KubeTarget } from './kubeHarness';

/** `@kubernetes/client-node` is ESM; loaded once (require(esm) works on Node ≥ 20.19). */
export function clientNode(): typeof k8s {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@kubernetes/client-node') as typeof k8s;
}

export function kubeConfigFor(h: Pick<KubeTarget, 'kubeconfig'>, cluster: string): k8s.KubeConfig {
  const lib = clientNode();
  const kc = new lib.KubeConfig();
  kc.loadFromString(h.kubeconfig());
  kc.setCurrentContext(cluster);
  return kc;
}

export function coreApi(h: Pick<KubeTarget, 'kubeconfig'>, cluster: string): k8s.CoreV1Api {
  return kubeConfigFor(h, cluster).makeApiClient(clientNode().CoreV1Api);
}

/** Per-call options that set the patch Content-Type (client-node 2.x middleware). */
export function patchAs(type: string): k8s.ConfigurationOptions {
  return clientNode().setHeaderOptions('Content-Type', type);
}

export interface StatusBody {
  kind: string;
  apiVersion: string;
  metadata: Record<string, unknown>;
  status: string;
  message: string;
  reason?: string;
  details?: {
    name?: string;
    kind?: string;
    group?: string;
    causes?: { reason: string; message: string; field?: string }[];
  };
  code: number;
}

/** Awaits a rejected client-node call and returns the parsed `Status`, checking its envelope. */
export async function expectStatus(p: Promise<unknown>, code: number, reason?: string): Promise<StatusBody> {
  try {
    await p;
  } catch (e) {
    const err = e as { code?: number; body?: unknown };
    assert.equal(err.code, code, `HTTP ${String(err.code)}: ${String(err.body)}`);
    const body = (typeof err.body === 'string' ? JSON.parse(err.body) : err.body) as StatusBody;
    assert.equal(body.kind, 'Status');
    assert.equal(body.apiVersion, 'v1');
    assert.deepEqual(body.metadata, {});
    assert.equal(body.status, 'Failure');
    assert.equal(body.code, code);
    assert.equal(body.reason, reason);
    return body;
  }
  assert.fail(`expected HTTP ${code}`);
}

export function appsApi(h: Pick<KubeTarget, 'kubeconfig'>, cluster: string): k8s.AppsV1Api {
  return kubeConfigFor(h, cluster).makeApiClient(clientNode().AppsV1Api);
}
