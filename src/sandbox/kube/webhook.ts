import { createHash } from 'node:crypto';
import {
  CLIENT_ID_ANNOTATION,
  INJECT_PROXY_SIDECAR_ANNOTATION,
  PROXY_SIDECAR_PORT_ANNOTATION,
  SKIP_CONTAINERS_ANNOTATION,
  TENANT_ID_ANNOTATION,
  TOKEN_EXPIRATION_ANNOTATION,
} from '../../core/rules/keys';
import type { KubeClusterContext } from './clusterContext';
import type { KubeObject } from './kubeState';
import { KubeStatusError } from './status';

/**
 * The Azure workload identity mutating webhook (Azure/azure-workload-identity
 * pkg/webhook/webhook.go and consts.go; deploy/azure-wi-webhook.yaml), re-implemented from its
 * documented behaviour. It runs on pod CREATE for the pods its MutatingWebhookConfiguration
 * selects (webhookConfiguration.ts: the `azure.workload.identity/use: "true"` label, outside
 * kube-system, only while the cluster has workload identity enabled).
 */
export const WEBHOOK_NAME = 'mutation.azure-workload-identity.io';
export const TOKEN_AUDIENCE = 'api://AzureADTokenExchange';

const MIN_EXPIRATION = 3600;
const MAX_EXPIRATION = 86400;
const DEFAULT_EXPIRATION = 3600;
const DEFAULT_PROXY_PORT = 8000;
const PROXY_INIT_CONTAINER = 'azwi-proxy-init';
const PROXY_SIDECAR_CONTAINER = 'azwi-proxy';
const IMAGE_REGISTRY = 'mcr.microsoft.com/oss/azure/workload-identity';

/** The two token-volume layouts (Azure/azure-workload-identity pkg/webhook/webhook.go: v1.6.0 moved to hashed names). */
interface Layout {
  volumeName: string;
  mountPath: string;
  /** Path of the token inside the volume. */
  tokenPath: string;
  imageVersion: string;
}

const V16_PREFIX = 'azure-workload-identity-reserved-';
const V16_MOUNT_ROOT = '/var/run/secrets/azure/wi';

function layoutFor(version: 'v1.6' | 'v1.5', podName: string): Layout {
  if (version === 'v1.5') {
    return {
      volumeName: 'azure-identity-token',
      mountPath: '/var/run/secrets/azure/tokens',
      tokenPath: 'azure-identity-token',
      imageVersion: 'v1.5.1',
    };
  }
  // Hex SHA-256 of the pod name, cut so that prefix + hash is 63 characters (a volume name's limit).
  const hash = createHash('sha256')
    .update(podName)
    .digest('hex')
    .slice(0, 63 - V16_PREFIX.length);
  return {
    volumeName: V16_PREFIX + hash,
    mountPath: `${V16_MOUNT_ROOT}/${hash}`,
    tokenPath: 'token/azure-identity-token',
    imageVersion: 'v1.6.0',
  };
}

type Container = Record<string, unknown> & {
  name?: string;
  env?: { name: string; value?: string }[];
  volumeMounts?: Record<string, unknown>[];
};

/** An admission denial exactly as kube-apiserver wraps a webhook's error (webhookerrors.ToStatusErr). */
function denied(message: string): KubeStatusError {
  return new KubeStatusError(400, undefined, `admission webhook "${WEBHOOK_NAME}" denied the request: ${message}`);
}

/** Go's strconv.ParseInt error text, which the webhook returns unwrapped. */
function parseGoInt(text: string, bits: 32 | 64): number {
  if (!/^[+-]?\d+$/.test(text)) {
    throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax`);
  }
  const n = Number(text);
  const limit = bits === 32 ? 2 ** 31 : 2 ** 63;
  if (n >= limit || n < -limit) {
    throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(text)}: value out of range`);
  }
  return n;
}

/**
 * Mutates `pod` in place as the webhook's JSON patch would. `serviceAccount` is the pod's
 * ServiceAccount (the ServiceAccount admission plugin has already ensured it exists).
 */
