import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { sandboxClientEnv } from '../../core/sandboxEnv';
import type { RunningSandbox } from '../../sandbox/server';
import { ensureSandbox } from './backend';

/**
 * "Open Sandbox Terminal": a terminal whose environment points command-line clients at the
 * sandbox through its HTTPS proxy (HTTPS_PROXY, the CA variables, KUBECONFIG, the Azure CLI's own
 * config folder). Only paths and a loopback URL go into the environment; the clusters' tokens
 * stay in the kubeconfig file (0600) and the developer's secret in the state file.
 */
export function registerSandboxTerminal(log: vscode.LogOutputChannel, ephemeral: () => boolean): vscode.Disposable {
  return vscode.commands.registerCommand('kwi.sandbox.openTerminal', async () => {
    let s: Awaited<ReturnType<typeof ensureSandbox>>;
    try {
      s = await ensureSandbox({ ephemeralSandbox: ephemeral(), log });
    } catch (e) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('The sandbox could not start: {0}', e instanceof Error ? e.message : String(e)),
      );
      return undefined;
    }
    if (!isRunning(s)) {
      // `kwi sandbox` in another process owns the state: its proxy and exports are its own.
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'The sandbox runs in another process (kwi sandbox). Start it with --proxy and use the exports it prints.',
        ),
      );
      return undefined;
    }
    const proxy = await s.ensureProxy();
    // The certificate `az login --service-principal -p` takes (docs/sandbox.md) exists before the shell does.
    s.developerCertificateFile();
    // Loaded on use through the backend bundle, like the sandbox itself: activation stays light.
    const { writeAtomic } = await import('./backend');
    const dir = s.stateFile ? dirname(s.stateFile) : mkdtempSync(join(tmpdir(), 'kwi-terminal-'));
    const kubeconfigFile = join(dir, 'terminal-kubeconfig');
    const azureConfigDir = join(dir, 'azure-cli');
    writeAtomic(kubeconfigFile, proxy.kubeconfig(), 0o600);
    const terminal = vscode.window.createTerminal({
      name: vscode.l10n.t('Workload Identity Sandbox'),
      env: sandboxClientEnv({ proxyUrl: proxy.url, caFile: s.caFile, kubeconfigFile, azureConfigDir }),
      message: vscode.l10n.t(
        'Sandbox terminal: kubectl and az reach the sandbox under the Azure host names through {0}.',
        proxy.url,
      ),
    });
    terminal.show();
    log.info(`sandbox terminal opened (proxy ${proxy.url})`);
    return { proxyUrl: proxy.url, kubeconfigFile, azureConfigDir };
  });
}

function isRunning(s: object): s is RunningSandbox {
  return typeof (s as Partial<RunningSandbox>).ensureProxy === 'function';
}
