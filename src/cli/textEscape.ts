/**
 * Text output must not carry control characters from file names or YAML values: a newline
 * followed by `::error file=…::` is a GitHub Actions workflow command (docs.github.com, "Workflow
 * commands for GitHub Actions"), and ESC starts terminal escape sequences. C0 and C1 controls,
 * DEL, the Unicode line and paragraph separators and the bidirectional controls (Unicode UAX #9)
 * are printed as escapes instead.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
