/**
 * The workspace manifest's client-id edit, asked of the core's workspace index (the one place
 * that knows which file defines which ServiceAccount), never by scanning files again. The index
 * entry's own `annotate` computes a minimal text edit (textEdits.ts): nothing else in the file moves.
 */
import type { WorkspaceIndex } from '../workspaceIndex';
import type { ManifestEdit } from './plan';
import { pmsg } from './messages';
import type { Locale } from '../messages';

export function manifestClientIdEdit(
  index: WorkspaceIndex,
  namespace: string,
  name: string,
  clientId: string,
  preferUri?: string,
  locale: Locale = 'en',
): ManifestEdit | undefined {
  const entry = index.serviceAccount(namespace, name, preferUri);
  if (!entry?.annotate || entry.clientId === clientId) return undefined;
  return { uri: entry.uri, edits: entry.annotate(clientId), title: pmsg(locale, 'note.manifestEdit', entry.uri) };
}

/** The manifest's current client-id, for the plan's check. */
export function manifestState(
  index: WorkspaceIndex,
  namespace: string,
  name: string,
  preferUri?: string,
): { uri: string; clientId?: string } | undefined {
  const entry = index.serviceAccount(namespace, name, preferUri);
  return entry ? { uri: entry.uri, clientId: entry.clientId } : undefined;
}
