import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { diagnosisJson, diagnosisText } from '../core/diagnosis/report';
import type { Diagnosis } from '../core/diagnosis/runChecks';
import type { DiagnosisBackend, DiagnoseOptions } from '../diagnosis/diagnosisBackend';
import type { Out } from './sandbox';

export const DOCTOR_USAGE = `Usage: kwi doctor --cluster NAME --resource-group RG (--namespace NS --service-account NAME | --all)
                  [--subscription ID] [--scope RESOURCE_ID] [--no-exchange] [--format text|json]
                  [--sandbox [STATE_FILE]] [--context KUBE_CONTEXT]
  Checks a ServiceAccount's workload identity chain, down to a real token exchange:
  cluster.oidc-issuer, cluster.workload-identity, issuer.discovery, serviceaccount, identity,
  federated-credential, pods, token-request, token-exchange, role-assignment, resource-access.
  --all            every ServiceAccount with an azure.workload.identity/client-id annotation
  --scope ID       the resource the workload reaches (default: the pods' KEYVAULT_URL)
  --no-exchange    no token exchange and no data-plane call
  --sandbox [FILE] attach to the running 'kwi sandbox' owning FILE (default ~/.kwi/sandbox/state.json);
                   without it: the Azure CLI's sign-in and the kubeconfig
  --context CTX    the kubeconfig context (default: the one named after the cluster, else a
                   clusterUser kubeconfig from listClusterUserCredential, kept in memory)
  Exit code: 0 nothing failed, 1 a check failed, 2 bad usage or no backend.
`;

const OPTIONS = {
  cluster: { type: 'string' },
  'resource-group': { type: 'string' },
  namespace: { type: 'string' },
  'service-account': { type: 'string' },
  subscription: { type: 'string' },
  scope: { type: 'string' },
  'no-exchange': { type: 'boolean' },
  format: { type: 'string' },
  sandbox: { type: 'string' },
  context: { type: 'string' },
  all: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export interface DoctorArgs {
  options: DiagnoseOptions;
  namespace?: string;
  serviceAccount?: string;
  all: boolean;
  format: 'text' | 'json';
  subscription?: string;
  context?: string;
  /** The sandbox state file to attach to; undefined = Azure CLI + kubeconfig. */
  sandbox?: string;
}

class UsageError extends Error {}

/** `--sandbox` takes an optional value, which `util.parseArgs` cannot express: give it the default. */
function withSandboxDefault(args: readonly string[], defaultState: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    out.push(a);
    if (a === '--sandbox' && (i + 1 >= args.length || args[i + 1]!.startsWith('-'))) out.push(defaultState);
  }
  return out;
}

