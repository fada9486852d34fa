/**
 * `kwi setup`: the provisioning plan, headless. Without --yes it prints the plan and writes
 * nothing; with --yes it applies it. Exit codes (both modes): 0 every step done or applied, 1 a step
 * still to do, failed or blocked, 2 bad usage (one line on stderr). Flags parsed by Node's util.parseArgs.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Analyzer } from '../core/analyzer';
import { applyTextEdits } from '../core/fixAll';
import { pmsg } from '../core/provision/messages';
import { planJson, planSucceeded, type Plan, type SetupInputs, type StepState } from '../core/provision/plan';
import { parseProviderVersion } from '../core/provision/export/terraform';
import type { WorkspaceIndex } from '../core/workspaceIndex';

/** How long `--yes` waits for an operation already running on the cluster (AKS updates take minutes). */
const CLUSTER_BUSY_WAIT_MS = 30 * 60_000;
import type { Out } from './sandbox';

export const SETUP_USAGE = `Usage: kwi setup --subscription ID --resource-group RG --cluster NAME
                 --namespace NS --service-account NAME
                 --identity NAME [--identity-resource-group RG] [--location LOCATION]
                 [--scope RESOURCE_ID --role ROLE_NAME_OR_ID] [--manifest FILE]
                 [--plan | --yes] [--export az|bicep|terraform|yaml [--terraform-provider VERSION]]
                 [--format text|json] [--sandbox [STATE_FILE]] [--context KUBE_CONTEXT]
`;

class Usage extends Error {}

export interface SetupArgs {
  inputs: SetupInputs;
  apply: boolean;
  exportFormat?: 'az' | 'bicep' | 'terraform' | 'yaml';
  terraformProvider?: string;
  format: 'text' | 'json';
  /** undefined: Azure; '' : the default state file; else that file. */
  sandbox?: string;
  manifest?: string;
}

/** `--sandbox` takes an optional value: a bare `--sandbox` (last, or before another flag) means the default state. */
function normalize(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--sandbox' && (i + 1 >= args.length || args[i + 1]!.startsWith('--'))) out.push('--sandbox=');
    else out.push(a);
  }
  return out;
}

export function parseSetupArgs(argv: readonly string[]): SetupArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: normalize(argv),
      strict: true,
      allowPositionals: false,
      options: {
        subscription: { type: 'string' },
        'resource-group': { type: 'string' },
        cluster: { type: 'string' },
        namespace: { type: 'string' },
        'service-account': { type: 'string' },
        identity: { type: 'string' },
        'identity-resource-group': { type: 'string' },
        location: { type: 'string' },
        scope: { type: 'string' },
        role: { type: 'string' },
        manifest: { type: 'string' },
        plan: { type: 'boolean' },
        yes: { type: 'boolean' },
        export: { type: 'string' },
        'terraform-provider': { type: 'string' },
        format: { type: 'string' },
        sandbox: { type: 'string' },
        context: { type: 'string' },
      },
    });
  } catch (e) {
    throw new Usage((e as Error).message.split('\n')[0]);
  }
  const v = parsed.values;
  for (const req of [
    'subscription',
    'resource-group',
    'cluster',
    'namespace',
    'service-account',
    'identity',
  ] as const) {
    if (!v[req]) throw new Usage(`--${req} is required`);
  }
  if (v.plan && v.yes) throw new Usage('--plan and --yes exclude each other');
  if (v.role && !v.scope) throw new Usage('--role needs --scope');
  if (v.format !== undefined && v.format !== 'text' && v.format !== 'json') {
    throw new Usage(`--format: '${v.format}' is not text or json`);
  }
  if (v.export !== undefined && !['az', 'bicep', 'terraform', 'yaml'].includes(v.export)) {
    throw new Usage(`--export: '${v.export}' is not az, bicep, terraform or yaml`);
  }
  if (
    v['terraform-provider'] !== undefined &&
    (v.export !== 'terraform' || !parseProviderVersion(v['terraform-provider']))
  ) {
    throw new Usage('--terraform-provider takes a version (e.g. 4.65.0) and needs --export terraform');
  }
  return {
    inputs: {
      subscriptionId: v.subscription!,
      resourceGroup: v['resource-group']!,
      clusterName: v.cluster!,
      namespace: v.namespace!,
      serviceAccount: v['service-account']!,
      identityName: v.identity!,
      ...(v['identity-resource-group'] ? { identityResourceGroup: v['identity-resource-group'] } : {}),
      ...(v.location ? { location: v.location } : {}),
      ...(v.scope ? { scope: v.scope } : {}),
      ...(v.role ? { role: v.role } : {}),
      ...(v.context ? { kubeContext: v.context } : {}),
      ...(v.manifest ? { manifestUri: pathToFileURL(resolve(v.manifest)).toString() } : {}),
    },
    apply: v.yes === true,
    exportFormat: v.export as SetupArgs['exportFormat'],
    terraformProvider: v['terraform-provider'],
    format: (v.format as 'text' | 'json' | undefined) ?? 'text',
    sandbox: v.sandbox,
    manifest: v.manifest ? resolve(v.manifest) : undefined,
  };
}

