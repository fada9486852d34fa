import type * as vscode from 'vscode';
import type { ManifestIndex } from '../manifestIndex';

export interface EditorTarget {
  readonly line: number;
  readonly kind: 'serviceAccount' | 'podTemplate';
  /** A pod template's: its own namespace and serviceAccountName (the ServiceAccount may be in the cluster only). */
  readonly serviceAccount?: { readonly namespace: string; readonly name: string };
}

/**
 * The ServiceAccounts and pod templates of a document, from the analyzer's index and lenses (the
 * one document model; nothing is parsed again). A pod template's ServiceAccount is the one it
 * runs as (its namespace and serviceAccountName, as its lens carries them), defined in the
 * workspace or not; else the one its lens leads to.
 */
export async function editorTargets(manifests: ManifestIndex, document: vscode.TextDocument): Promise<EditorTarget[]> {
  const out: EditorTarget[] = manifests.inDocument(document).map((sa) => ({
    line: sa.objectPosition?.line ?? sa.position?.line ?? 0,
    kind: 'serviceAccount' as const,
    serviceAccount: { namespace: sa.namespace, name: sa.name },
  }));
  for (const lens of manifests.lensesOf(document)) {
    if (lens.kind !== 'podTemplate') continue;
    let serviceAccount: EditorTarget['serviceAccount'] = lens.runsAs
      ? { namespace: lens.runsAs.namespace, name: lens.runsAs.name }
      : undefined;
    if (!serviceAccount && lens.goto) {
      const at = lens.goto;
      const hit = (await manifests.find({ uri: at.uri })).find(
        (e) => e.position?.line === at.position.line || e.objectPosition?.line === at.position.line,
      );
      if (hit) serviceAccount = { namespace: hit.namespace, name: hit.name };
    }
    out.push({ line: lens.range.start.line, kind: 'podTemplate', ...(serviceAccount ? { serviceAccount } : {}) });
  }
  return out.sort((a, b) => a.line - b.line);
}

/** The object the cursor is in: the last one starting at or above it. */
export function targetAt(targets: readonly EditorTarget[], line: number): EditorTarget | undefined {
  return [...targets].reverse().find((t) => t.line <= line);
}
