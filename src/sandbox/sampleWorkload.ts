import { request } from 'node:https';
import type { SandboxContext } from './context';
import { LOGIN_HOST, vaultNameOfHost } from './publicNames';
import type { KubeClusterContext } from './kube/clusterContext';
import { kubeTime, type KubeObject } from './kube/kubeState';
import { projectedTokenFor } from './kube/podLog';

type Obj = Record<string, unknown>;

/**
 * The AKS tutorial's sample workload, acted out inside the sandbox: what
 * Azure/azure-workload-identity examples/msal-go/main.go does, through the sandbox's real
 * Entra and Key Vault endpoints over HTTPS. The sample checks its environment (klog.Fatal on a
 * missing variable), then loops: GetSecret, `klog.InfoS("successfully got secret", "secret", v)`,
 * sleep 60 s; on an error `klog.ErrorS(err, "failed to get secret from keyvault", ...)` and
 * os.Exit(1), after which the kubelet restarts the container with a back-off
 * (kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-restarts: 10 s doubling,
 * capped at 5 min).
 *
 * The sandbox has no clock of its own for containers: the loop is evaluated when the log is read.
 * Each read runs at most one due attempt against the state as it is then, so `kubectl logs`
 * always tells the truth about the chain now, but a log read rarely holds fewer lines than the
 * real container would have printed in the same time.
 */
export const SAMPLE_IMAGE = 'ghcr.io/azure/azure-workload-identity/msal-go';

interface Run {
  /** The current container instance's lines. */
  lines: string[];
  /** The previous instance's lines (`kubectl logs --previous`), once it has crashed. */
  previous: string[] | undefined;
  /** ms epoch of the next GetSecret. */
  nextAt: number;
  /** ms epoch the current instance exited, while it waits for its restart. */
  exitedAt: number | undefined;
  startedAt: number;
  restarts: number;
  busy: Promise<void> | undefined;
}

const runs = new WeakMap<SandboxContext, Map<string, Run>>();

export function isSampleImage(image: unknown): boolean {
  const s = String(image ?? '');
  return s === SAMPLE_IMAGE || s.startsWith(`${SAMPLE_IMAGE}:`) || s.startsWith(`${SAMPLE_IMAGE}@`);
}

/** `KubeClusterContext.containerLog` for a cluster of this sandbox. */
export async function sampleContainerLog(
  ctx: SandboxContext,
  kctx: KubeClusterContext,
  pod: KubeObject,
  container: string,
  previous: boolean,
): Promise<string | undefined> {
  const spec = (pod.spec ?? {}) as Obj;
  const c = ((spec.containers ?? []) as Obj[]).find((x) => x.name === container);
  if (!c || !isSampleImage(c.image)) return previous ? undefined : '';
  const md = pod.metadata as Obj;
  const key = `${kctx.guid}/${String(md.uid)}/${container}`;
  let byKey = runs.get(ctx);
  if (!byKey) {
    byKey = new Map();
    runs.set(ctx, byKey);
  }
  let run = byKey.get(key);
  if (!run) {
    const started = Date.parse(String((pod.status as Obj | undefined)?.startTime ?? '')) || ctx.now();
    run = {
      lines: [],
      previous: undefined,
      nextAt: started,
      exitedAt: undefined,
      startedAt: started,
      restarts: 0,
      busy: undefined,
    };
    byKey.set(key, run);
  }
  while (run.busy) await run.busy;
  run.busy = advance(ctx, kctx, pod, c, run).finally(() => {
    run.busy = undefined;
  });
  await run.busy;
  if (previous) return run.previous?.join('');
  return run.lines.join('');
}

async function advance(
  ctx: SandboxContext,
  kctx: KubeClusterContext,
  pod: KubeObject,
  c: Obj,
  run: Run,
): Promise<void> {
  const now = ctx.now();
  if (run.exitedAt !== undefined) {
    if (now < run.exitedAt + backoffMs(ctx, run.restarts)) return;
    run.previous = run.lines;
    run.lines = [];
    run.exitedAt = undefined;
    run.startedAt = now;
    run.nextAt = now;
    setStatus(kctx, pod, String(c.name), run, now);
  }
  if (now < run.nextAt) return;
  const outcome = await attempt(ctx, kctx, pod, c);
  const at = new Date(ctx.now());
  run.lines.push(`${klogHeader(outcome.severity, at)}${outcome.text}\n`);
  if (outcome.severity === 'I') {
    run.nextAt = at.getTime() + ctx.knobs.sampleIntervalSeconds * 1000;
    return;
  }
  run.exitedAt = at.getTime();
  run.restarts += 1;
  setStatus(kctx, pod, String(c.name), run, at.getTime(), outcome.severity === 'F' ? 255 : 1);
}