export function parseDoctorArgs(
  args: readonly string[],
  defaultState: string,
  env: NodeJS.ProcessEnv = process.env,
): DoctorArgs | 'help' {
  let values: { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };
  try {
    ({ values } = parseArgs({
      args: withSandboxDefault(args, defaultState),
      options: OPTIONS,
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) return 'help';
  const need = (k: 'cluster' | 'resource-group'): string => {
    const v = values[k];
    if (typeof v !== 'string' || !v) throw new UsageError(`--${k} is required`);
    return v;
  };
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format: '${format}' is not text or json`);
  const all = values.all === true;
  const namespace = values.namespace as string | undefined;
  const serviceAccount = values['service-account'] as string | undefined;
  if (all && (namespace || serviceAccount)) throw new UsageError('--all replaces --namespace and --service-account');
  if (!all && (!namespace || !serviceAccount)) {
    throw new UsageError('--namespace and --service-account are required (or --all)');
  }
  const scope = values.scope as string | undefined;
  if (scope !== undefined && !/^\/subscriptions\/[^/]+/i.test(scope)) {
    throw new UsageError(`--scope: '${scope}' is not an ARM resource ID (/subscriptions/…)`);
  }
  const locale = /^ko/i.test(env.LC_ALL || env.LC_MESSAGES || env.LANG || '') ? 'ko' : 'en';
  return {
    options: {
      cluster: need('cluster'),
      resourceGroup: need('resource-group'),
      scope,
      noExchange: values['no-exchange'] === true,
      locale,
    },
    namespace,
    serviceAccount,
    all,
    format,
    subscription: values.subscription as string | undefined,
    context: values.context as string | undefined,
    sandbox: typeof values.sandbox === 'string' ? resolve(values.sandbox) : undefined,
  };
}

async function connect(a: DoctorArgs): Promise<DiagnosisBackend> {
  const { BackendError, azureCliDiagnosisBackend, sandboxDiagnosisBackend } = await import('../diagnosis/backends');
  const cluster = { name: a.options.cluster, resourceGroup: a.options.resourceGroup };
  if (a.sandbox) {
    const { findRunningSandbox } = await import('../sandbox/attach');
    const running = await findRunningSandbox(a.sandbox);
    if (!running) {
      throw new BackendError(
        `no 'kwi sandbox' is running on ${a.sandbox}: start one with 'kwi sandbox --state ${a.sandbox}'`,
      );
    }
    if (a.subscription && a.subscription.toLowerCase() !== running.subscriptionId.toLowerCase()) {
      throw new BackendError(`the sandbox's subscription is ${running.subscriptionId}, not ${a.subscription}`);
    }
    return sandboxDiagnosisBackend(running, cluster, a.context);
  }
  return azureCliDiagnosisBackend({ cluster, subscriptionId: a.subscription, context: a.context });
}

function clusterText(diagnoses: readonly Diagnosis[], locale: 'en' | 'ko'): string {
  const rows = diagnoses.map(
    (d) =>
      `${d.verdict.padEnd(5)} ${d.serviceAccount.padEnd(40)} ${d.checks
        .filter((c) => c.status === 'fail' || c.status === 'warn')
        .map((c) => `${c.id}${c.status === 'warn' ? '(warn)' : ''}`)
        .join(', ')}`,
  );
  const failed = diagnoses.filter((d) => d.verdict === 'fail');
  return [
    ...rows,
    '',
    ...failed.map((d) => diagnosisText(d, locale)),
    `${diagnoses.length} ServiceAccount(s), ${failed.length} with a failed check.`,
    '',
  ].join('\n');
}

/** `kwi doctor`. Returns the exit code. */
export async function runDoctor(
  args: string[],
  stdout: Out,
  stderr: Out,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { DEFAULT_STATE_FILE } = await import('../sandbox/server');
  let a: DoctorArgs | 'help';
  try {
    a = parseDoctorArgs(args, DEFAULT_STATE_FILE, env);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    stderr.write(`kwi doctor: ${e.message}\n${DOCTOR_USAGE}`);
    return 2;
  }
  if (a === 'help') {
    stdout.write(DOCTOR_USAGE);
    return 0;
  }
  let backend: DiagnosisBackend;
  try {
    backend = await connect(a);
  } catch (e) {
    stderr.write(`kwi doctor: ${(e as Error).message}\n`);
    return 2;
  }
  const session = await import('../diagnosis/session');
  const locale = a.options.locale ?? 'en';
  if (a.all) {
    const r = await session.diagnoseCluster(backend, a.options);
    if (r.error) {
      stderr.write(`kwi doctor: the ServiceAccounts could not be listed: ${r.error}\n`);
      return 2;
    }
    stdout.write(
      a.format === 'json'
        ? `${JSON.stringify(r.diagnoses.map(diagnosisJson), null, 2)}\n`
        : clusterText(r.diagnoses, locale),
    );
    return r.diagnoses.some((d) => d.verdict === 'fail') ? 1 : 0;
  }
  const d = await session.diagnoseServiceAccount(backend, a.options, a.namespace!, a.serviceAccount!);
  stdout.write(a.format === 'json' ? `${JSON.stringify(diagnosisJson(d), null, 2)}\n` : diagnosisText(d, locale));
  return d.verdict === 'fail' ? 1 : 0;
}
