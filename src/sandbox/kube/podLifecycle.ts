import { createHash, randomBytes } from 'node:crypto';
import type { KubeClusterContext } from './clusterContext';
import { kubeTime, type KubeObject } from './kubeState';
import { forbidden } from './status';

/** The single node every sandbox pod is scheduled to, named like an AKS VMSS node. */
export function nodeNameOf(ctx: KubeClusterContext): string {
  return `aks-nodepool1-${parseInt(ctx.guid.replace(/-/g, '').slice(0, 7), 16) % 100000000}-vmss000000`;
}

type Obj = Record<string, unknown>;

/**
 * API defaulting for core/v1 Pods (kubernetes pkg/apis/core/v1/defaults.go): what `kubectl get
 * -o yaml` shows that nobody wrote. Idempotent: the API server defaults again after mutating
 * webhooks.
 */
export function defaultPod(pod: KubeObject): void {
  const spec = (pod.spec ??= {}) as Obj;
  defaultPodSpec(spec);
  // SetDefaults_Pod (not SetDefaults_PodSpec): absent from a Deployment's template.
  spec.enableServiceLinks ??= true;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  spec.priority ??= 0; // Priority admission, no PriorityClass
  // DefaultTolerationSeconds admission.
  const tolerations = (spec.tolerations ??= []) as Obj[];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerations.some((t) => t.key === key)) {
      tolerations.push({ effect: 'NoExecute', key, operator: 'Exists', tolerationSeconds: 300 });
    }
  }
}

/**
 * SetDefaults_PodSpec plus the container and volume defaults: what a pod template (a
 * Deployment's `spec.template.spec`) gets, without the pod-only defaults and admission.
 */
export function defaultPodSpec(spec: Obj): void {
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.restartPolicy ??= 'Always';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  for (const list of ['initContainers', 'containers'] as const) {
    for (const c of (spec[list] ?? []) as Obj[]) defaultContainer(c);
  }
  for (const v of (spec.volumes ?? []) as Obj[]) {
    const projected = v.projected as Obj | undefined;
    if (projected) {
      projected.defaultMode ??= 420;
      for (const s of (projected.sources ?? []) as Obj[]) {
        const sat = s.serviceAccountToken as Obj | undefined;
        if (sat) sat.expirationSeconds ??= 3600;
      }
    }
    for (const k of ['configMap', 'secret'] as const) {
      const src = v[k] as Obj | undefined;
      if (src) src.defaultMode ??= 420;
    }
  }
}

function defaultContainer(c: Obj): void {
  const image = String(c.image ?? '');
  const tag = image.includes('@') ? 'digest' : (/:([^/]+)$/.exec(image)?.[1] ?? 'latest');
  c.imagePullPolicy ??= tag === 'latest' ? 'Always' : 'IfNotPresent';
  c.resources ??= {};
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  for (const p of (c.ports ?? []) as Obj[]) p.protocol ??= 'TCP';
  for (const e of (c.env ?? []) as Obj[]) {
    const fieldRef = (e.valueFrom as Obj | undefined)?.fieldRef as Obj | undefined;
    if (fieldRef) fieldRef.apiVersion ??= 'v1';
  }
}

const SA_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount): defaults the
 * ServiceAccount, refuses a pod whose ServiceAccount does not exist, and mounts the
 * `kube-api-access-xxxxx` projected volume unless automounting is off.
 */
export function admitServiceAccount(ctx: KubeClusterContext, namespace: string, pod: KubeObject): KubeObject {
  const spec = (pod.spec ??= {}) as Obj;
  const md = (pod.metadata ?? {}) as Obj;
  if (!spec.serviceAccountName) spec.serviceAccountName = 'default';
  const saName = String(spec.serviceAccountName);
  // The deprecated alias, still filled in by defaulting.
  spec.serviceAccount = saName;
  const sa = ctx.kube.serviceaccounts[namespace]?.[saName];
  if (!sa) {
    // NewForbidden falls back to generateName (a controller's `web-5d8f7c9b4-`) when there is no name yet.
    throw forbidden(
      'pods',
      String(md.name || md.generateName || ''),
      `error looking up service account ${namespace}/${saName}: serviceaccount "${saName}" not found`,
    );
  }
  const automount = spec.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true;
  if (automount !== false) mountApiAccess(spec);
  return sa;
}

/** Adds the API-access volume mount to every container that lacks one (re-run after webhooks). */
export function mountApiAccess(spec: Obj): void {
  const volumes = (spec.volumes ??= []) as Obj[];
  let volume = volumes.find((v) => String(v.name).startsWith('kube-api-access-'));
  if (!volume) {
    volume = {
      name: `kube-api-access-${randomSuffix()}`,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
          {
            downwardAPI: {
              items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }],
            },
          },
        ],
      },
    };
    volumes.push(volume);
  }
  for (const list of ['initContainers', 'containers'] as const) {
    for (const c of (spec[list] ?? []) as Obj[]) {
      const mounts = (c.volumeMounts ??= []) as Obj[];
      if (!mounts.some((m) => m.mountPath === SA_MOUNT_PATH)) {
        mounts.push({ mountPath: SA_MOUNT_PATH, name: volume.name, readOnly: true });
      }
    }
  }
}

/** Five characters from the alphabet Kubernetes uses for generated suffixes (no vowels). */
export function randomSuffix(n = 5): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** `busybox` → `docker.io/library/busybox:latest`, as containerd reports images. */
export function normalizeImage(image: string): string {
  let ref = image;
  const first = ref.split('/')[0] as string;
  const hasRegistry = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) ref = `docker.io/${ref.includes('/') ? ref : `library/${ref}`}`;
  if (!ref.includes('@') && !/:[^/]+$/.test(ref)) ref += ':latest';
  return ref;
}

