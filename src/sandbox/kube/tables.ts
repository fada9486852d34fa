import { selectorString, type LabelSelector } from './deploymentSpec';
import type { KubeObject } from './kubeState';

/**
 * Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), the columns
 * kube-apiserver's printers define (kubernetes pkg/printers/internalversion/printers.go);
 * kubectl get renders whatever columns the server returns.
 */
interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

const NAME_COL: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
};
const AGE_COL: Column = {
  name: 'Age',
  type: 'string',
  format: '',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  priority: 0,
};

const COLUMNS: Record<string, Column[]> = {
  pods: [
    NAME_COL,
    {
      name: 'Ready',
      type: 'string',
      format: '',
      description: 'The aggregate readiness state of this pod for accepting traffic.',
      priority: 0,
    },
    {
      name: 'Status',
      type: 'string',
      format: '',
      description: 'The aggregate status of the containers in this pod.',
      priority: 0,
    },
    {
      name: 'Restarts',
      type: 'string',
      format: '',
      description:
        'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      priority: 0,
    },
    AGE_COL,
    {
      name: 'IP',
      type: 'string',
      format: '',
      description: 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
      priority: 1,
    },
    {
      name: 'Node',
      type: 'string',
      format: '',
      description:
        'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename',
      priority: 1,
    },
    {
      name: 'Nominated Node',
      type: 'string',
      format: '',
      description:
        'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.',
      priority: 1,
    },
    {
      name: 'Readiness Gates',
      type: 'string',
      format: '',
      description:
        'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
      priority: 1,
    },
  ],
  serviceaccounts: [
    NAME_COL,
    {
      name: 'Secrets',
      type: 'string',
      format: '',
      description:
        'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
      priority: 0,
    },
    AGE_COL,
  ],
  namespaces: [
    NAME_COL,
    { name: 'Status', type: 'string', format: '', description: 'The status of the namespace', priority: 0 },
    AGE_COL,
  ],
  // printers.go deploymentColumnDefinitions; kubectl upper-cases the names (UP-TO-DATE).
  deployments: [
    NAME_COL,
    { name: 'Ready', type: 'string', format: '', description: 'Number of the pod with ready state', priority: 0 },
    {
      name: 'Up-to-date',
      type: 'string',
      format: '',
      description:
        'Total number of non-terminating pods targeted by this deployment that have the desired template spec.',
      priority: 0,
    },
    {
      name: 'Available',
      type: 'string',
      format: '',
      description:
        'Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment.',
      priority: 0,
    },
    AGE_COL,
    {
      name: 'Containers',
      type: 'string',
      format: '',
      description: 'Names of each container in the template.',
      priority: 1,
    },
    {
      name: 'Images',
      type: 'string',
      format: '',
      description: 'Images referenced by each container in the template.',
      priority: 1,
    },
    {
      name: 'Selector',
      type: 'string',
      format: '',
      description:
        "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.",
      priority: 1,
    },
  ],
  // printers.go replicaSetColumnDefinitions, statefulSetColumnDefinitions, daemonSetColumnDefinitions,
  // jobColumnDefinitions, mutatingWebhookColumnDefinitions.
  replicasets: [
    NAME_COL,
    col(
      'Desired',
      'Number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1.',
    ),
    col('Current', 'Replicas is the most recently observed number of replicas.'),
    col('Ready', 'The number of ready replicas for this replica set.'),
    AGE_COL,
    col('Containers', 'Names of each container in the template.', 1),
    col('Images', 'Images referenced by each container in the template.', 1),
    col(
      'Selector',
      'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
      1,
    ),
  ],
  statefulsets: [
    NAME_COL,
    col('Ready', 'Number of the pod with ready state'),
    AGE_COL,
    col('Containers', 'Names of each container in the template.', 1),
    col('Images', 'Images referenced by each container in the template.', 1),
  ],
  daemonsets: [
    NAME_COL,
    col(
      'Desired',
      'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).',
    ),
    col(
      'Current',
      'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
    ),
    col(
      'Ready',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.',
    ),
    col('Up-to-date', 'The total number of nodes that are running updated daemon pod'),
    col(
      'Available',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)',
    ),
    col(
      'Node Selector',
      "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node.",
    ),
    AGE_COL,
    col('Containers', 'Names of each container in the template.', 1),
    col('Images', 'Images referenced by each container in the template.', 1),
    col('Selector', 'A label query over pods that are managed by the daemon set.', 1),
  ],
  jobs: [
    NAME_COL,
    col('Status', 'Status of the job.'),
    col('Completions', 'The desired number of successfully finished pods the job should be run with.'),
    col('Duration', 'Time required to complete the job.'),
    AGE_COL,
    col('Containers', 'Names of each container in the template.', 1),
    col('Images', 'Images referenced by each container in the template.', 1),
    col('Selector', 'A label query over pods that should match the pod count.', 1),
  ],
  mutatingwebhookconfigurations: [
    NAME_COL,
    {
      ...col('Webhooks', 'Webhooks is a list of webhooks and the affected resources and operations.'),
      type: 'integer',
    },
    AGE_COL,
  ],
};

function col(name: string, description: string, priority = 0): Column {
  return { name, type: 'string', format: '', description, priority };
}

type Obj = Record<string, unknown>;

