import * as vscode from 'vscode';
import { exportToEditor } from './exportPlan';
import { provisionUi } from './provisionUi';
import { openSession, type ProvisionServices } from './services';

/** Export: the plan last previewed in this window, as az/kubectl, Bicep, Terraform or YAML. Writes nothing to Azure, so it needs no trust. */
export async function exportLastPlan(svc: ProvisionServices): Promise<unknown> {
  const plan = svc.preview.lastPlan;
  if (!plan) {
    provisionUi().info(
      vscode.l10n.t(
        'No plan to export yet: run Set Up Workload Identity… (or another provisioning command) and choose Export in its preview.',
      ),
    );
    return undefined;
  }
  const s = await openSession(svc);
  return s ? exportToEditor(s, plan) : undefined;
}