const MARK: Record<StepState, string> = {
  done: 'cli.done',
  todo: 'cli.todo',
  applied: 'cli.applied',
  failed: 'cli.failed',
  blocked: 'cli.blocked',
  skipped: 'cli.skipped',
} as const;

export function renderPlanText(plan: Plan, writes: number | undefined): string {
  const l = plan.inputs.locale;
  const lines: string[] = [];
  for (const s of plan.steps) {
    lines.push(`[${pmsg(l, MARK[s.state] as 'cli.done')}] ${s.id}: ${s.title}`);
    for (const c of s.changes) {
      lines.push(`    ${c.field}: ${c.before !== undefined ? `${c.before} → ` : ''}${c.after}`);
    }
    if (s.blockedReason) lines.push(`    ${s.blockedReason}`);
    if (s.unblock) lines.push(`    → ${s.unblock}`);
    if (s.error) lines.push(`    ${s.error.code}: ${s.error.message}`);
    if (s.detail) lines.push(`    ${s.detail}`);
    for (const n of s.notes ?? []) lines.push(`    • ${n}`);
    for (const e of s.equivalent.split('\n')) lines.push(`    $ ${e}`);
  }
  lines.push('', writes === undefined ? pmsg(l, 'cli.planOnly') : pmsg(l, 'cli.writes', writes), '');
  return lines.join('\n');
}

function manifestIndex(file: string, uri: string): WorkspaceIndex {
  const analyzer = new Analyzer();
  analyzer.indexFile(uri, readFileSync(file, 'utf8'));
  return analyzer.workspaceIndex;
}

export async function runSetup(argv: string[], stdout: Out, stderr: Out): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    stdout.write(SETUP_USAGE);
    return 0;
  }
  let args: SetupArgs;
  try {
    args = parseSetupArgs(argv);
  } catch (e) {
    if (e instanceof Usage) {
      stderr.write(`kwi setup: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const session = await import('../provision/session');
  const { InvalidInput } = await import('../provision/inputs');
  let backend;
  if (args.sandbox !== undefined) {
    const { findRunningSandbox, DEFAULT_STATE_FILE } = await import('../sandbox/server');
    const stateFile = args.sandbox ? resolve(args.sandbox) : DEFAULT_STATE_FILE;
    const running = await findRunningSandbox(stateFile);
    if (!running) {
      stderr.write(
        `kwi setup: no running kwi sandbox owns ${stateFile} (start one with: kwi sandbox --state ${stateFile})\n`,
      );
      return 2;
    }
    backend = (await import('../provision/backends')).sandboxBackend(running);
  } else {
    backend = (await import('../provision/backends')).azureCliBackend();
  }
  let workspace: WorkspaceIndex | undefined;
  if (args.manifest) {
    try {
      workspace = manifestIndex(args.manifest, args.inputs.manifestUri!);
    } catch (e) {
      stderr.write(`kwi setup: --manifest: ${(e as Error).message}\n`);
      return 2;
    }
  }
  let plan: Plan;
  try {
    // Applying after an interrupted run: the operation it started may still be running at the
    // service. Wait for it (as `az aks update` would have) instead of reporting the step blocked.
    const waitForCluster = args.apply
      ? {
          waitWhileClusterBusyMs: CLUSTER_BUSY_WAIT_MS,
          onClusterBusy: (state: string) =>
            stderr.write(
              `kwi setup: cluster ${args.inputs.clusterName} is ${state} (an operation is running); waiting for it to finish\n`,
            ),
        }
      : {};
    plan = await session.planSetup(backend, args.inputs, { workspace, ...waitForCluster });
  } catch (e) {
    if (InvalidInput.is(e)) {
      stderr.write(`kwi setup: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  let writes: number | undefined;
  if (args.apply) {
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.once('SIGINT', onSignal);
    try {
      const result = await session.applyPlan(backend, plan, {
        signal: controller.signal,
        workspace,
        applyManifestEdit: async (edit) => {
          // The file is written whole or not at all: a temporary file beside it, then a rename.
          const text = readFileSync(args.manifest!, 'utf8');
          const tmp = `${args.manifest}.kwi-tmp`;
          writeFileSync(tmp, applyTextEdits(text, edit.edits));
          renameSync(tmp, args.manifest!);
        },
        onProgress:
          args.format === 'text'
            ? (id, state, detail) => {
                stderr.write(`kwi setup: ${id} ${state}${detail ? `: ${detail}` : ''}\n`);
              }
            : undefined,
      });
      plan = result.plan;
      writes = result.writes;
    } finally {
      process.off('SIGINT', onSignal);
    }
  }
  if (args.exportFormat) {
    stdout.write(session.exportPlan(plan, args.exportFormat, { terraformProvider: args.terraformProvider }));
  } else if (args.format === 'json') {
    stdout.write(`${JSON.stringify(planJson(plan, writes ?? 0), null, 2)}\n`);
  } else {
    stdout.write(renderPlanText(plan, writes));
  }
  // One contract for --plan and --yes: 0 only when every step is done or applied. A plan with a
  // step still to do exits 1, so `kwi setup --plan` answers "is this ServiceAccount set up?" in CI.
  return planSucceeded(plan) ? 0 : 1;
}
