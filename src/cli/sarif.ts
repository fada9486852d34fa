/**
 * SARIF 2.1.0 as GitHub code scanning accepts it (docs.github.com "SARIF support for code
 * scanning"): tool.driver with rule metadata and help, results with ruleId/ruleIndex/level and a
 * physical location whose uri is relative to the checkout (uriBaseId %SRCROOT%), 1-based region.
 */
import { pathToFileURL } from 'node:url';
import type { Severity } from '../core/findings';
import { RULES } from '../core/ruleCatalog';
import type { LintResult } from './lintResult';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://marketplace.visualstudio.com/items?itemName=kwi-dev.workload-identity-k8s';

function ruleName(id: string): string {
  return id
    .split(/[/-]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

export function toSarif(results: readonly LintResult[], version: string): object {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kwi',
            fullName: 'Workload Identity for Kubernetes (kwi lint)',
            informationUri: INFORMATION_URI,
            version,
            semanticVersion: version,
            rules: RULES.map((r) => ({
              id: r.id,
              name: ruleName(r.id),
              shortDescription: { text: r.summary },
              fullDescription: { text: r.description },
              help: {
                text: `${r.description}\nSuppress on one line with "# kwi-disable-next-line ${r.id}", or turn it off in the kwi.rules setting.`,
                markdown: `**${r.summary}**\n\n${r.description}\n\nSuppress on one line with \`# kwi-disable-next-line ${r.id}\`, or set \`"${r.id}": "off"\` in the \`kwi.rules\` setting.`,
              },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: {
                tags: [...r.tags],
                precision: 'high',
                'problem.severity': r.severity === 'info' ? 'recommendation' : r.severity,
              },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { uri: './' } },
        results: results.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIndex.get(f.rule) ?? -1,
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                // Files outside the working directory get an absolute file: URI and no base.
                artifactLocation: f.file.startsWith('/')
                  ? { uri: pathToFileURL(f.file).href }
                  : { uri: encodeURI(f.file), uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: f.range.start.line + 1,
                  startColumn: f.range.start.character + 1,
                  endLine: f.range.end.line + 1,
                  endColumn: f.range.end.character + 1,
                },
              },
            },
          ],
        })),
      },
    ],
  };
}
