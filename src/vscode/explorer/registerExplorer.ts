/**
 * Registers the explorer view and its commands. Cheap on purpose: nothing here loads an SDK; the
 * backend (and with it @azure/* and @kubernetes/client-node) loads when the view first asks for
 * its children or a command needs it.
 */
import * as vscode from 'vscode';
import { DiagnoseLenses } from '../diagnosis/diagnosisLenses';
import type { RunningSandbox } from '../../sandbox/server';
import type { ManifestIndex } from '../manifestIndex';
import { registerProvisioning } from '../provision/registerProvisioning';
import type { AuthKind, BackendKind } from './backend';
import { FILTER_KEY, registerExplorerCommands, type SubscriptionFilter } from './commands';
import { overrideUi, type Ui } from '../ui';
import { ExplorerProvider, VIEW_ID } from './provider';
import { ServiceAccountTrustLenses } from './serviceAccountLenses';
import { MICROSOFT_PROVIDER, SOVEREIGN_PROVIDER } from './sessionCredential';
import { registerSandboxTerminal } from './sandboxTerminal';

export interface ExplorerTestApi {
  readonly provider: ExplorerProvider;
  readonly view: vscode.TreeView<unknown>;
  overrideUi(partial: Partial<Ui>): () => void;
  /** The in-process sandbox (kwi.backend "sandbox"), started by the first expansion. */
  sandbox(): Promise<RunningSandbox | undefined>;
}

export function registerExplorer(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  manifests: ManifestIndex,
): vscode.Disposable {
  const config = () => vscode.workspace.getConfiguration('kwi');
  const backendKind = (): BackendKind => (config().get<string>('backend') === 'sandbox' ? 'sandbox' : 'azure');
  const filterKey = () => `${FILTER_KEY}.${backendKind()}`;
  // Remembered per workspace and per backend, so sandbox and Azure subscriptions do not mix.
  const filter: SubscriptionFilter = {
    get: () => context.workspaceState.get<string[]>(filterKey()),
    set: (ids) => context.workspaceState.update(filterKey(), ids),
  };
  const provider = new ExplorerProvider(
    () => ({
      kind: backendKind(),
      auth: (config().get<string>('auth') === 'azureCli' ? 'azureCli' : 'vscode') as AuthKind,
      concurrency: Math.max(1, Math.min(64, config().get<number>('maxConcurrentRequests', 8))),
      ephemeralSandbox: context.extensionMode === vscode.ExtensionMode.Test,
      log,
    }),
    () => filter.get(),
    log,
  );
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });

  const lenses = new ServiceAccountTrustLenses(provider, manifests);
  const diagnoseLenses = new DiagnoseLenses(provider, manifests);
  const disposables: vscode.Disposable[] = [
    provider,
    view,
    lenses,
    vscode.languages.registerCodeLensProvider({ language: 'yaml' }, lenses),
    diagnoseLenses,
    vscode.languages.registerCodeLensProvider({ language: 'yaml' }, diagnoseLenses),
    registerExplorerCommands(filter, provider, manifests),
    registerProvisioning(context, provider, manifests, log),
    registerSandboxTerminal(log, () => context.extensionMode === vscode.ExtensionMode.Test),
    vscode.authentication.onDidChangeSessions((e) => {
      if ((e.provider.id === MICROSOFT_PROVIDER || e.provider.id === SOVEREIGN_PROVIDER) && backendKind() === 'azure') {
        provider.reset();
      }
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (
        ['kwi.backend', 'kwi.auth', 'kwi.maxConcurrentRequests', 'microsoft-sovereign-cloud.environment'].some((s) =>
          e.affectsConfiguration(s),
        )
      ) {
        provider.reset();
      }
    }),
  ];
  provider.onDidResolveBackend(
    (label) => {
      view.description = label;
    },
    undefined,
    disposables,
  );

  if (context.extensionMode === vscode.ExtensionMode.Test) {
    const api: ExplorerTestApi = {
      provider,
      view: view as vscode.TreeView<unknown>,
      overrideUi,
      sandbox: async () => (await import('./backend')).currentSandbox(),
    };
    disposables.push(vscode.commands.registerCommand('kwi.explorer.testApi', () => api));
  }
  return vscode.Disposable.from(...disposables);
}
