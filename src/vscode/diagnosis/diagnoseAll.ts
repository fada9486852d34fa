import * as vscode from 'vscode';
import type { Diagnosis } from '../../core/diagnosis/runChecks';
import { provisionUi } from '../provision/provisionUi';
import type { ProvisionServices } from '../provision/services';
import { DiagnosisReport } from './reportView';
import { beginDiagnosis } from './target';

const ICON: Record<Diagnosis['verdict'], string> = {
  pass: '$(pass)',
  warn: '$(warning)',
  fail: '$(error)',
  skip: '$(circle-slash)',
};

function verdictText(d: Diagnosis): string {
  const failed = d.checks.filter((c) => c.status === 'fail');
  if (failed.length) return vscode.l10n.t('broken: {0}', failed.map((c) => c.id).join(', '));
  return d.verdict === 'warn' ? vscode.l10n.t('works, with warnings') : vscode.l10n.t('every link works');
}

/**
 * Diagnose All ServiceAccounts on Cluster: every annotated ServiceAccount, ARM lookups shared (each
 * identity's credentials listed once); one row each with its verdict, broken ones first. Picking a
 * row opens its full report without diagnosing again.
 */
export async function diagnoseAllOnCluster(
  svc: ProvisionServices,
  node?: unknown,
): Promise<readonly Diagnosis[] | undefined> {
  const b = await beginDiagnosis(svc, node ? { node } : {});
  if (!b) return undefined;
  const first = await b.make('default', 'default');
  if (!first) return undefined;
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Diagnosing the ServiceAccounts of {0}…', b.cluster.name),
    },
    () => first.api.diagnoseCluster(first.backend, first.options),
  );
  if (result.error) {
    provisionUi().error(vscode.l10n.t('Could not list the ServiceAccounts of {0}: {1}', b.cluster.name, result.error));
    return undefined;
  }
  if (!result.diagnoses.length) {
    provisionUi().error(vscode.l10n.t('No ServiceAccount on {0} has a client-id annotation.', b.cluster.name));
    return result.diagnoses;
  }
  const order: Record<string, number> = { fail: 0, warn: 1, skip: 2, pass: 3 };
  const rows = [...result.diagnoses].sort(
    (x, y) => order[x.verdict]! - order[y.verdict]! || x.serviceAccount.localeCompare(y.serviceAccount),
  );
  const chosen = await provisionUi().pick(
    'diagnosis',
    rows.map((d) => ({ label: `${ICON[d.verdict]} ${d.serviceAccount}`, description: verdictText(d), value: d })),
    {
      title: vscode.l10n.t('Workload identity on {0}', b.cluster.name),
      placeHolder: vscode.l10n.t("Open a ServiceAccount's full report"),
    },
  );
  if (chosen) {
    const [namespace, name] = chosen.serviceAccount.split('/') as [string, string];
    const clientId = chosen.checks.find((c) => c.id === 'serviceaccount')?.evidence.clientId;
    const target = await b.make(namespace, name, typeof clientId === 'string' ? clientId : undefined);
    if (target) DiagnosisReport.show(target, chosen);
  }
  return result.diagnoses;
}