function templateCells(obj: KubeObject): [string, string, string] {
  const spec = (obj.spec ?? {}) as Obj;
  const containers = ((((spec.template ?? {}) as Obj).spec ?? {}) as Obj).containers as Obj[] | undefined;
  return [
    (containers ?? []).map((c) => String(c.name)).join(','),
    (containers ?? []).map((c) => String(c.image)).join(','),
    selectorString((spec.selector ?? {}) as LabelSelector),
  ];
}

function cells(resource: string, obj: KubeObject, now: Date): unknown[] {
  const md = obj.metadata as Obj;
  const age = humanDuration(now.getTime() - Date.parse(String(md.creationTimestamp)));
  if (resource === 'pods') {
    const spec = (obj.spec ?? {}) as Obj;
    const status = (obj.status ?? {}) as Obj;
    const statuses = (status.containerStatuses ?? []) as Obj[];
    const total = ((spec.containers ?? []) as unknown[]).length;
    const ready = statuses.filter((s) => s.ready === true).length;
    const restarts = statuses.reduce((n, s) => n + Number(s.restartCount ?? 0), 0);
    // kubectl's printPod: a container's waiting or terminated reason (CrashLoopBackOff, Error) wins over the phase.
    const containerReason = statuses
      .map(
        (s) =>
          ((s.state as Obj | undefined)?.waiting as Obj | undefined)?.reason ??
          ((s.state as Obj | undefined)?.terminated as Obj | undefined)?.reason,
      )
      .find((r) => typeof r === 'string' && r !== '');
    const reason = md.deletionTimestamp ? 'Terminating' : String(containerReason ?? status.phase ?? 'Pending');
    return [
      md.name,
      `${ready}/${total}`,
      reason,
      String(restarts),
      age,
      status.podIP ?? '<none>',
      spec.nodeName ?? '<none>',
      '<none>',
      '<none>',
    ];
  }
  if (resource === 'deployments') {
    // printDeployment: READY is ready/desired; UP-TO-DATE and AVAILABLE are int64 cells.
    const spec = (obj.spec ?? {}) as Obj;
    const status = (obj.status ?? {}) as Obj;
    const containers = ((((spec.template ?? {}) as Obj).spec ?? {}) as Obj).containers as Obj[] | undefined;
    const names = (containers ?? []).map((c) => String(c.name)).join(',');
    const images = (containers ?? []).map((c) => String(c.image)).join(',');
    return [
      md.name,
      `${Number(status.readyReplicas ?? 0)}/${Number(spec.replicas ?? 0)}`,
      Number(status.updatedReplicas ?? 0),
      Number(status.availableReplicas ?? 0),
      age,
      names,
      images,
      selectorString((spec.selector ?? {}) as LabelSelector),
    ];
  }
  if (resource === 'replicasets' || resource === 'statefulsets' || resource === 'daemonsets' || resource === 'jobs') {
    const spec = (obj.spec ?? {}) as Obj;
    const status = (obj.status ?? {}) as Obj;
    const [names, images, selector] = templateCells(obj);
    const n = (v: unknown): number => Number(v ?? 0);
    if (resource === 'replicasets') {
      return [md.name, n(spec.replicas), n(status.replicas), n(status.readyReplicas), age, names, images, selector];
    }
    if (resource === 'statefulsets') {
      return [md.name, `${n(status.readyReplicas)}/${n(spec.replicas)}`, age, names, images];
    }
    if (resource === 'daemonsets') {
      const nodeSelector =
        Object.entries(((((spec.template ?? {}) as Obj).spec ?? {}) as Obj).nodeSelector ?? {})
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(',') || '<none>';
      return [
        md.name,
        n(status.desiredNumberScheduled),
        n(status.currentNumberScheduled),
        n(status.numberReady),
        n(status.updatedNumberScheduled),
        n(status.numberAvailable),
        nodeSelector,
        age,
        names,
        images,
        selector,
      ];
    }
    const start = status.startTime ? Date.parse(String(status.startTime)) : undefined;
    const state = ((status.conditions ?? []) as Obj[]).some((c) => c.type === 'Complete' && c.status === 'True')
      ? 'Complete'
      : 'Running';
    return [
      md.name,
      state,
      `${n(status.succeeded)}/${n(spec.completions)}`,
      start ? humanDuration(now.getTime() - start) : '',
      age,
      names,
      images,
      selector,
    ];
  }
  if (resource === 'mutatingwebhookconfigurations') return [md.name, ((obj.webhooks ?? []) as unknown[]).length, age];
  if (resource === 'serviceaccounts') {
    return [md.name, ((obj.secrets ?? []) as unknown[]).length, age];
  }
  return [md.name, ((obj.status ?? {}) as Obj).phase ?? 'Active', age];
}

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

export function toTable(
  resource: string,
  objects: readonly KubeObject[],
  resourceVersion: string,
  includeObject: string | null,
  now: Date,
): Obj {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: COLUMNS[resource] ?? [NAME_COL, AGE_COL],
    rows: objects.map((o) => {
      const row: Obj = { cells: cells(resource, o, now) };
      if (includeObject === 'Object') {
        row.object = o;
      } else if (includeObject !== 'None') {
        row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
      }
      return row;
    }),
  };
}

/** k8s.io/apimachinery pkg/util/duration HumanDuration, the AGE column's format. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24) % 365;
    return days === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${days}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}
