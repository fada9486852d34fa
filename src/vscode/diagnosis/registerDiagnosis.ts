import * as vscode from 'vscode';
import type { ProvisionServices } from '../provision/services';
import { diagnoseAllOnCluster } from './diagnoseAll';
import { diagnoseWorkloadIdentity } from './diagnoseCommand';
import { DIAGNOSE_COMMAND } from './diagnosisLenses';
import { DiagnosisReport } from './reportView';

export const DIAGNOSIS_COMMANDS = {
  diagnose: DIAGNOSE_COMMAND,
  diagnoseAll: 'kwi.diagnosis.diagnoseAll',
} as const;

/** What the integration tests reach (ExtensionMode.Test only): the report on screen and its actions. */
export interface DiagnosisTestApi {
  current(): { html: string; links: unknown; verdict?: string } | undefined;
  fix(linkIndex: number): Promise<unknown>;
  recheck(): Promise<unknown>;
  copy(): Promise<void>;
}

export function registerDiagnosis(context: vscode.ExtensionContext, svc: ProvisionServices): vscode.Disposable {
  const disposables: vscode.Disposable[] = [
    vscode.commands.registerCommand(DIAGNOSIS_COMMANDS.diagnose, (arg?: unknown) => diagnoseWorkloadIdentity(svc, arg)),
    vscode.commands.registerCommand(DIAGNOSIS_COMMANDS.diagnoseAll, (node?: unknown) =>
      diagnoseAllOnCluster(svc, node),
    ),
  ];
  if (context.extensionMode === vscode.ExtensionMode.Test) {
    const api: DiagnosisTestApi = {
      current: () => {
        const r = DiagnosisReport.current();
        return r ? { html: r.lastHtml, links: r.links(), verdict: r.result?.verdict } : undefined;
      },
      fix: async (i) => DiagnosisReport.current()?.fix(i),
      recheck: async () => DiagnosisReport.current()?.recheck(true),
      copy: async () => DiagnosisReport.current()?.copy(),
    };
    disposables.push(vscode.commands.registerCommand('kwi.diagnosis.testApi', () => api));
  }
  return vscode.Disposable.from(...disposables);
}
