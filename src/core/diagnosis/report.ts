import { dmsg, type DiagnosisLocale, type DiagnosisMessageId } from './messages';
import { redactText, redactValue } from './redact';
import type { Diagnosis } from './runChecks';

/** The `kwi doctor --format json` shape, one per ServiceAccount. */
export interface DiagnosisJson {
  serviceAccount: string;
  checks: Array<{ id: string; status: string; summary: string; evidence: Record<string, unknown>; fix?: string }>;
}

export function diagnosisJson(d: Diagnosis): DiagnosisJson {
  return {
    serviceAccount: d.serviceAccount,
    checks: d.checks.map((c) => ({
      id: c.id,
      status: c.status,
      summary: redactText(c.summary),
      evidence: redactValue(c.evidence) as Record<string, unknown>,
      ...(c.fix ? { fix: c.fix } : {}),
    })),
  };
}

const MARK: Record<string, string> = { pass: '✔', warn: '!', fail: '✘', skip: '–' };

function verdictLine(d: Diagnosis, locale: DiagnosisLocale): string {
  if (d.verdict === 'fail') {
    return dmsg(locale, 'report.verdict.fail', d.checks.filter((c) => c.status === 'fail').length);
  }
  return dmsg(locale, d.verdict === 'warn' ? 'report.verdict.warn' : 'report.verdict.pass');
}

/** Plain text for a terminal: one line per check, the evidence of broken links indented below. */
export function diagnosisText(d: Diagnosis, locale: DiagnosisLocale = 'en', o: { evidence?: boolean } = {}): string {
  const lines = [
    dmsg(locale, 'report.title', d.serviceAccount),
    dmsg(locale, 'report.cluster', d.cluster.name, d.cluster.resourceGroup, d.cluster.subscriptionId),
    '',
  ];
  for (const c of d.checks) {
    lines.push(`${MARK[c.status]} ${c.status.padEnd(4)} ${c.id.padEnd(26)} ${redactText(c.summary)}`);
    if (c.fix && c.status !== 'pass') lines.push(`${' '.repeat(38)}${dmsg(locale, 'report.fix', c.fix)}`);
    if (o.evidence || c.status === 'fail') {
      for (const line of JSON.stringify(redactValue(c.evidence), null, 2).split('\n')) {
        lines.push(`${' '.repeat(38)}${line}`);
      }
    }
  }
  lines.push('', verdictLine(d, locale), '');
  return lines.join('\n');
}

const escapeCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** "Copy report": Markdown ready to paste into an issue, tokens and secrets redacted. */
export function diagnosisMarkdown(d: Diagnosis, locale: DiagnosisLocale = 'en'): string {
  const out = [
    `## ${dmsg(locale, 'report.title', d.serviceAccount)}`,
    '',
    dmsg(locale, 'report.cluster', d.cluster.name, d.cluster.resourceGroup, d.cluster.subscriptionId),
    '',
    verdictLine(d, locale),
    '',
  ];
  out.push('| | check | status | summary | fix |', '|---|---|---|---|---|');
  for (const c of d.checks) {
    out.push(
      `| ${MARK[c.status]} | ${dmsg(locale, `title.${c.id}` as DiagnosisMessageId)} (\`${c.id}\`) | ${c.status} | ${escapeCell(redactText(c.summary))} | ${c.fix && c.status !== 'pass' ? `\`${c.fix}\`` : ''} |`,
    );
  }
  out.push('', `<details><summary>${dmsg(locale, 'report.evidence')}</summary>`, '');
  for (const c of d.checks) {
    out.push(`**${c.id}** (${c.status})`, '', '```json', JSON.stringify(redactValue(c.evidence), null, 2), '```', '');
  }
  out.push('</details>', '');
  return out.join('\n');
}