export function mutatePod(
  ctx: KubeClusterContext,
  namespace: string,
  pod: KubeObject,
  serviceAccount: KubeObject | undefined,
): void {
  const metadata = (pod.metadata ?? {}) as Record<string, unknown>;
  const spec = (pod.spec ??= {}) as Record<string, unknown>;
  const podAnnotations = (metadata.annotations ?? {}) as Record<string, string>;
  // Names are generated after admission, so a generateName pod is hashed by its prefix.
  const podName =
    typeof metadata.name === 'string' && metadata.name
      ? metadata.name
      : `${String(metadata.generateName ?? '')} (prefix)`;
  const saName =
    typeof spec.serviceAccountName === 'string' && spec.serviceAccountName ? spec.serviceAccountName : 'default';
  if (!serviceAccount) {
    throw denied(`serviceaccounts "${saName}" not found`);
  }
  const saAnnotations = ((serviceAccount.metadata as Record<string, unknown>).annotations ?? {}) as Record<
    string,
    string
  >;
  const layout = layoutFor(ctx.webhookLayout, podName);

  if (Object.prototype.hasOwnProperty.call(podAnnotations, INJECT_PROXY_SIDECAR_ANNOTATION)) {
    if (spec.hostNetwork === true) {
      throw denied('hostNetwork is set to true, cannot inject proxy sidecar');
    }
    let port = DEFAULT_PROXY_PORT;
    if (Object.prototype.hasOwnProperty.call(podAnnotations, PROXY_SIDECAR_PORT_ANNOTATION)) {
      try {
        port = parseGoInt(String(podAnnotations[PROXY_SIDECAR_PORT_ANNOTATION]), 32);
      } catch (e) {
        throw denied(`failed to parse proxy sidecar port: ${(e as Error).message}`);
      }
    }
    injectProxy(spec, port, layout.imageVersion);
  }

  let expiration = DEFAULT_EXPIRATION;
  try {
    if (podAnnotations[TOKEN_EXPIRATION_ANNOTATION]) {
      expiration = parseGoInt(podAnnotations[TOKEN_EXPIRATION_ANNOTATION], 64);
    } else if (saAnnotations[TOKEN_EXPIRATION_ANNOTATION]) {
      expiration = parseGoInt(saAnnotations[TOKEN_EXPIRATION_ANNOTATION], 64);
    }
  } catch (e) {
    throw denied((e as Error).message);
  }
  if (expiration < MIN_EXPIRATION || expiration > MAX_EXPIRATION) {
    throw denied(
      `token expiration ${expiration} not valid. Expected value to be between ${MIN_EXPIRATION} and ${MAX_EXPIRATION}`,
    );
  }

  const clientId = saAnnotations[CLIENT_ID_ANNOTATION] ?? '';
  // An explicit tenant-id annotation wins even when empty (then the variable is left out).
  const tenantId = Object.prototype.hasOwnProperty.call(saAnnotations, TENANT_ID_ANNOTATION)
    ? String(saAnnotations[TENANT_ID_ANNOTATION])
    : ctx.tenantId;
  // An absent or empty annotation skips nothing; otherwise names split on ';' and trimmed.
  const skipList = podAnnotations[SKIP_CONTAINERS_ANNOTATION] ?? '';
  const skip = new Set(skipList ? skipList.split(';').map((s) => s.trim()) : []);
  const desired = [
    { name: 'AZURE_CLIENT_ID', value: clientId },
    { name: 'AZURE_TENANT_ID', value: tenantId },
    { name: 'AZURE_FEDERATED_TOKEN_FILE', value: `${layout.mountPath}/${layout.tokenPath}` },
    { name: 'AZURE_AUTHORITY_HOST', value: ctx.authorityHost },
  ];
  for (const list of ['initContainers', 'containers'] as const) {
    for (const c of (spec[list] ?? []) as Container[]) {
      if (skip.has(String(c.name))) continue;
      const present = new Set((c.env ?? []).map((e) => e.name));
      for (const env of desired) {
        if (!present.has(env.name) && env.value) {
          (c.env ??= []).push({ ...env });
        }
      }
      const mount = { mountPath: layout.mountPath, name: layout.volumeName, readOnly: true };
      const mounts = (c.volumeMounts ??= []);
      const i = mounts.findIndex((m) => m.name === layout.volumeName);
      if (i >= 0) mounts[i] = mount;
      else mounts.push(mount);
    }
  }

  const volume = {
    name: layout.volumeName,
    projected: {
      sources: [
        { serviceAccountToken: { audience: TOKEN_AUDIENCE, expirationSeconds: expiration, path: layout.tokenPath } },
      ],
    },
  };
  const volumes = (spec.volumes ??= []) as Record<string, unknown>[];
  const vi = volumes.findIndex((v) => v.name === layout.volumeName);
  if (vi >= 0) volumes[vi] = volume;
  else volumes.push(volume);
}

/**
 * Proxy init container (appended to initContainers) and the proxy sidecar. On Kubernetes 1.32+
 * (the sandbox reports 1.32) the webhook uses a native sidecar: an init container with
 * `restartPolicy: Always`, put first.
 */
function injectProxy(spec: Record<string, unknown>, port: number, version: string): void {
  const init = (spec.initContainers ??= []) as Container[];
  if (!init.some((c) => c.name === PROXY_INIT_CONTAINER)) {
    init.push({
      name: PROXY_INIT_CONTAINER,
      image: `${IMAGE_REGISTRY}/proxy-init:${version}`,
      imagePullPolicy: 'IfNotPresent',
      securityContext: {
        capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
        privileged: true,
        runAsNonRoot: false,
        runAsUser: 0,
      },
      env: [{ name: 'PROXY_PORT', value: String(port) }],
    });
  }
  if (init.some((c) => c.name === PROXY_SIDECAR_CONTAINER)) return;
  init.unshift({
    name: PROXY_SIDECAR_CONTAINER,
    image: `${IMAGE_REGISTRY}/proxy:${version}`,
    imagePullPolicy: 'IfNotPresent',
    args: [`--proxy-port=${port}`, '--log-level=info'],
    ports: [{ containerPort: port }],
    lifecycle: { postStart: { exec: { command: ['/proxy', `--proxy-port=${port}`, '--probe', '--log-level=info'] } } },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    },
    restartPolicy: 'Always',
  });
}
