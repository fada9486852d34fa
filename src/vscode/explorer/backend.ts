/**
 * The one backend switch: `kwi.backend` decides whether the explorer talks to Azure or
 * to the in-process sandbox. Everything below this file gets a credential, an endpoint and
 * maybe a CA, and does not know which it is. Loaded on first use only: it pulls in the SDKs.
 */
import type { TokenCredential } from '@azure/core-auth';
import { AzureCliCredential } from '@azure/identity';
import * as vscode from 'vscode';
import { createArmConnection, type ArmConnection } from '../../azure/clients';
import type { AzureError } from '../../azure/errors';
import { sandboxCredential } from '../../azure/sandboxCredential';
import { AzureExplorerData } from '../../azure/explorerData';
import { KubeExplorerData } from '../../kube/kubeData';
import * as provisioning from '../../provision/session';
import type { RunningSandbox, SandboxConnection } from '../../sandbox/server';
import { currentCloud, currentSession, tokenTenant, VsCodeSessionCredential } from './sessionCredential';

// What the editor side loads on use through this bundle (never statically: see scripts/build.mjs).
export * as diagnosisSession from '../../diagnosis/session';
export { clusterKubeContext } from '../../diagnosis/clusterContext';
export { writeAtomic } from '../../sandbox/store';

export type BackendKind = 'azure' | 'sandbox';
export type AuthKind = 'vscode' | 'azureCli';

export interface Backend {
  readonly kind: BackendKind;
  readonly azure: AzureExplorerData;
  readonly kube: KubeExplorerData;
  readonly tenantId?: string;
  /** Shown as the view's description: the account, or the sandbox's address. */
  readonly label: string;
  /** The Azure portal to link to; undefined for the sandbox (nothing to open there). */
  readonly portal?: string;
  /** Provisioning's connection (ARM, the clusters' kubeconfig, Entra) and the façade that uses it. */
  readonly provision: { readonly backend: provisioning.ProvisionBackend; readonly api: typeof provisioning };
}

/** Entra authority per cloud, for provisioning's real token exchange (learn.microsoft.com "National clouds"). */
const AUTHORITY: Record<string, string> = {
  'https://management.azure.com': 'https://login.microsoftonline.com',
  'https://management.chinacloudapi.cn': 'https://login.chinacloudapi.cn',
  'https://management.usgovcloudapi.net': 'https://login.microsoftonline.us',
};

export type BackendResult =
  | { readonly ok: true; readonly backend: Backend }
  | { readonly ok: false; readonly signedOut: true }
  | { readonly ok: false; readonly signedOut?: false; readonly error: AzureError };

export interface BackendOptions {
  readonly kind: BackendKind;
  readonly auth: AuthKind;
  readonly concurrency: number;
  /** Test runs get a throw-away sandbox state; users keep theirs (~/.kwi/sandbox, shared with `kwi sandbox`). */
  readonly ephemeralSandbox: boolean;
  readonly log: vscode.LogOutputChannel;
}

let sandbox: Promise<RunningSandbox> | undefined;

/**
 * The sandbox, started in-process on first need and kept until the extension deactivates — unless
 * `kwi sandbox` already serves the user's state file: then the explorer attaches to it (two
 * processes on one state file would lose each other's writes). Not cached: if it stops, the next
 * backend starts one here.
 */
export async function ensureSandbox(o: Pick<BackendOptions, 'ephemeralSandbox' | 'log'>): Promise<SandboxConnection> {
  if (!sandbox && !o.ephemeralSandbox) {
    const { DEFAULT_STATE_FILE, findRunningSandbox } = await import('../../sandbox/server');
    const running = await findRunningSandbox(DEFAULT_STATE_FILE);
    if (running) {
      o.log.info(`attached to the sandbox at ${running.origin}`);
      return running;
    }
  }
  sandbox ??= (async () => {
    const { DEFAULT_STATE_FILE, startSandbox } = await import('../../sandbox/server');
    // Tests: state in memory, teaching scenario every run. Users: the state `kwi sandbox` uses too.
    const s = await startSandbox({
      port: 0,
      stateFile: o.ephemeralSandbox ? undefined : DEFAULT_STATE_FILE,
      tutorialWorkload: true,
    });
    o.log.info(`sandbox started at ${s.origin}`);
    return s;
  })();
  sandbox.catch(() => {
    sandbox = undefined;
  });
  return sandbox;
}

