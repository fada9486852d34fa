import * as vscode from 'vscode';
import type { Journal } from '../../core/provision/plan';
import { provisionUi } from './provisionUi';
import { openSession, reason, requireTrust, type ProvisionServices } from './services';

/**
 * Undo: deletes what a run created (its journal), newest first, never what existed before; a
 * modal names what stops working. Runs whose journal is empty created nothing and are not listed.
 */
export async function undoLastRun(svc: ProvisionServices): Promise<unknown> {
  if (!requireTrust()) return undefined;
  const journals = svc.journals.list();
  if (!journals.length) {
    provisionUi().info(vscode.l10n.t('No provisioning run to undo: the journal is empty.'));
    return undefined;
  }
  const journal = await provisionUi().pick<Journal>(
    'journal',
    journals.map((j) => ({
      label: `${j.planKind} · ${j.clusterName ?? j.subscriptionId}`,
      description: new Date(j.startedAt).toLocaleString(vscode.env.language),
      detail: j.entries.map((e) => e.resource.split('/').slice(-1)[0]).join(', '),
      value: j,
    })),
    { title: vscode.l10n.t('Undo provisioning'), placeHolder: vscode.l10n.t('Pick the run to undo (newest first)') },
  );
  if (!journal) return undefined;
  const s = await openSession(svc);
  if (!s) return undefined;
  const lines = s.api.describeUndo(journal, s.locale);
  const ok = await provisionUi().confirm(
    'undo',
    vscode.l10n.t('Undo this run: delete {0} resource(s) it created?', String(journal.entries.length)),
    lines.join('\n'),
    vscode.l10n.t('Undo'),
  );
  if (!ok) return undefined;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Undo provisioning'), cancellable: true },
      (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        return s.api.undoJournal(s.backend, journal, {
          signal: ac.signal,
          onProgress: (resource, state, detail) =>
            progress.report({
              message: `${resource.split('/').slice(-1)[0]}: ${state}${detail ? ` — ${detail}` : ''}`,
            }),
        });
      },
    );
    const failed = result.items.filter((i) => i.state === 'failed');
    if (failed.length) {
      provisionUi().error(
        vscode.l10n.t(
          'Undo: {0} resource(s) could not be deleted: {1}',
          String(failed.length),
          failed.map((f) => `${f.resource} (${f.error?.code ?? ''}: ${f.error?.message ?? ''})`).join('; '),
        ),
      );
    } else {
      await svc.journals.remove(journal);
      provisionUi().info(
        vscode.l10n.t(
          'Undo: {0} resource(s) removed.',
          String(result.items.filter((i) => i.state === 'removed').length),
        ),
      );
    }
    svc.provider.refresh();
    return result;
  } catch (e) {
    provisionUi().error(vscode.l10n.t('Undo stopped: {0}', reason(e)));
    return undefined;
  }
}
