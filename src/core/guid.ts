/** Client and tenant IDs are GUIDs in 8-4-4-4-12 hex form (Entra application/client IDs). */
const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isGuid(value: string): boolean {
  return GUID_RE.test(value);
}

/** `6f1c2a4e-…-…9f01` → `6f1c…9f01`, the short form used in lens titles. */
export function shortGuid(value: string): string {
  return value.length > 8 ? `${value.slice(0, 4)}…${value.slice(-4)}` : value;
}

/** `${CLIENT_ID}`, `$(CLIENT_ID)`, `$CLIENT_ID`: a variable an envsubst/kustomize step never replaced. */
export function looksLikeVariable(value: string): boolean {
  return /\$\{[^}]*\}|\$\([^)]*\)|^\$[A-Za-z_]/.test(value);
}
