import { StreamBody, type SandboxRequest, type SandboxResponse } from '../http';

const FOLLOW_POLL_MS = 500;
import type { KubeClusterContext } from './clusterContext';
import type { KubeObject } from './kubeState';
import { badRequest, notFound } from './status';
import { issueServiceAccountToken } from './tokenRequest';

type Obj = Record<string, unknown>;

/**
 * `GET /api/v1/namespaces/{ns}/pods/{name}/log` (kubelet containerLogs through the API
 * server). The sandbox runs no containers: the text comes from the optional
 * `KubeClusterContext.containerLog` hook (which may act out a known sample, e.g. the
 * tutorial's msal-go app), else the log is empty, as for a container that printed nothing.
 */
export async function podLog(
  ctx: KubeClusterContext,
  req: SandboxRequest,
  ns: string,
  name: string,
): Promise<SandboxResponse> {
  const pod = ctx.kube.pods[ns]?.[name];
  if (!pod) throw notFound('pods', name);
  const spec = (pod.spec ?? {}) as Obj;
  const containers = [...((spec.initContainers ?? []) as Obj[]), ...((spec.containers ?? []) as Obj[])];
  const regular = ((spec.containers ?? []) as Obj[]).map((c) => String(c.name));
  let container = req.query.get('container');
  if (!container) {
    if (regular.length !== 1) {
      throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${regular.join(' ')}]`);
    }
    container = regular[0] as string;
  }
  if (!containers.some((c) => c.name === container)) {
    throw badRequest(`container ${container} is not valid for pod ${name}`);
  }
  const previous = req.query.get('previous') === 'true';
  const text = ctx.containerLog ? await ctx.containerLog(pod, container, previous) : previous ? undefined : '';
  if (text === undefined) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
  if (req.query.get('follow') === 'true' && !previous && ctx.containerLog) {
    const read = ctx.containerLog.bind(ctx);
    // follow=true: the kubelet keeps the stream open and sends what the container prints next;
    // it ends when that container instance stops (its log is replaced by the restarted one's).
    return {
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: new StreamBody((sink) => {
        let sent = text;
        sink.write(text);
        const timer = setInterval(() => {
          if (ctx.kube.pods[ns]?.[name] !== pod) {
            sink.end();
            return;
          } // deleted or replaced
          void Promise.resolve(read(pod, container, false)).then(
            (now) => {
              if (now === undefined || !now.startsWith(sent)) {
                sink.end();
                return;
              }
              if (now.length > sent.length) {
                sink.write(now.slice(sent.length));
                sent = now;
              }
            },
            () => sink.end(),
          );
        }, FOLLOW_POLL_MS);
        sink.onClose(() => clearInterval(timer));
      }),
    };
  }
  return { status: 200, headers: { 'content-type': 'text/plain' }, body: text };
}

/**
 * The token the kubelet would have written at the container's AZURE_FEDERATED_TOKEN_FILE:
 * a pod-bound token for the pod's ServiceAccount, with the audience and lifetime of the
 * projected volume mounted there. Undefined when the container has no such variable (the
 * webhook did not mutate it) or the mount is missing.
 */
export function projectedTokenFor(
  ctx: KubeClusterContext,
  pod: KubeObject,
  container: string,
  now: Date = new Date(),
): string | undefined {
  const md = pod.metadata as Obj;
  const spec = (pod.spec ?? {}) as Obj;
  const c = [...((spec.initContainers ?? []) as Obj[]), ...((spec.containers ?? []) as Obj[])].find(
    (x) => x.name === container,
  );
  const file = ((c?.env ?? []) as { name: string; value?: string }[]).find(
    (e) => e.name === 'AZURE_FEDERATED_TOKEN_FILE',
  )?.value;
  if (!c || !file) return undefined;
  const mount = ((c.volumeMounts ?? []) as Obj[]).find((m) => file.startsWith(`${String(m.mountPath)}/`));
  const volume = ((spec.volumes ?? []) as Obj[]).find((v) => v.name === mount?.name);
  const relative = mount ? file.slice(String(mount.mountPath).length + 1) : '';
  const sources = (((volume?.projected as Obj | undefined)?.sources ?? []) as Obj[]).map(
    (s) => s.serviceAccountToken as Obj | undefined,
  );
  const projection = sources.find((s) => s && s.path === relative);
  const ns = String(md.namespace);
  const sa = ctx.kube.serviceaccounts[ns]?.[String(spec.serviceAccountName ?? 'default')];
  if (!projection || !sa) return undefined;
  const audiences = projection.audience
    ? [String(projection.audience)]
    : [ctx.issuerUrl ?? 'https://kubernetes.default.svc.cluster.local'];
  return issueServiceAccountToken(ctx, {
    namespace: ns,
    serviceAccount: sa,
    audiences,
    expirationSeconds: Number(projection.expirationSeconds ?? 3600),
    pod,
    now,
  }).token;
}