/** The running sandbox, if one was started (tests seed Kubernetes objects through it). */
export function currentSandbox(): Promise<RunningSandbox> | undefined {
  return sandbox;
}

export async function stopSandbox(): Promise<void> {
  const s = sandbox;
  sandbox = undefined;
  if (s) await (await s.catch(() => undefined))?.close();
}

export async function createBackend(o: BackendOptions): Promise<BackendResult> {
  if (o.kind === 'sandbox') {
    let s: SandboxConnection;
    try {
      s = await ensureSandbox(o);
    } catch (e) {
      return {
        ok: false,
        error: {
          kind: 'unknown',
          message: vscode.l10n.t('The sandbox could not start: {0}', (e as Error)?.message ?? String(e)),
        },
      };
    }
    const credential = sandboxCredential(s);
    const connection = createArmConnection({
      credential,
      endpoint: s.armEndpoint,
      tlsCa: s.caPem,
      concurrency: o.concurrency,
    });
    const kubeconfig = s.kubeconfig();
    return {
      ok: true,
      backend: {
        kind: 'sandbox',
        azure: new AzureExplorerData(connection),
        kube: new KubeExplorerData(() => ({ text: kubeconfig })),
        tenantId: s.tenantId,
        label: vscode.l10n.t('Sandbox {0}', s.origin),
        provision: {
          backend: {
            arm: connection,
            kube: { source: { text: kubeconfig } },
            tenantId: s.tenantId,
            authorityHost: s.authorityHost,
            verifyKeyVaultChallenge: false,
          },
          api: provisioning,
        },
      },
    };
  }

  const cloud = currentCloud();
  let credential: TokenCredential;
  let label: string;
  let homeTenantId: string | undefined;
  if (o.auth === 'azureCli') {
    credential = new AzureCliCredential();
    label = vscode.l10n.t('Azure CLI');
  } else {
    const session = await currentSession(cloud);
    if (!session) return { ok: false, signedOut: true };
    credential = new VsCodeSessionCredential(cloud);
    label = session.account.label;
    homeTenantId = tokenTenant(session.accessToken);
  }
  const scope = `${cloud.armEndpoint}/.default`;
  const connection = createArmConnection({
    credential,
    endpoint: cloud.armEndpoint,
    scope,
    concurrency: o.concurrency,
  });
  // VS Code's sign-in gives one session per tenant; the CLI's login picks its tenant itself.
  const perTenant = new Map<string, ArmConnection>();
  const connectionForTenant =
    o.auth === 'azureCli'
      ? undefined
      : (tenantId: string) => {
          let c = perTenant.get(tenantId);
          if (!c) {
            c = createArmConnection({
              credential: new VsCodeSessionCredential(cloud, tenantId),
              endpoint: cloud.armEndpoint,
              scope,
              limiter: connection.limiter,
            });
            perTenant.set(tenantId, c);
          }
          return c;
        };
  return {
    ok: true,
    backend: {
      kind: 'azure',
      azure: new AzureExplorerData(connection, { connectionForTenant, homeTenantId }),
      kube: new KubeExplorerData(() => ({})), // KUBECONFIG or ~/.kube/config, as kubectl
      label,
      portal: cloud.portal,
      provision: {
        backend: {
          arm: connection,
          kube: { source: () => ({}) },
          tenantId: homeTenantId,
          authorityHost: AUTHORITY[cloud.armEndpoint] ?? AUTHORITY['https://management.azure.com'],
        },
        api: provisioning,
      },
    },
  };
}
