import * as vscode from 'vscode';
import type { ProvisionServices } from '../provision/services';
import { editorTargets, targetAt } from './editorTarget';
import { DiagnosisReport } from './reportView';
import { beginDiagnosis, pickClusterServiceAccount, type Known } from './target';

/** A lens's argument: the ServiceAccount it stands above (or runs as). */
export interface LensTarget {
  readonly kwiDiagnose: { readonly namespace: string; readonly name: string } | null;
}

function knownFrom(arg: unknown): Known | undefined {
  if (arg && typeof arg === 'object' && 'kwiDiagnose' in arg) {
    const sa = (arg as LensTarget).kwiDiagnose;
    return sa ? { serviceAccount: sa } : {};
  }
  return arg ? { node: arg } : undefined;
}

/**
 * Diagnose Workload Identity…: from a tree node or a lens when given one; else the ServiceAccount
 * or pod template under the cursor in a YAML editor; else cluster → namespace → ServiceAccount.
 */
export async function diagnoseWorkloadIdentity(
  svc: ProvisionServices,
  arg?: unknown,
): Promise<DiagnosisReport | undefined> {
  let known = knownFrom(arg);
  const editor = vscode.window.activeTextEditor;
  if (!known && editor) {
    const t = targetAt(await editorTargets(svc.manifests, editor.document), editor.selection.active.line);
    if (t?.serviceAccount) known = { serviceAccount: t.serviceAccount };
  }
  const b = await beginDiagnosis(svc, known ?? {});
  if (!b) return undefined;
  const sa = await pickClusterServiceAccount(b, svc);
  if (!sa) return undefined;
  const target = await b.make(sa.namespace, sa.name, sa.clientId);
  return target ? DiagnosisReport.show(target) : undefined;
}
