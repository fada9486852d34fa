import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Plan } from '../../core/provision/plan';
import { previewHtml } from './previewHtml';
import type { PreviewDecision } from './provisionUi';

export const PREVIEW_VIEW = 'kwi.provision.preview';

/**
 * The plan preview: one webview panel, reused by every command. `show` resolves with the
 * button the user pressed (or `cancel` when the panel is closed). The decision can also come
 * through the command `kwi.provision.previewDecide` (keyboard users, integration tests).
 */
export class PlanPreview implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private pending: ((d: PreviewDecision) => void) | undefined;
  /** The page last rendered (tests read it to see what the user saw). */
  lastHtml = '';
  lastPlan: Plan | undefined;

  show(plan: Plan, title: string): Promise<PreviewDecision> {
    this.render(plan, title, false);
    this.pending?.('cancel');
    return new Promise((resolve) => {
      this.pending = resolve;
    });
  }

  /** Each step's live state while the plan applies, as the page shows it (tests read it). */
  readonly live = new Map<string, { state: string; text: string }>();

  /**
   * Apply has started: the page disables its buttons and says so, and from now on shows each
   * step's state as it changes, so the preview the user is looking at is the progress view too
   * (the notification can be hidden by Do Not Disturb or collapsed).
   */
  applying(text: string): void {
    this.live.clear();
    void this.panel?.webview.postMessage({ applying: text });
  }

  /** One step's state while applying: `running`, `waiting`, `applied`, `failed`, `skipped`, `done`. */
  progress(step: string, state: string, text: string, detail?: string): void {
    this.live.set(step, { state, text: detail ? `${text} — ${detail}` : text });
    void this.panel?.webview.postMessage({ progress: { step, state, text, detail } });
  }

  /** The plan after apply (final step states), with only a Close button. */
  showResult(plan: Plan, title: string): void {
    this.render(plan, title, true);
  }

  decide(decision: PreviewDecision): boolean {
    const p = this.pending;
    if (!p) return false;
    this.pending = undefined;
    p(decision);
    if (decision === 'cancel' && !this.lastFinal) this.panel?.dispose();
    return true;
  }

  private lastFinal = false;

  private render(plan: Plan, title: string, final: boolean): void {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        PREVIEW_VIEW,
        title,
        { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
        {
          enableScripts: true,
          enableCommandUris: false,
          localResourceRoots: [],
          retainContextWhenHidden: true,
        },
      );
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.decide('cancel');
      });
      this.panel.webview.onDidReceiveMessage((m: { decision?: unknown }) => {
        if (m?.decision === 'apply' || m?.decision === 'export' || m?.decision === 'cancel') {
          if (this.lastFinal) this.panel?.dispose();
          else this.decide(m.decision);
        }
      });
    }
    this.lastFinal = final;
    this.lastPlan = plan;
    this.panel.title = title;
    this.lastHtml = previewHtml(plan, title, randomBytes(16).toString('base64'), this.panel.webview.cspSource, final);
    this.panel.webview.html = this.lastHtml;
    this.panel.reveal(undefined, false);
  }

  close(): void {
    this.panel?.dispose();
  }

  dispose(): void {
    this.decide('cancel');
    this.panel?.dispose();
  }
}
