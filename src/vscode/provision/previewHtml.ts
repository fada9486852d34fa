import * as vscode from 'vscode';
import type { Plan, PlanStep } from '../../core/provision/plan';

/** How the preview words a step's state (every step is one of these before anything is written). */
export type PreviewVerdict = 'done' | 'create' | 'change' | 'blocked' | 'applied' | 'failed' | 'skipped';

export function verdictOf(step: PlanStep): PreviewVerdict {
  switch (step.state) {
    case 'done':
      return 'done';
    case 'blocked':
      return 'blocked';
    case 'applied':
      return 'applied';
    case 'failed':
      return 'failed';
    case 'skipped':
      return 'skipped';
    default:
      return step.changes.some((c) => c.before !== undefined) ? 'change' : 'create';
  }
}

export function verdictText(v: PreviewVerdict): string {
  switch (v) {
    case 'done':
      return vscode.l10n.t('Already done');
    case 'create':
      return vscode.l10n.t('Will create');
    case 'change':
      return vscode.l10n.t('Will change');
    case 'blocked':
      return vscode.l10n.t('Blocked');
    case 'applied':
      return vscode.l10n.t('Applied');
    case 'failed':
      return vscode.l10n.t('Failed');
    case 'skipped':
      return vscode.l10n.t('Skipped');
  }
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The preview as a self-contained page: no remote content, no inline handlers; the one script
 * and style carry the nonce the Content-Security-Policy allows
 * (code.visualstudio.com/api/extension-guides/webview#content-security-policy).
 */
export function previewHtml(plan: Plan, title: string, nonce: string, cspSource: string, final = false): string {
  const rows = plan.steps.map((s) => stepHtml(s, final)).join('\n');
  const edits = plan.manifestEdits
    .map(
      (e) => `<li>${esc(e.title)} <code>${esc(vscode.workspace.asRelativePath(vscode.Uri.parse(e.uri)))}</code></li>`,
    )
    .join('');
  const counts = new Map<PreviewVerdict, number>();
  for (const s of plan.steps) counts.set(verdictOf(s), (counts.get(verdictOf(s)) ?? 0) + 1);
  const summary = [...counts].map(([v, n]) => `<span class="badge ${v}">${esc(verdictText(v))}: ${n}</span>`).join(' ');
  const buttons = final
    ? `<button data-decision="cancel">${esc(vscode.l10n.t('Close'))}</button>`
    : `<button class="primary" data-decision="apply">${esc(vscode.l10n.t('Apply'))}</button>
       <button data-decision="export">${esc(vscode.l10n.t('Export…'))}</button>
       <button data-decision="cancel">${esc(vscode.l10n.t('Cancel'))}</button>`;
  return `<!DOCTYPE html>
<html lang="${esc(vscode.env.language)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${cspSource}; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 20px 20px; }
  h1 { font-size: 1.4em; font-weight: 600; margin: 16px 0 4px; }
  .sub { color: var(--vscode-descriptionForeground); margin-bottom: 12px; }
  .step { border: 1px solid var(--vscode-panel-border, #8884); border-left-width: 4px; border-radius: 4px; padding: 8px 12px; margin: 10px 0; }
  .step.done, .step.applied { border-left-color: var(--vscode-testing-iconPassed, #3fb950); }
  .step.create { border-left-color: var(--vscode-charts-blue, #3794ff); }
  .step.change { border-left-color: var(--vscode-charts-yellow, #cca700); }
  .step.blocked, .step.failed { border-left-color: var(--vscode-errorForeground, #f14c4c); }
  .step.skipped { border-left-color: var(--vscode-disabledForeground, #888); }
  .head { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
  .name { font-weight: 600; }
  .badge { font-size: 0.85em; padding: 1px 6px; border-radius: 8px; background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); }
  .resource { color: var(--vscode-descriptionForeground); font-family: var(--vscode-editor-font-family); font-size: 0.9em; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  @media (max-width: 480px) { body { padding: 0 8px 12px; } h1 { font-size: 1.15em; } .step { padding: 6px 8px; } }
  ul { margin: 6px 0; padding-left: 20px; }
  .before { text-decoration: line-through; color: var(--vscode-descriptionForeground); }
  .warn { color: var(--vscode-editorWarning-foreground, #cca700); }
  .err { color: var(--vscode-errorForeground, #f14c4c); }
  pre { background: var(--vscode-textCodeBlock-background); padding: 6px 8px; border-radius: 3px; overflow-x: auto; margin: 6px 0 0; font-family: var(--vscode-editor-font-family); font-size: 0.9em; white-space: pre-wrap; }
  details summary { cursor: pointer; color: var(--vscode-textLink-foreground); margin-top: 4px; }
  .actions { position: sticky; bottom: 0; background: var(--vscode-editor-background); padding: 12px 0; display: flex; flex-wrap: wrap; gap: 8px; }
  button { font: inherit; padding: 4px 14px; border: 1px solid var(--vscode-button-border, transparent); border-radius: 2px; cursor: pointer;
    background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); }
  button.primary { background: var(--vscode-button-background); color: var(--vscode-button-foreground); }
  button:disabled { opacity: 0.5; cursor: default; }
  .status { color: var(--vscode-descriptionForeground); align-self: center; }
  .live { margin-top: 4px; }
  .step.running, .step.waiting { border-left-color: var(--vscode-progressBar-background, #0e70c0); }
</style>
</head>
<body>
<h1>${esc(title)}</h1>
<div class="sub">${summary}</div>
${rows}
${edits ? `<h2>${esc(vscode.l10n.t('Workspace manifest'))}</h2><ul>${edits}</ul>` : ''}
<div class="actions">${buttons}<span class="status" role="status" aria-live="polite"></span></div>
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  for (const b of document.querySelectorAll('button[data-decision]')) {
    b.addEventListener('click', () => {
      for (const other of document.querySelectorAll('button')) other.disabled = b.dataset.decision !== 'export';
      vscode.postMessage({ decision: b.dataset.decision });
      setTimeout(() => { if (!applying) for (const other of document.querySelectorAll('button')) other.disabled = false; }, 1500);
    });
  }
  // While the plan applies, the extension sends each step's state: the page is the progress view.
  let applying = false;
  const VERDICT = { running: 'running', waiting: 'waiting', applied: 'applied', done: 'done', failed: 'failed', skipped: 'skipped', blocked: 'blocked' };
  window.addEventListener('message', (event) => {
    const m = event.data || {};
    if (typeof m.applying === 'string') {
      applying = true;
      for (const b of document.querySelectorAll('button')) b.disabled = true;
      document.querySelector('.status').textContent = m.applying;
      // The counts describe the plan before apply; the steps now say where each one is.
      document.querySelector('.sub').textContent = m.applying;
    }
    const p = m.progress;
    if (!p || typeof p.step !== 'string') return;
    const step = [...document.querySelectorAll('.step')].find((el) => el.dataset.step === p.step);
    if (!step) return;
    const v = VERDICT[p.state] || 'change';
    step.className = 'step ' + v;
    step.dataset.verdict = v;
    const badge = step.querySelector('.head .badge');
    badge.className = 'badge ' + v;
    badge.textContent = String(p.text);
    let live = step.querySelector('.live');
    if (!live) { live = document.createElement('div'); live.className = 'live'; step.querySelector('.resource').after(live); }
    live.textContent = p.detail ? String(p.detail) : '';
  });
</script>
</body>
</html>`;
}

function stepHtml(s: PlanStep, final: boolean): string {
  const v = verdictOf(s);
  const changes = s.changes
    .map((c) =>
      c.before !== undefined
        ? `<li><b>${esc(c.field)}</b>: <span class="before">${esc(c.before)}</span> → ${esc(c.after)}</li>`
        : `<li><b>${esc(c.field)}</b>: ${esc(c.after)}</li>`,
    )
    .join('');
  const lines: string[] = [];
  if ((v === 'create' || v === 'change') && changes) lines.push(`<ul>${changes}</ul>`);
  if (v === 'blocked') {
    if (s.blockedReason) lines.push(`<div class="err">${esc(s.blockedReason)}</div>`);
    if (s.unblock) lines.push(`<div>${esc(vscode.l10n.t('To unblock: {0}', s.unblock))}</div>`);
  }
  if (s.error) lines.push(`<div class="err">${esc(`${s.error.code}: ${s.error.message}`)}</div>`);
  if (s.detail) lines.push(`<div>${esc(s.detail)}</div>`);
  // After apply, the step's own detail supersedes what planning noted (counts move).
  // A note that repeats the step's warning is shown once, as the warning.
  if (!(final && s.detail)) {
    for (const n of (s.notes ?? []).filter((x) => x !== s.warning)) lines.push(`<div>${esc(n)}</div>`);
  }
  if (s.irreversible && (v === 'create' || v === 'change')) {
    lines.push(`<div class="warn">${esc(s.warning ?? vscode.l10n.t('This step cannot be undone.'))}</div>`);
  } else if (s.destructive && s.warning && (v === 'create' || v === 'change')) {
    lines.push(`<div class="warn">${esc(s.warning)}</div>`);
  }
  if (s.equivalent) {
    lines.push(
      `<details><summary>${esc(vscode.l10n.t('Equivalent command'))}</summary><pre>${esc(s.equivalent)}</pre></details>`,
    );
  }
  return `<div class="step ${v}" data-step="${esc(s.id)}" data-verdict="${v}">
  <div class="head"><span class="badge ${v}">${esc(verdictText(v))}</span><span class="name">${esc(s.title)}</span></div>
  <div class="resource" title="${esc(s.resource)}">${esc(shortResource(s.resource))}</div>
  ${lines.join('\n  ')}
</div>`;
}

/**
 * What a narrow panel shows of a resource: an ARM ID from its last `type/name` pair on (the
 * subscription and group are in the title attribute, shown on hover); `namespace/kind/name` as is.
 */
export function shortResource(resource: string): string {
  const parts = resource.split('/').filter(Boolean);
  const providers = parts.map((p) => p.toLowerCase()).lastIndexOf('providers');
  if (!resource.startsWith('/subscriptions/') || providers < 0 || parts.length < providers + 4) return resource;
  return parts.slice(providers + 2).join('/');
}
