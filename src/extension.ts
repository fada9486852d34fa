// Composition root: builds the services and registers the features. No logic lives here.
// Azure SDKs must not be loaded from here: online features import them on first use.
import { bundleLoadStarted } from './vscode/loadClock';
import * as vscode from 'vscode';
import { AnalysisService } from './vscode/analysisService';
import { WorkloadIdentityCodeActions } from './vscode/codeActions';
import { registerOpenLocation, WorkloadIdentityCodeLenses } from './vscode/codeLenses';
import { registerCommands } from './vscode/commands';
import { DiagnosticsPublisher } from './vscode/diagnostics';
import { registerExplorer } from './vscode/explorer/registerExplorer';
import { registerFixCommands } from './vscode/fixCommands';
import { ManifestIndex } from './vscode/manifestIndex';
import { registerRuleHelp, ruleHelpUri } from './vscode/ruleHelp';
import { diagnosticsScope, readAnalyzerOptions, SECTION } from './vscode/settings';
import { createTestApi, type KwiTestApi } from './vscode/testApi';
import { WorkspaceIndexer } from './vscode/workspaceIndexer';

/** Every scheme a manifest can live in; the AnalysisService further narrows by scheme. */
const MANIFESTS: vscode.DocumentSelector = [{ language: 'yaml' }, { language: 'json' }, { language: 'jsonc' }];

/** What evaluating the bundle cost (the analysis core and YAML parser load here; Azure SDKs must not). */
const bundleLoadMs = performance.now() - bundleLoadStarted;
let activationMs = 0;

export function activate(context: vscode.ExtensionContext): KwiTestApi | undefined {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Workload Identity', { log: true });
  context.subscriptions.push(log);

  // Editing: one analyzer shared by diagnostics, lenses and quick fixes.
  const service = new AnalysisService(readAnalyzerOptions());
  const lenses = new WorkloadIdentityCodeLenses(service);
  const indexer = new WorkspaceIndexer(service, log);
  const diagnostics = new DiagnosticsPublisher(service, indexer, ruleHelpUri, diagnosticsScope());
  context.subscriptions.push(
    service,
    lenses,
    indexer,
    diagnostics,
    vscode.languages.registerCodeLensProvider(MANIFESTS, lenses),
    vscode.languages.registerCodeActionsProvider(
      MANIFESTS,
      new WorkloadIdentityCodeActions(service),
      WorkloadIdentityCodeActions.metadata,
    ),
    registerFixCommands(service),
    registerOpenLocation(),
    registerRuleHelp(),
    registerCommands(log, indexer, () => activationMs),
    service.onDidChangeAll(() => lenses.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.rules`)) service.setOptions(readAnalyzerOptions());
      if (e.affectsConfiguration(`${SECTION}.codeLens`)) lenses.refresh();
      if (e.affectsConfiguration(`${SECTION}.diagnostics.scope`)) {
        diagnostics.setScope(diagnosticsScope());
        if (diagnosticsScope() === 'workspace') void indexer.reindex();
      }
    }),
  );

  // Explorer, sign-in, provisioning and diagnosis register here, each behind a lazy
  // `import()` so their SDKs load only when their view or command is first used.
  const manifests = new ManifestIndex(service, indexer, () => vscode.workspace.textDocuments);
  context.subscriptions.push(registerExplorer(context, log, manifests));

  // The cold index runs after activation returns: it is off the critical path by construction.
  void indexer.whenIndexed();

  activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms (bundle load ${bundleLoadMs.toFixed(1)} ms before that)`);
  return context.extensionMode === vscode.ExtensionMode.Test
    ? createTestApi({ activationMs: () => activationMs, bundleLoadMs }, indexer, manifests)
    : undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