/** kubelet's crash back-off, shortened to the sample's interval knob so tests need not wait 10 s. */
function backoffMs(ctx: SandboxContext, restarts: number): number {
  return Math.min(10_000 * 2 ** Math.max(0, restarts - 1), 300_000, ctx.knobs.sampleIntervalSeconds * 1000);
}

/** The container's status as the kubelet reports it: terminated → CrashLoopBackOff → running again. */
function setStatus(
  kctx: KubeClusterContext,
  pod: KubeObject,
  name: string,
  run: Run,
  at: number,
  exitCode?: number,
): void {
  const status = pod.status as Obj | undefined;
  const cs = ((status?.containerStatuses ?? []) as Obj[]).find((s) => s.name === name);
  if (!status || !cs) return;
  const t = kubeTime(new Date(at));
  cs.restartCount = run.restarts;
  if (exitCode !== undefined) {
    cs.lastState = {
      terminated: {
        containerID: cs.containerID,
        exitCode,
        finishedAt: t,
        reason: 'Error',
        startedAt: kubeTime(new Date(run.startedAt)),
      },
    };
    cs.state = {
      waiting: {
        message: `back-off restarting failed container=${name} pod=${String((pod.metadata as Obj).name)}`,
        reason: 'CrashLoopBackOff',
      },
    };
    cs.ready = false;
    cs.started = false;
  } else {
    cs.state = { running: { startedAt: t } };
    cs.ready = true;
    cs.started = true;
  }
  const ready = ((status.containerStatuses ?? []) as Obj[]).every((s) => s.ready === true);
  for (const cond of (status.conditions ?? []) as Obj[]) {
    if (cond.type === 'Ready' || cond.type === 'ContainersReady') {
      const value = ready ? 'True' : 'False';
      if (cond.status !== value) {
        cond.status = value;
        cond.lastTransitionTime = t;
      }
    }
  }
  kctx.persist();
}

interface Outcome {
  severity: 'I' | 'E' | 'F';
  text: string;
}

