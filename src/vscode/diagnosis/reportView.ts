import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { chainPicture, type ChainLink } from '../../core/diagnosis/chainPicture';
import { diagnosisMarkdown } from '../../core/diagnosis/report';
import type { Diagnosis } from '../../core/diagnosis/runChecks';
import type { DiagnosisBackend, DiagnoseOptions } from '../../diagnosis/diagnosisBackend';
import type { Preset } from '../provision/treeContext';
import { FIX_COMMAND, presetCarrier } from './fixCommands';
import { reportHtml, type ReportLabels } from './reportHtml';

export const REPORT_VIEW = 'kwi.diagnosis.report';

export type DiagnosisApi = typeof import('../../diagnosis/session');

/** One ServiceAccount's report: what it was diagnosed with, so Fix and Re-check ask nothing. */
export interface ReportTarget {
  readonly backend: DiagnosisBackend;
  readonly api: DiagnosisApi;
  readonly options: DiagnoseOptions;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly preset: Preset;
}

function labels(d: Diagnosis): ReportLabels {
  const failed = chainPicture(d).links.filter((k) => k.colour === 'red').length;
  return {
    title: vscode.l10n.t('Workload identity of {0}', d.serviceAccount),
    azure: vscode.l10n.t('Azure'),
    kubernetes: vscode.l10n.t('Kubernetes'),
    nodes: {
      issuer: vscode.l10n.t('Cluster issuer'),
      credential: vscode.l10n.t('Federated credential'),
      identity: vscode.l10n.t('Identity'),
      role: vscode.l10n.t('Role'),
      resource: vscode.l10n.t('Resource'),
      serviceAccount: vscode.l10n.t('ServiceAccount'),
      pods: vscode.l10n.t('Pods'),
    },
    colours: {
      green: vscode.l10n.t('works'),
      amber: vscode.l10n.t('warning'),
      red: vscode.l10n.t('broken'),
      grey: vscode.l10n.t('not checked'),
    },
    verdict:
      d.verdict === 'fail'
        ? vscode.l10n.t('{0} broken link(s)', failed)
        : d.verdict === 'warn'
          ? vscode.l10n.t('works, with warnings')
          : vscode.l10n.t('every link works'),
    fix: vscode.l10n.t('Fix'),
    recheck: vscode.l10n.t('Re-check'),
    copy: vscode.l10n.t('Copy report'),
    checking: vscode.l10n.t('Checking…'),
    checks: vscode.l10n.t('Checks'),
    statuses: {
      pass: vscode.l10n.t('pass'),
      warn: vscode.l10n.t('warn'),
      fail: vscode.l10n.t('fail'),
      skip: vscode.l10n.t('skip'),
    },
  };
}

/**
 * The report panel, one per ServiceAccount. Messages from the page: `fix` (a link's index),
 * `recheck`, `copy`; the same actions are methods, for the commands and the tests.
 */
export class DiagnosisReport implements vscode.Disposable {
  private static readonly open = new Map<string, DiagnosisReport>();
  private readonly panel: vscode.WebviewPanel;
  private diagnosis: Diagnosis | undefined;
  private busy = false;
  lastHtml = '';

  static show(target: ReportTarget, first?: Diagnosis): DiagnosisReport {
    const key = `${target.options.cluster}|${target.namespace}/${target.serviceAccount}`;
    let r = DiagnosisReport.open.get(key);
    if (!r) {
      r = new DiagnosisReport(target, key);
      DiagnosisReport.open.set(key, r);
    } else r.target = target;
    r.panel.reveal(undefined, false);
    if (first) r.render(first);
    else void r.recheck(false);
    return r;
  }

  /** The report last shown (the tests drive it through this). */
  static current(): DiagnosisReport | undefined {
    return [...DiagnosisReport.open.values()].pop();
  }

  private constructor(
    private target: ReportTarget,
    private readonly key: string,
  ) {
    this.panel = vscode.window.createWebviewPanel(
      REPORT_VIEW,
      vscode.l10n.t('Diagnose {0}', `${target.namespace}/${target.serviceAccount}`),
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
        enableCommandUris: false,
        localResourceRoots: [],
        retainContextWhenHidden: true,
      },
    );
    this.panel.onDidDispose(() => DiagnosisReport.open.delete(this.key));
    this.panel.webview.onDidReceiveMessage((m: { type?: unknown; link?: unknown }) => {
      if (m?.type === 'recheck') void this.recheck(true);
      else if (m?.type === 'copy') void this.copy();
      else if (m?.type === 'fix' && typeof m.link === 'number') void this.fix(m.link);
    });
  }

  get result(): Diagnosis | undefined {
    return this.diagnosis;
  }

  links(): readonly ChainLink[] {
    return this.diagnosis ? chainPicture(this.diagnosis).links : [];
  }

  /** Re-observes. With backoff, while a propagation delay still explains a warning. */
  async recheck(backoff: boolean): Promise<Diagnosis | undefined> {
    if (this.busy) return this.diagnosis;
    this.busy = true;
    if (this.diagnosis) this.render(this.diagnosis);
    try {
      const t = this.target;
      const d = backoff
        ? await t.api.recheck(t.backend, t.options, t.namespace, t.serviceAccount, { onAttempt: (x) => this.render(x) })
        : await t.api.diagnoseServiceAccount(t.backend, t.options, t.namespace, t.serviceAccount);
      this.busy = false;
      this.render(d);
      return d;
    } catch (e) {
      this.busy = false;
      void vscode.window.showErrorMessage(vscode.l10n.t('Diagnosis failed: {0}', (e as Error)?.message ?? String(e)));
      if (this.diagnosis) this.render(this.diagnosis);
      return undefined;
    }
  }

  /** Runs the provisioning step the link names, with the report's inputs, then re-checks. */
  async fix(linkIndex: number): Promise<Diagnosis | undefined> {
    const link = this.links()[linkIndex];
    if (!link?.fix) return this.diagnosis;
    if (link.fix !== 'propagation') {
      await vscode.commands.executeCommand(FIX_COMMAND[link.fix], presetCarrier(this.target.preset));
      this.panel.reveal(undefined, false); // the plan preview took the editor: back to the picture
    }
    return this.recheck(true);
  }

  async copy(): Promise<void> {
    if (!this.diagnosis) return;
    await vscode.env.clipboard.writeText(diagnosisMarkdown(this.diagnosis, this.target.options.locale ?? 'en'));
    void vscode.window.showInformationMessage(vscode.l10n.t('Report copied (tokens and secrets redacted).'));
  }

  private render(d: Diagnosis): void {
    this.diagnosis = d;
    this.lastHtml = reportHtml(
      d,
      chainPicture(d),
      labels(d),
      randomBytes(16).toString('base64'),
      this.panel.webview.cspSource,
      this.busy,
    );
    this.panel.webview.html = this.lastHtml;
  }

  dispose(): void {
    this.panel.dispose();
  }
}
