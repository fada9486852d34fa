import type { Range, Severity } from '../core/findings';

/** One line of `kwi lint --format json` (0-based positions, as in the editor). */
export interface LintResult {
  file: string;
  rule: string;
  severity: Severity;
  message: string;
  range: Range;
}
