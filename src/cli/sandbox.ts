import { dirname, join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { sandboxClientEnv, shellExports } from '../core/sandboxEnv';
import type { Knobs } from '../sandbox/knobs';
import { writeAtomic } from '../sandbox/store';
import {
  DEFAULT_STATE_FILE,
  SandboxOwnedError,
  startSandbox,
  type RunningSandbox,
  type SandboxOptions,
} from '../sandbox/server';

/** Minimal writable the CLI prints to (process.stdout in production, a buffer in tests). */
export interface Out {
  write(text: string): unknown;
}

export const SANDBOX_USAGE = `Usage: kwi sandbox [options]
  --port N               listen on 127.0.0.1:N (default 8443; 0 = any free port)
  --state FILE           state file (default ${DEFAULT_STATE_FILE}); ca.pem is written beside it
  --kubeconfig FILE      write a kubeconfig with one context per sandbox cluster (default: beside the state)
  --reset                start again from the teaching scenario
  --empty                start from an empty world (tenant, subscription and developer only)
  --latency MS           added to every request
  --throttle-rate R      share of requests answered 429 with Retry-After (0..1)
  --error-rate R         share of requests answered 503 (0..1)
  --drop-rate R          share of connections dropped without an answer (0..1)
  --fic-propagation S    seconds before a new federated credential works (AADSTS70021 until then)
  --rbac-propagation S   seconds before a new role assignment grants access (403 until then)
  --principal-replication S  seconds before a new identity can be named in a role assignment
                         without principalType (PrincipalNotFound until then)
  --lro-seconds S        duration of long-running operations (AKS create/update; default 5)
  --lro-fail-rate R      share of AKS create/update operations that end Failed (0..1)
  --page-size N          items per page of ARM lists before nextLink (default 100)
  --issuer-error-rate R  share of OIDC issuer requests (discovery, JWKS) answered 503 (0..1)
  --webhook-layout V     v1.6 (default) or v1.5: token volume layout the webhook injects
  --sample-interval S    seconds between the tutorial sample pod's Key Vault reads (default 60)
  --proxy                also serve an HTTPS proxy for the Azure host names (management.azure.com,
                         login.microsoftonline.com, …); the kubeconfig then names the clusters' FQDNs
`;

const NUMERIC: Record<string, keyof Knobs> = {
  latency: 'latencyMs',
  'throttle-rate': 'throttleRate',
  'error-rate': 'errorRate',
  'drop-rate': 'dropRate',
  'fic-propagation': 'ficPropagationSeconds',
  'rbac-propagation': 'rbacPropagationSeconds',
  'lro-seconds': 'lroSeconds',
  'principal-replication': 'principalReplicationSeconds',
  'lro-fail-rate': 'lroFailRate',
  'page-size': 'pageSize',
  'issuer-error-rate': 'issuerErrorRate',
  'sample-interval': 'sampleIntervalSeconds',
};

const OPTIONS = {
  port: { type: 'string' },
  state: { type: 'string' },
  kubeconfig: { type: 'string' },
  reset: { type: 'boolean' },
  empty: { type: 'boolean' },
  'webhook-layout': { type: 'string' },
  proxy: { type: 'boolean' },
  'sample-interval': { type: 'string' },
  ...Object.fromEntries(Object.keys(NUMERIC).map((k) => [k, { type: 'string' as const }])),
} satisfies ParseArgsConfig['options'];

export interface ParsedSandboxArgs {
  options: SandboxOptions;
  kubeconfigFile: string;
}

/**
 * node:util parseArgs in strict mode (later values of a repeated option win), with its errors
 * reworded in the CLI's terms: "unknown option '…'" and "--flag needs a value".
 */
function parse(args: readonly string[]): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: false }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch (e) {
    const err = e as Error & { code?: string };
    const named = /'(--?[^' ]+|[^']+)/.exec(err.message)?.[1];
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw new Error(`unknown option '${named ?? err.message}'`);
    }
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /argument missing/.test(err.message)) {
      throw new Error(`${named ?? 'an option'} needs a value`);
    }
    throw new Error(err.message);
  }
}

/** Parses `kwi sandbox` arguments; throws an Error with a user-facing message on bad input. */
export function parseSandboxArgs(args: readonly string[]): ParsedSandboxArgs {
  const options: SandboxOptions = {
    port: 8443,
    stateFile: DEFAULT_STATE_FILE,
    knobs: { lroSeconds: 5 },
    tutorialWorkload: true,
  };
  const values = parse(args);
  const text = (name: string): string | undefined => {
    const v = values[name];
    if (v === undefined) return undefined;
    if (v === '') throw new Error(`--${name} needs a value`);
    return String(v);
  };
  const number = (name: string, raw: string, max?: number): number => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0 || (max !== undefined && n > max)) {
      throw new Error(`--${name}: '${raw}' is not a number${max !== undefined ? ` between 0 and ${max}` : ' ≥ 0'}`);
    }
    return n;
  };
  for (const [name, knob] of Object.entries(NUMERIC)) {
    const raw = text(name);
    if (raw === undefined) continue;
    const n = number(name, raw, knob.endsWith('Rate') ? 1 : undefined);
    if (knob === 'pageSize' && (!Number.isInteger(n) || n < 1)) {
      throw new Error(`--${name}: '${n}' is not a whole number ≥ 1`);
    }
    options.knobs![knob] = n;
  }
  const port = text('port');
  if (port !== undefined) {
    const n = number('port', port, 65535);
    if (!Number.isInteger(n)) throw new Error(`--port: '${n}' is not a port number`);
    options.port = n;
  }
  const state = text('state');
  if (state !== undefined) options.stateFile = resolve(state);
  const kubeconfig = text('kubeconfig');
  if (values.reset === true) options.reset = true;
  if (values.empty === true) options.empty = true;
  if (values.proxy === true) options.proxy = true;
  const layout = text('webhook-layout');
  if (layout !== undefined) {
    if (layout !== 'v1.6' && layout !== 'v1.5') throw new Error(`--webhook-layout: '${layout}' is not v1.6 or v1.5`);
    options.webhookLayout = layout;
  }
  return {
    options,
    kubeconfigFile: kubeconfig !== undefined ? resolve(kubeconfig) : resolve(dirname(options.stateFile!), 'kubeconfig'),
  };
}

