import * as vscode from 'vscode';
import type { ApplyResult } from '../../provision/session';
import type { ManifestEdit, Plan, PlanStep, ProgressState, StepId } from '../../core/provision/plan';
import { exportToEditor } from './exportPlan';
import { verdictOf } from './previewHtml';
import { provisionUi } from './provisionUi';
import type { ProvisionServices, Session } from './services';
import { reason } from './services';

/** Builds a plan (observing only, with a progress note), or says why it could not. */
export async function observe(title: string, build: (signal: AbortSignal) => Promise<Plan>): Promise<Plan | undefined> {
  try {
    return await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('{0}: checking what already exists…', title),
        cancellable: true,
      },
      (_p, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        return build(ac.signal);
      },
    );
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') return undefined;
    provisionUi().error(vscode.l10n.t('Could not plan {0}: {1}', title, reason(e)));
    return undefined;
  }
}

const STATE_TEXT = (state: ProgressState): string => {
  switch (state) {
    case 'running':
      return vscode.l10n.t('running');
    case 'waiting':
      return vscode.l10n.t('waiting');
    case 'applied':
      return vscode.l10n.t('applied');
    case 'done':
      return vscode.l10n.t('already done');
    case 'failed':
      return vscode.l10n.t('failed');
    case 'skipped':
      return vscode.l10n.t('skipped');
    case 'blocked':
      return vscode.l10n.t('blocked');
    default:
      return state;
  }
};

/**
 * Shows the preview; Export renders into an editor and returns to the preview; Apply asks the
 * modal confirmations the plan's destructive steps need, then applies with progress. Returns
 * the result of the apply, or undefined when the user cancelled or nothing ran.
 */
export async function previewAndApply(
  svc: ProvisionServices,
  s: Session,
  plan: Plan,
  title: string,
): Promise<ApplyResult | undefined> {
  for (;;) {
    const decision = await svc.preview.show(plan, title);
    if (decision === 'cancel') return undefined;
    if (decision === 'export') {
      await exportToEditor(s, plan);
      continue;
    }
    const todo = plan.steps.filter((st) => st.state === 'todo');
    if (!todo.length) {
      provisionUi().info(vscode.l10n.t('{0}: every step is already done. Nothing to apply.', title));
      svc.preview.showResult(plan, title);
      return undefined;
    }
    const destructive = todo.filter((st) => st.destructive || st.irreversible);
    if (destructive.length) {
      const detail = destructive
        .map((st) => `${st.title}: ${st.warning ?? vscode.l10n.t('This step cannot be undone.')}`)
        .join('\n\n');
      if (
        !(await provisionUi().confirm(
          'applyDestructive',
          vscode.l10n.t('{0}: apply changes that cannot simply be taken back?', title),
          detail,
          vscode.l10n.t('Apply'),
        ))
      ) {
        continue;
      }
    }
    const edited = new Set<string>();
    const result = await applyWithProgress(svc, s, plan, title, edited);
    if (!result) return undefined;
    await svc.journals.add(result.journal);
    await applyManifestEdits(result, edited);
    svc.preview.showResult(result.plan, title);
    svc.provider.refresh();
    report(title, result);
    return result;
  }
}

export async function applyWithProgress(
  svc: ProvisionServices,
  s: Session,
  plan: Plan,
  title: string,
  edited = new Set<string>(),
): Promise<ApplyResult | undefined> {
  const names = new Map<StepId, string>(plan.steps.map((st) => [st.id, st.title]));
  const timeoutMinutes = vscode.workspace
    .getConfiguration('kwi')
    .get<number>('provisioning.propagationTimeoutMinutes', 10);
  // The manifest of the ServiceAccount, found through the core's index, gets the client-id edit
  // during apply, as soon as the client ID is known (a new identity has none at planning time).
  const workspace = await svc.manifests.workspaceIndex();
  try {
    svc.preview.applying(vscode.l10n.t('Applying… (cancel from the notification)'));
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        const total = plan.steps.length;
        let finished = 0;
        return s.api.applyPlan(s.backend, plan, {
          signal: ac.signal,
          propagationTimeoutMs: Math.max(1, timeoutMinutes) * 60_000,
          onProgress: (id, state, detail) => {
            const final = state !== 'running' && state !== 'waiting';
            if (final) finished++;
            const message = `${names.get(id) ?? id}: ${STATE_TEXT(state)}${detail ? ` — ${detail}` : ''}`;
            svc.log.info(`provision ${id} ${state}${detail ? `: ${detail}` : ''}`);
            progress.report({ message, increment: final ? 100 / Math.max(1, total) : undefined });
            svc.preview.progress(id, state, STATE_TEXT(state), detail);
            void finished;
          },
          onJournal: (journal) => void svc.journals.add(journal),
          workspace,
          applyManifestEdit: async (edit) => {
            edited.add(edit.uri);
            await writeManifestEdits([edit]);
          },
        });
      },
    );
  } catch (e) {
    provisionUi().error(vscode.l10n.t('{0} stopped: {1}', title, reason(e)));
    return undefined;
  }
}

/**
 * The client-id edits of the plan that the apply did not already make: a ServiceAccount already
 * annotated in the cluster leaves its manifest edit to here; one annotated during apply had its
 * manifest edited then, as soon as the client ID was known (`edited`).
 */
async function applyManifestEdits(result: ApplyResult, edited: ReadonlySet<string>): Promise<void> {
  const edits = result.plan.manifestEdits.filter((e) => !edited.has(e.uri));
  if (!edits.length || result.plan.steps.some((st) => st.id === 'serviceaccount' && st.state === 'failed')) return;
  await writeManifestEdits(edits);
}

/** A minimal text edit in the manifest (left unsaved, like a quick fix): comments and layout stay. */
async function writeManifestEdits(edits: readonly ManifestEdit[]): Promise<void> {
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) {
    const uri = vscode.Uri.parse(e.uri);
    for (const te of e.edits) {
      we.replace(
        uri,
        new vscode.Range(te.range.start.line, te.range.start.character, te.range.end.line, te.range.end.character),
        te.newText,
      );
    }
  }
  if (!(await vscode.workspace.applyEdit(we))) {
    provisionUi().warn(
      vscode.l10n.t(
        'The workspace manifest changed since the plan was made; its client-id annotation was not written.',
      ),
    );
  }
}

function report(title: string, result: ApplyResult): void {
  const failed = result.plan.steps.filter((st) => st.state === 'failed' || st.state === 'blocked');
  if (result.cancelled) {
    provisionUi().warn(
      vscode.l10n.t('{0} was cancelled. Run it again to finish: the steps already done are recognised.', title),
    );
  } else if (failed.length) {
    provisionUi().error(
      vscode.l10n.t(
        '{0}: {1} step(s) did not complete: {2}',
        title,
        String(failed.length),
        failed.map(describeFailure).join('; '),
      ),
    );
  } else {
    provisionUi().info(vscode.l10n.t('{0}: done ({1} write requests).', title, String(result.writes)));
  }
}

function describeFailure(st: PlanStep): string {
  return st.error ? `${st.title} (${st.error.code}: ${st.error.message})` : `${st.title} (${verdictOf(st)})`;
}
