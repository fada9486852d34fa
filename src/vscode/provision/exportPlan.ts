import * as vscode from 'vscode';
import type { Plan } from '../../core/provision/plan';
import type { ExportFormat } from '../../provision/session';
import { provisionUi } from './provisionUi';
import type { Session } from './services';
import { reason } from './services';

const LANGUAGE: Record<ExportFormat, string> = {
  az: 'shellscript',
  bicep: 'bicep',
  terraform: 'terraform',
  yaml: 'yaml',
};
const DEFAULT_TERRAFORM_PROVIDER = '4.65.0';

/** Exports the plan into an untitled editor: az + kubectl script, Bicep, Terraform (azurerm version asked), or Kubernetes YAML. */
export async function exportToEditor(s: Session, plan: Plan): Promise<vscode.TextDocument | undefined> {
  const format = await provisionUi().pick<ExportFormat>(
    'exportFormat',
    [
      { label: vscode.l10n.t('az and kubectl script'), description: 'bash', value: 'az' },
      { label: 'Bicep', value: 'bicep' },
      { label: 'Terraform', description: 'azurerm', value: 'terraform' },
      { label: vscode.l10n.t('Kubernetes YAML'), value: 'yaml' },
    ],
    { title: vscode.l10n.t('Export the plan'), placeHolder: vscode.l10n.t('Export as') },
  );
  if (!format) return undefined;
  let terraformProvider: string | undefined;
  if (format === 'terraform') {
    // azurerm renamed properties (user_assigned_identity_id from 4.65, rbac_authorization_enabled from 5.0): the version decides the text.
    terraformProvider = await provisionUi().input('terraformProvider', {
      title: vscode.l10n.t('azurerm provider version'),
      value: DEFAULT_TERRAFORM_PROVIDER,
      validate: (v) => (/^\d+\.\d+(\.\d+)?$/.test(v.trim()) ? undefined : vscode.l10n.t('A version such as 4.65.0')),
    });
    if (!terraformProvider) return undefined;
  }
  let content: string;
  try {
    content = s.api.exportPlan(plan, format, terraformProvider ? { terraformProvider: terraformProvider.trim() } : {});
  } catch (e) {
    provisionUi().error(vscode.l10n.t('Could not export the plan: {0}', reason(e)));
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument({ language: LANGUAGE[format], content });
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  return document;
}