async function attempt(ctx: SandboxContext, kctx: KubeClusterContext, pod: KubeObject, c: Obj): Promise<Outcome> {
  const env = new Map(((c.env ?? []) as { name: string; value?: string }[]).map((e) => [e.name, e.value ?? '']));
  for (const name of [
    'KEYVAULT_URL',
    'SECRET_NAME',
    'AZURE_CLIENT_ID',
    'AZURE_TENANT_ID',
    'AZURE_FEDERATED_TOKEN_FILE',
    'AZURE_AUTHORITY_HOST',
  ]) {
    if (!env.get(name)) return { severity: 'F', text: `${name} environment variable is not set` };
  }
  const vaultUrl = env.get('KEYVAULT_URL')!;
  const secretName = env.get('SECRET_NAME')!;
  const failed = (err: string): Outcome => ({
    severity: 'E',
    text: `"failed to get secret from keyvault" err=${klogValue(err)} keyvault=${klogValue(vaultUrl)} secretName=${klogValue(secretName)}`,
  });
  const tokenFile = env.get('AZURE_FEDERATED_TOKEN_FILE')!;
  const assertion = projectedTokenFor(kctx, pod, String(c.name), new Date(ctx.now()));
  if (assertion === undefined) {
    return failed(`failed to read service account token: open ${tokenFile}: no such file or directory`);
  }
  const authority = env.get('AZURE_AUTHORITY_HOST')!.replace(/\/?$/, '/');
  const tokenUrl = `${authority}${env.get('AZURE_TENANT_ID')!}/oauth2/v2.0/token`;
  const form = new URLSearchParams({
    client_assertion: assertion,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_id: env.get('AZURE_CLIENT_ID')!,
    grant_type: 'client_credentials',
    scope: 'https://vault.azure.net/.default',
  });
  let token: string;
  try {
    const res = await call(
      ctx,
      'POST',
      tokenUrl,
      { 'content-type': 'application/x-www-form-urlencoded' },
      form.toString(),
    );
    // MSAL Go's error text for a refused token request (apps/errors: CallErr).
    if (res.status !== 200) {
      return failed(`http call(${tokenUrl})(POST) error: reply status code was ${res.status}:\n${res.body}`);
    }
    token = String((JSON.parse(res.body) as Obj).access_token ?? '');
  } catch (e) {
    return failed(`Post "${tokenUrl}": ${e instanceof Error ? e.message : String(e)}`);
  }
  const secretUrl = `${vaultUrl.replace(/\/?$/, '/')}secrets/${encodeURIComponent(secretName)}/?api-version=7.4`;
  try {
    const res = await call(ctx, 'GET', secretUrl, { authorization: `Bearer ${token}` });
    if (res.status === 200) {
      return {
        severity: 'I',
        text: `"successfully got secret" secret=${klogValue(String((JSON.parse(res.body) as Obj).value ?? ''))}`,
      };
    }
    // azcore's ResponseError.Error() (sdk/azcore/internal/exported/response_error.go).
    const rule = '-'.repeat(80);
    let code = 'UNAVAILABLE';
    let pretty = res.body;
    try {
      const parsed = JSON.parse(res.body) as { error?: { code?: string } };
      code = parsed.error?.code ?? code;
      pretty = JSON.stringify(parsed, null, 2);
    } catch {
      /* not JSON: shown as sent */
    }
    const reason = res.statusMessage ? `${res.status} ${res.statusMessage}` : String(res.status);
    return failed(
      `GET ${secretUrl.replace(/\?.*$/, '')}\n${rule}\nRESPONSE ${res.status}: ${reason}\nERROR CODE: ${code}\n${rule}\n${pretty}\n${rule}\n`,
    );
  } catch (e) {
    return failed(`Get "${secretUrl}": ${e instanceof Error ? e.message : String(e)}`);
  }
}

interface Reply {
  status: number;
  statusMessage: string;
  body: string;
}

/**
 * Real HTTPS to the sandbox's own listeners. The public names a pod gets when it was created
 * through the proxy resolve to them, as DNS would: a vault's `{name}.vault.azure.net` to its
 * data-plane port, `login.microsoftonline.com` (the webhook's AZURE_AUTHORITY_HOST) to Entra.
 */
function call(
  ctx: SandboxContext,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Reply> {
  let target = new URL(url);
  const vault = vaultNameOfHost(target.hostname);
  const record = vault ? ctx.store.vaultByName(vault) : undefined;
  if (vault && !record) return Promise.reject(new Error(`dial tcp: lookup ${target.hostname}: no such host`));
  if (record) target = new URL(`${target.pathname}${target.search}`, ctx.vaultUri(record));
  else if (target.hostname.toLowerCase() === LOGIN_HOST) {
    target = new URL(`${target.pathname}${target.search}`, ctx.origin);
  }
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method,
        headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) },
        ca: ctx.caPem,
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            statusMessage: res.statusMessage ?? '',
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('context deadline exceeded')));
    req.on('error', reject);
    req.end(body);
  });
}

/** klog's text header: `Lmmdd hh:mm:ss.uuuuuu threadid file:line] ` (k8s.io/klog/v2, klog.go formatHeader). */
function klogHeader(severity: 'I' | 'E' | 'F', at: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const line = severity === 'I' ? 64 : severity === 'E' ? 61 : 25;
  return `${severity}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())} ${p(at.getUTCHours())}:${p(at.getUTCMinutes())}:${p(at.getUTCSeconds())}.${p(at.getUTCMilliseconds(), 3)}000       1 main.go:${line}] `;
}

/**
 * A structured value as klog's text format writes it: quoted on one line, or for a multi-line
 * string `<` + each line indented by a tab + ` >` (k8s.io/klog/v2 internal/serialize).
 */
function klogValue(v: string): string {
  if (!v.includes('\n')) return JSON.stringify(v);
  const body = v.endsWith('\n') ? v.slice(0, -1) : v;
  return `<\n${body
    .split('\n')
    .map((l) => `\t${l}`)
    .join('\n')}\n >`;
}
