/**
 * Type guards shared by every layer. A JSON object here is what `JSON.parse` gives for `{…}`:
 * not null and not an array.
 */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
