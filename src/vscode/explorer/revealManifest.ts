import * as vscode from 'vscode';
import type { ServiceAccountQuery } from '../../core/workspaceIndex';
import type { ManifestIndex } from '../manifestIndex';
import { ui } from '../ui';

export interface ManifestLocation {
  readonly uri: vscode.Uri;
  readonly line: number;
  readonly character: number;
  readonly label: string;
}

/** Every workspace ServiceAccount matching the query, from the core's index (open editors' unsaved text wins). */
export async function findManifests(index: ManifestIndex, query: ServiceAccountQuery): Promise<ManifestLocation[]> {
  const hits = await index.find(query);
  return hits.map((sa) => ({
    uri: vscode.Uri.parse(sa.uri),
    line: sa.position?.line ?? sa.objectPosition?.line ?? 0,
    character: sa.position?.character ?? 0,
    label: `${sa.namespace}/${sa.name}`,
  }));
}

export async function revealManifest(
  index: ManifestIndex,
  query: ServiceAccountQuery,
  describe: string,
): Promise<vscode.TextEditor | undefined> {
  const found = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Searching the workspace for {0}', describe) },
    () => findManifests(index, query),
  );
  let target = found[0];
  if (!target) {
    ui().info(vscode.l10n.t('No ServiceAccount manifest for {0} in the workspace.', describe));
    return undefined;
  }
  if (found.length > 1) {
    const pick = await ui().pickOne(
      found.map((f) => ({ label: f.label, description: vscode.workspace.asRelativePath(f.uri), location: f })),
      { placeHolder: vscode.l10n.t('Several manifests define {0}', describe) },
    );
    if (!pick) return undefined;
    target = pick.location;
  }
  const pos = new vscode.Position(target.line, target.character);
  return vscode.window.showTextDocument(target.uri, { selection: new vscode.Range(pos, pos), preview: false });
}
