/**
 * The journal of one run: what it created, in order, so Undo removes exactly that (newest first)
 * and never something that existed before. JSON, no secrets: names, IDs and times only.
 */
import type { Locale } from '../messages';
import { pmsg } from './messages';
import type { Journal, JournalEntry, PlanKind } from './plan';

export function newJournal(
  planKind: PlanKind,
  subscriptionId: string,
  clusterName: string | undefined,
  resourceGroup: string | undefined,
  now = new Date(),
): Journal {
  return {
    version: 1,
    planKind,
    startedAt: now.toISOString(),
    subscriptionId,
    clusterName,
    resourceGroup,
    entries: [],
  };
}

/** Undo order: reverse creation order. */
export function undoOrder(journal: Journal): JournalEntry[] {
  return [...journal.entries].reverse();
}

/** What the confirmation names: each thing deleted and what stops working. */
export function describeUndoLines(journal: Journal, locale: Locale = 'en'): string[] {
  const entries = undoOrder(journal);
  if (!entries.length) return [pmsg(locale, 'undo.nothing')];
  return [pmsg(locale, 'undo.header'), ...entries.map((e) => `• ${describeEntry(e, locale)}`)];
}

function describeEntry(e: JournalEntry, locale: Locale): string {
  const last = e.resource.split('/').pop() ?? e.resource;
  switch (e.kind) {
    case 'identity':
      return pmsg(locale, 'undo.identity', last);
    case 'federated-credential':
      return pmsg(locale, 'undo.credential', last, e.detail.serviceAccount ?? '');
    case 'role-assignment':
      return pmsg(locale, 'undo.role', e.detail.scope ?? e.resource);
    case 'serviceaccount':
      return pmsg(locale, 'undo.serviceaccount', e.resource);
    case 'serviceaccount-annotation':
      return pmsg(locale, 'undo.annotation', e.resource, e.before ?? pmsg(locale, 'undo.annotationNone'));
    case 'pod':
      return pmsg(locale, 'undo.pod', e.resource);
    case 'pod-label':
      return pmsg(locale, 'undo.podLabel', e.resource);
  }
}

/** Parses a journal read from disk; throws a readable message for anything else. */
export function parseJournal(text: string): Journal {
  const j = JSON.parse(text) as Partial<Journal>;
  if (j?.version !== 1 || !Array.isArray(j.entries) || typeof j.subscriptionId !== 'string') {
    throw new Error('not a kwi provisioning journal (version 1)');
  }
  return j as Journal;
}
