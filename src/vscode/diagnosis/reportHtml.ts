import type { ChainLink, ChainNodeId, ChainPicture } from '../../core/diagnosis/chainPicture';
import type { Diagnosis } from '../../core/diagnosis/runChecks';
import { redactText } from '../../core/diagnosis/redact';

/** The localized words the page shows (from vscode.l10n in reportView, so this file stays testable). */
export interface ReportLabels {
  readonly title: string;
  readonly azure: string;
  readonly kubernetes: string;
  readonly nodes: Readonly<Record<ChainNodeId, string>>;
  readonly colours: Readonly<Record<ChainLink['colour'], string>>;
  readonly verdict: string;
  readonly fix: string;
  readonly recheck: string;
  readonly copy: string;
  readonly checking: string;
  readonly checks: string;
  /** A check's status in the table (`pass` → 통과); the raw value where a word is missing. */
  readonly statuses?: Readonly<Partial<Record<string, string>>>;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

function hoverText(link: ChainLink): string {
  return link.checks
    .map((c) => `${c.id} (${c.status}): ${redactText(c.summary)}\n${redactText(JSON.stringify(c.evidence, null, 2))}`)
    .join('\n\n');
}

function row(
  nodes: readonly ChainNodeId[],
  picture: ChainPicture,
  l: ReportLabels,
  linkIndex: Map<ChainLink, number>,
  busy: boolean,
): string {
  const parts: string[] = [];
  nodes.forEach((n, i) => {
    parts.push(`<div class="node">${esc(l.nodes[n])}</div>`);
    const next = nodes[i + 1];
    if (!next) return;
    const link = picture.links.find((k) => k.from === n && k.to === next);
    if (!link) return;
    const index = linkIndex.get(link)!;
    const fix =
      link.fix && link.colour !== 'green' && !busy
        ? `<button class="fix" data-link="${index}" data-fix="${esc(link.fix)}">${esc(l.fix)}</button>`
        : '';
    parts.push(
      `<div class="link ${link.colour}" tabindex="0" data-link="${index}" title="${esc(hoverText(link))}" aria-label="${esc(`${l.nodes[link.from]} → ${l.nodes[link.to]}: ${l.colours[link.colour]}`)}">` +
        `<span class="bar"></span><span class="state">${esc(l.colours[link.colour])}</span><span class="slot">${fix}</span></div>`,
    );
  });
  return `<div class="row">${parts.join('')}</div>`;
}

/**
 * The report page: the picture, then the checks as a table. Strict CSP: nothing remote, styles
 * and the one script by nonce, no inline handlers; colours from the theme's variables.
 */
export function reportHtml(
  d: Diagnosis,
  picture: ChainPicture,
  l: ReportLabels,
  nonce: string,
  cspSource: string,
  busy = false,
): string {
  const linkIndex = new Map(picture.links.map((k, i) => [k, i]));
  const rows = d.checks
    .map(
      (c) =>
        `<tr class="${c.status}"><td>${esc(l.statuses?.[c.status] ?? c.status)}</td><td><code>${esc(c.id)}</code></td><td>${esc(redactText(c.summary))}</td></tr>`,
    )
    .join('');
  const canRecheck = !busy;
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${cspSource}; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 12px 20px; }
h1 { font-size: 1.3em; margin: 0 0 4px; } .sub { color: var(--vscode-descriptionForeground); margin-bottom: 14px; }
.side { margin: 14px 0 6px; font-weight: 600; color: var(--vscode-descriptionForeground); text-transform: uppercase; font-size: .85em; }
.row { display: flex; align-items: flex-start; flex-wrap: nowrap; overflow-x: auto; padding-bottom: 2px; }
.node { flex: 0 0 auto; box-sizing: border-box; height: 34px; line-height: 18px; white-space: nowrap; border: 1px solid var(--vscode-panel-border, var(--vscode-contrastBorder, #8888)); background: var(--vscode-editorWidget-background); border-radius: 4px; padding: 7px 10px; text-align: center; }
/* Every link keeps the same height (bar at the boxes' middle, state, a slot for Fix), so a Fix does not shift its row. */
.link { flex: 1 1 110px; min-width: 64px; max-width: 160px; display: flex; flex-direction: column; align-items: center; padding: 15px 4px 0; cursor: help; }
.link .bar { display: block; width: 100%; height: 5px; border-radius: 3px; background: var(--vscode-disabledForeground); }
.link .state { font-size: .8em; margin-top: 3px; white-space: nowrap; }
.link .slot { height: 28px; }
.link:focus { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
.link.green .bar { background: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); }
.link.amber .bar { background: var(--vscode-editorWarning-foreground, var(--vscode-charts-yellow)); }
.link.red .bar { background: var(--vscode-errorForeground, var(--vscode-charts-red)); }
.link.green .state { color: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); }
.link.amber .state { color: var(--vscode-editorWarning-foreground, var(--vscode-charts-yellow)); }
.link.red .state { color: var(--vscode-errorForeground, var(--vscode-charts-red)); }
button { font: inherit; color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 3px 10px; border-radius: 2px; cursor: pointer; margin-top: 4px; }
button:hover { background: var(--vscode-button-hoverBackground); }
button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
.actions { margin: 8px 0 10px; display: flex; gap: 8px; }
table { border-collapse: collapse; width: 100%; margin-top: 8px; } td:nth-child(-n + 2) { white-space: nowrap; } td { padding: 3px 8px; border-bottom: 1px solid var(--vscode-panel-border, #8884); vertical-align: top; }
tr.fail td:first-child { color: var(--vscode-errorForeground); } tr.warn td:first-child { color: var(--vscode-editorWarning-foreground); } tr.pass td:first-child { color: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); }
.busy { color: var(--vscode-descriptionForeground); }
</style></head><body>
<h1>${esc(l.title)}</h1>
<div class="sub">${esc(d.cluster.name)} · ${esc(d.cluster.resourceGroup)} — ${esc(l.verdict)}</div>
<div class="side">${esc(l.azure)}</div>
${row(picture.azure, picture, l, linkIndex, busy)}
<div class="side">${esc(l.kubernetes)}</div>
${row(picture.kubernetes, picture, l, linkIndex, busy)}
<div class="actions">
${canRecheck ? `<button id="recheck">${esc(l.recheck)}</button>` : `<span class="busy">${esc(l.checking)}</span>`}
<button id="copy" class="secondary">${esc(l.copy)}</button>
</div>
<div class="side">${esc(l.checks)}</div>
<table>${rows}</table>
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
for (const b of document.querySelectorAll('button.fix')) b.addEventListener('click', () => vscode.postMessage({ type: 'fix', link: Number(b.dataset.link) }));
document.getElementById('recheck')?.addEventListener('click', () => vscode.postMessage({ type: 'recheck' }));
document.getElementById('copy')?.addEventListener('click', () => vscode.postMessage({ type: 'copy' }));
</script>
</body></html>`;
}
