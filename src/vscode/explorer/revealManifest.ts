import * as vscode from 'vscode';
import { findServiceAccounts, type ServiceAccountQuery } from '../../kube/manifestSearch';
import { explorerUi } from './explorerUi';

const MAX_FILES = 5000;

export interface ManifestLocation { readonly uri: vscode.Uri; readonly line: number; readonly character: number; readonly label: string }

/** Every workspace YAML ServiceAccount matching the query (open editors' unsaved text wins). */
export async function findManifests(query: ServiceAccountQuery, token?: vscode.CancellationToken): Promise<ManifestLocation[]> {
  const files = await vscode.workspace.findFiles('**/*.{yaml,yml}', '{**/node_modules/**,**/.git/**}', MAX_FILES, token);
  const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
  const out: ManifestLocation[] = [];
  for (const uri of files) {
    if (token?.isCancellationRequested) break;
    let text: string;
    try {
      text = open.get(uri.toString())?.getText() ?? new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      continue;
    }
    for (const hit of findServiceAccounts(text, query)) {
      out.push({ uri, line: hit.line, character: hit.character, label: `${hit.namespace}/${hit.name}` });
    }
  }
  return out.sort((a, b) => a.uri.toString().localeCompare(b.uri.toString()) || a.line - b.line);
}

export async function revealManifest(query: ServiceAccountQuery, describe: string): Promise<vscode.TextEditor | undefined> {
  const found = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Searching the workspace for {0}', describe) },
    () => findManifests(query),
  );
  let target = found[0];
  if (!target) {
    explorerUi().info(vscode.l10n.t('No ServiceAccount manifest for {0} in the workspace.', describe));
    return undefined;
  }
  if (found.length > 1) {
    const pick = await explorerUi().pickOne(
      found.map((f) => ({ label: f.label, description: vscode.workspace.asRelativePath(f.uri), location: f })),
      { placeHolder: vscode.l10n.t('Several manifests define {0}', describe) },
    );
    if (!pick) return undefined;
    target = pick.location;
  }
  const pos = new vscode.Position(target.line, target.character);
  return vscode.window.showTextDocument(target.uri, { selection: new vscode.Range(pos, pos), preview: false });
}