export function describeSandbox(s: RunningSandbox, kubeconfigFile: string): string {
  const clusters = Object.values(s.state().clusters);
  const proxy = s.proxy
    ? [
        '',
        `  HTTPS proxy         ${s.proxy.url}   (management.azure.com, login.microsoftonline.com, graph.microsoft.com, {vault}.vault.azure.net, {region}.oic.prod-aks.azure.com, API server FQDNs; every other host refused)`,
        '  Point a shell at it (the CA is trusted by these clients only, never system-wide):',
        ...shellExports(
          sandboxClientEnv({
            proxyUrl: s.proxy.url,
            caFile: s.caFile,
            kubeconfigFile,
            azureConfigDir: join(dirname(kubeconfigFile), 'azure-cli'),
          }),
        ).map((l) => `    ${l}`),
      ]
    : [];
  return [
    `kwi sandbox: listening on ${s.origin} (loopback only)`,
    '',
    `  ARM endpoint        ${s.armEndpoint}`,
    `  Authority host      ${s.authorityHost}   (@azure/identity: set disableInstanceDiscovery: true)`,
    `  Tenant ID           ${s.tenantId}`,
    `  Subscription ID     ${s.subscriptionId}`,
    `  Developer client ID ${s.developer.clientId}`,
    `  Developer secret    stored in ${s.stateFile ?? '(memory)'} under developer.clientSecret (sandbox-only credential)`,
    `  Developer cert      ${s.developerCertificateFile()}   (key + certificate: az login --service-principal -u ${s.developer.clientId} -p ${s.developerCertificateFile()} --tenant ${s.tenantId})`,
    `  CA certificate      ${s.caFile}   (trust it per client: tlsOptions: { ca }; kubectl reads it from the kubeconfig)`,
    `  Kubeconfig          ${kubeconfigFile}   (${clusters.map((c) => c.name).join(', ') || 'no clusters'})`,
    `  Control API         ${s.origin}/_sandbox/knobs | /_sandbox/reset | /_sandbox/stats   (Authorization: Bearer {controlToken} from the state file)`,
    ...proxy,
    '',
    `Try: kubectl --kubeconfig ${kubeconfigFile} get serviceaccounts -A`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

/** `kwi sandbox`: runs in the foreground until SIGINT/SIGTERM. Returns the exit code. */
export async function runSandbox(args: string[], stdout: Out, stderr: Out): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    stdout.write(SANDBOX_USAGE);
    return 0;
  }
  let parsed: ParsedSandboxArgs;
  try {
    parsed = parseSandboxArgs(args);
  } catch (e) {
    stderr.write(`kwi sandbox: ${e instanceof Error ? e.message : String(e)}\n${SANDBOX_USAGE}`);
    return 2;
  }
  let sandbox: RunningSandbox;
  try {
    sandbox = await startSandbox(parsed.options);
  } catch (e) {
    // Another sandbox owns this state file: name it (origin only, never its credentials).
    if (SandboxOwnedError.is(e)) {
      stderr.write(`kwi sandbox: ${e.message}\n`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'EADDRINUSE'
        ? `port ${parsed.options.port ?? 0} is in use (try --port 0 or another port)`
        : err.message;
    stderr.write(`kwi sandbox: cannot start: ${why}\n`);
    return 1;
  }
  const writeKubeconfig = (): void => {
    // Whole or not at all, and 0600 even when the file existed with a wider mode: it holds the clusters' tokens.
    writeAtomic(parsed.kubeconfigFile, sandbox.proxy ? sandbox.proxy.kubeconfig() : sandbox.kubeconfig(), 0o600);
  };
  writeKubeconfig();
  stdout.write(describeSandbox(sandbox, parsed.kubeconfigFile));
  // Clusters created or deleted while running (from the extension, az-like scripts) appear in the
  // kubeconfig within a second, so kubectl can reach them without a restart.
  const clusterSignature = (): string =>
    Object.values(sandbox.state().clusters)
      .map((c) => `${c.name}/${c.guid}`)
      .sort()
      .join(',');
  let written = clusterSignature();
  const refresh = setInterval(() => {
    const now = clusterSignature();
    if (now === written) return;
    written = now;
    try {
      writeKubeconfig();
    } catch {
      /* keep serving; the next change retries */
    }
  }, 1000);
  refresh.unref();

  return new Promise<number>((done) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      clearInterval(refresh);
      stdout.write(`\nkwi sandbox: ${signal} received, stopping…\n`);
      // Clusters may have been created while running: the kubeconfig lists them all on exit.
      try {
        writeKubeconfig();
      } catch {
        /* best effort */
      }
      sandbox.close().then(
        () => done(0),
        (e: unknown) => {
          stderr.write(`kwi sandbox: error while stopping: ${e instanceof Error ? e.message : String(e)}\n`);
          done(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
