/**
 * Registers the provisioning commands (palette category "Workload Identity", and the explorer's
 * context menus, which pass the clicked node so its subscription, cluster, identity or
 * ServiceAccount is not asked again). Cheap: the façade loads with the backend, on first use.
 */
import * as vscode from 'vscode';
import type { ExplorerProvider } from '../explorer/provider';
import type { ManifestIndex } from '../manifestIndex';
import { annotateServiceAccount } from './annotateServiceAccount';
import { createCredential } from './createCredential';
import { createIdentity } from './createIdentity';
import { deploySample } from './deploySample';
import { disableWorkloadIdentity } from './disableWorkloadIdentity';
import { enableWorkloadIdentity } from './enableWorkloadIdentity';
import { exportLastPlan } from './exportCommand';
import { JournalStore } from './journalStore';
import { migratePodIdentity } from './migratePodIdentity';
import { PlanPreview } from './planPreview';
import { overrideProvisionUi, type PreviewDecision, type ProvisionUi } from './provisionUi';
import { repointCredentials } from './repointCredentials';
import { restartWorkloads } from './restartWorkloads';
import type { ProvisionServices } from './services';
import { setUpWorkloadIdentity } from './setupCommand';
import { undoLastRun } from './undoCommand';
import { grantRole } from './grantRole';
import { registerDiagnosis } from '../diagnosis/registerDiagnosis';

export const PROVISION_COMMANDS = {
  setup: 'kwi.provision.setup',
  enableWorkloadIdentity: 'kwi.provision.enableWorkloadIdentity',
  disableWorkloadIdentity: 'kwi.provision.disableWorkloadIdentity',
  createIdentity: 'kwi.provision.createIdentity',
  createCredential: 'kwi.provision.createCredential',
  annotateServiceAccount: 'kwi.provision.annotateServiceAccount',
  grantRole: 'kwi.provision.grantRole',
  restartWorkloads: 'kwi.provision.restartWorkloads',
  deploySample: 'kwi.provision.deploySample',
  migratePodIdentity: 'kwi.provision.migratePodIdentity',
  repointCredentials: 'kwi.provision.repointCredentials',
  undo: 'kwi.provision.undo',
  export: 'kwi.provision.export',
  previewDecide: 'kwi.provision.previewDecide',
} as const;

/** What the integration tests reach (ExtensionMode.Test only). */
export interface ProvisionTestApi {
  overrideUi(partial: Partial<ProvisionUi>): () => void;
  /** The preview's current page and plan, as the user sees them. */
  preview(): {
    readonly html: string;
    readonly plan: unknown;
    readonly live: ReadonlyMap<string, { state: string; text: string }>;
  };
  journals(): unknown[];
}

export function registerProvisioning(
  context: vscode.ExtensionContext,
  provider: ExplorerProvider,
  manifests: ManifestIndex,
  log: vscode.LogOutputChannel,
): vscode.Disposable {
  const preview = new PlanPreview();
  const svc: ProvisionServices = {
    provider,
    manifests,
    journals: new JournalStore(context.workspaceState),
    preview,
    log,
  };
  const reg = (id: string, run: (svc: ProvisionServices, node?: unknown) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, (node?: unknown) => run(svc, node));
  const disposables: vscode.Disposable[] = [
    preview,
    reg(PROVISION_COMMANDS.setup, setUpWorkloadIdentity),
    reg(PROVISION_COMMANDS.enableWorkloadIdentity, enableWorkloadIdentity),
    reg(PROVISION_COMMANDS.disableWorkloadIdentity, disableWorkloadIdentity),
    reg(PROVISION_COMMANDS.createIdentity, createIdentity),
    reg(PROVISION_COMMANDS.createCredential, createCredential),
    reg(PROVISION_COMMANDS.annotateServiceAccount, annotateServiceAccount),
    reg(PROVISION_COMMANDS.grantRole, grantRole),
    reg(PROVISION_COMMANDS.restartWorkloads, restartWorkloads),
    reg(PROVISION_COMMANDS.deploySample, deploySample),
    reg(PROVISION_COMMANDS.migratePodIdentity, migratePodIdentity),
    reg(PROVISION_COMMANDS.repointCredentials, repointCredentials),
    reg(PROVISION_COMMANDS.undo, (s) => undoLastRun(s)),
    reg(PROVISION_COMMANDS.export, (s) => exportLastPlan(s)),
    vscode.commands.registerCommand(PROVISION_COMMANDS.previewDecide, (decision: PreviewDecision) =>
      preview.decide(decision),
    ),
    // Diagnosis shares the session, the prompts and the Fix commands with provisioning.
    registerDiagnosis(context, svc),
  ];
  if (context.extensionMode === vscode.ExtensionMode.Test) {
    const api: ProvisionTestApi = {
      overrideUi: overrideProvisionUi,
      preview: () => ({ html: preview.lastHtml, plan: preview.lastPlan, live: preview.live }),
      journals: () => svc.journals.list(),
    };
    disposables.push(vscode.commands.registerCommand('kwi.provision.testApi', () => api));
  }
  return vscode.Disposable.from(...disposables);
}
