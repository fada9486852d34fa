import * as vscode from 'vscode';
import type { AnalyzerOptions, RuleSetting } from '../core/analyzer';

export const SECTION = 'kwi';
const RULE_SETTINGS: readonly string[] = ['off', 'error', 'warning', 'info'];

/** The analyzer speaks only English and Korean; everything else falls back to English. */
export function analyzerLocale(language: string = vscode.env.language): 'en' | 'ko' {
  return language.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

/** Reads `kwi.rules`, dropping values a hand-edited settings.json may carry that the core would not understand. */
export function readAnalyzerOptions(): AnalyzerOptions {
  const raw = vscode.workspace.getConfiguration(SECTION).get<Record<string, unknown>>('rules') ?? {};
  const rules: Record<string, RuleSetting> = {};
  for (const [rule, value] of Object.entries(raw)) {
    if (typeof value === 'string' && RULE_SETTINGS.includes(value)) rules[rule] = value as RuleSetting;
  }
  return { locale: analyzerLocale(), rules };
}

export function codeLensEnabled(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('codeLens.enabled', true);
}

export type DiagnosticsScope = 'openFiles' | 'workspace';

/** `kwi.diagnostics.scope`: open editors only (default), or every manifest in the workspace. */
export function diagnosticsScope(): DiagnosticsScope {
  return vscode.workspace.getConfiguration(SECTION).get<string>('diagnostics.scope') === 'workspace'
    ? 'workspace'
    : 'openFiles';
}