function fakeDigest(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/**
 * What the scheduler and the kubelet would do next: bind to the node and report every
 * container running (init containers completed, native sidecars running).
 */
export function runPod(ctx: KubeClusterContext, pod: KubeObject, now: Date): void {
  const spec = pod.spec as Obj;
  const md = pod.metadata as Obj;
  spec.nodeName ??= nodeNameOf(ctx);
  const t = kubeTime(now);
  const ipSeed = parseInt(createHash('sha256').update(String(md.uid)).digest('hex').slice(0, 4), 16);
  const podIP = `10.244.${Math.floor(ipSeed / 256) % 255}.${(ipSeed % 253) + 2}`;
  const status = (c: Obj, running: boolean): Obj => {
    const image = normalizeImage(String(c.image ?? ''));
    const base: Obj = {
      containerID: `containerd://${fakeDigest(`${String(md.uid)}/${String(c.name)}`)}`,
      image,
      imageID: `${image.replace(/[:@][^/]*$/, '')}@sha256:${fakeDigest(image)}`,
      lastState: {},
      name: c.name,
      ready: running,
      restartCount: 0,
      started: running,
    };
    base.state = running
      ? { running: { startedAt: t } }
      : {
          terminated: { containerID: base.containerID, exitCode: 0, finishedAt: t, reason: 'Completed', startedAt: t },
        };
    if (!running) base.started = false;
    return base;
  };
  const containers = (spec.containers ?? []) as Obj[];
  const inits = (spec.initContainers ?? []) as Obj[];
  const resources = [...containers, ...inits].map((c) => (c.resources ?? {}) as Obj);
  const hasRequests = resources.some((r) => r.requests || r.limits);
  const guaranteed =
    containers.length > 0 &&
    containers.every((c) => {
      const r = (c.resources ?? {}) as Obj;
      const limits = r.limits as Obj | undefined;
      return (
        limits?.cpu !== undefined &&
        limits?.memory !== undefined &&
        JSON.stringify(r.requests ?? limits) === JSON.stringify(limits)
      );
    });
  const condition = (type: string): Obj => ({ lastProbeTime: null, lastTransitionTime: t, status: 'True', type });
  const st: Obj = {
    conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(condition),
    containerStatuses: containers.map((c) => status(c, true)),
    hostIP: '10.224.0.4',
    hostIPs: [{ ip: '10.224.0.4' }],
    phase: 'Running',
    podIP,
    podIPs: [{ ip: podIP }],
    qosClass: guaranteed ? 'Guaranteed' : hasRequests ? 'Burstable' : 'BestEffort',
    startTime: t,
  };
  if (inits.length) {
    st.initContainerStatuses = inits.map((c) => status(c, c.restartPolicy === 'Always'));
  }
  pod.status = st;
}

/**
 * The events a real cluster records while starting the pod, so `kubectl describe pod` shows a
 * plausible history (Scheduled, Pulled, Created, Started per container).
 */
export function podEvents(ctx: KubeClusterContext, pod: KubeObject): KubeObject[] {
  const md = pod.metadata as Obj;
  const spec = pod.spec as Obj;
  const ns = String(md.namespace);
  const name = String(md.name);
  const t = String(md.creationTimestamp);
  const involved = {
    apiVersion: 'v1',
    kind: 'Pod',
    name,
    namespace: ns,
    resourceVersion: md.resourceVersion,
    uid: md.uid,
  };
  const events: KubeObject[] = [];
  const add = (reason: string, message: string, component: string, fieldPath?: string): void => {
    const obj: Obj = fieldPath ? { ...involved, fieldPath } : { ...involved };
    events.push({
      apiVersion: 'v1',
      kind: 'Event',
      count: 1,
      firstTimestamp: t,
      lastTimestamp: t,
      involvedObject: obj,
      message,
      metadata: {
        creationTimestamp: t,
        name: `${name}.${fakeDigest(reason + message).slice(0, 16)}`,
        namespace: ns,
        resourceVersion: String(md.resourceVersion),
        uid: fakeDigest(`${String(md.uid)}${reason}${message}`).replace(
          /^(.{8})(.{4})(.{4})(.{4})(.{12}).*/,
          '$1-$2-$3-$4-$5',
        ),
      },
      reason,
      reportingComponent: component === 'default-scheduler' ? 'default-scheduler' : 'kubelet',
      reportingInstance: component === 'default-scheduler' ? '' : String(spec.nodeName),
      source: component === 'default-scheduler' ? { component } : { component: 'kubelet', host: String(spec.nodeName) },
      type: 'Normal',
    });
  };
  add(
    'Scheduled',
    `Successfully assigned ${ns}/${name} to ${String(spec.nodeName ?? nodeNameOf(ctx))}`,
    'default-scheduler',
  );
  for (const list of ['initContainers', 'containers'] as const) {
    for (const c of (spec[list] ?? []) as Obj[]) {
      const fieldPath = `spec.${list}{${String(c.name)}}`;
      // The kubelet pulls for `Always` (the default for `:latest`) and reuses the image otherwise.
      if (c.imagePullPolicy === 'Always') {
        add('Pulling', `Pulling image "${String(c.image)}"`, 'kubelet', fieldPath);
        add(
          'Pulled',
          `Successfully pulled image "${String(c.image)}" in 1.042s (1.042s including waiting). Image size: 10485760 bytes.`,
          'kubelet',
          fieldPath,
        );
      } else {
        add('Pulled', `Container image "${String(c.image)}" already present on machine`, 'kubelet', fieldPath);
      }
      add('Created', `Created container ${String(c.name)}`, 'kubelet', fieldPath);
      add('Started', `Started container ${String(c.name)}`, 'kubelet', fieldPath);
    }
  }
  return events;
}
