/**
 * POSIX shell quoting for the `az`/`kubectl` equivalents and the exported script. Values are only
 * ever quoted, never interpolated into a command string that is run: the extension itself runs no
 * shell (all calls go through the SDKs).
 */
export function shq(value: string): string {
  if (value !== '' && /^[A-Za-z0-9_./:@%+=,-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Joins a command's words, quoting each argument that is not a `"$VAR"` reference. */
export function cmd(...words: readonly string[]): string {
  return words
    .map((w) => (/^\$\{[A-Z_][A-Z0-9_]*\}$/.test(w) ? `"${w}"` : /^"\$\{[A-Z_][A-Z0-9_]*\}"$/.test(w) ? w : shq(w)))
    .join(' ');
}
