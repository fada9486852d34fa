/**
 * Plain-scalar resolution under the YAML 1.2 core schema, as the `yaml` package does by default
 * (yaml.org/spec/1.2.2 §10.3.2). Kubernetes' decoder is YAML 1.1-flavoured (yes/on are booleans
 * there), which only matters for messages: the rules treat anything but the string "true" as wrong.
 */
const NULL_RE = /^(?:~|null|Null|NULL)?$/;
const BOOL_RE = /^(?:true|True|TRUE|false|False|FALSE)$/;
const INT_RE = /^[-+]?[0-9]+$/;
const OCT_RE = /^0o[0-7]+$/;
const HEX_RE = /^0x[0-9a-fA-F]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const INF_RE = /^[-+]?\.(?:inf|Inf|INF)$/;
const NAN_RE = /^\.(?:nan|NaN|NAN)$/;

export function resolvePlain(text: string): string | number | boolean | null {
  if (text.length === 0) return null;
  const c = text.charCodeAt(0);
  // Fast path: most scalars start with a letter that cannot begin a number, null or bool.
  if (!(
    c === 126 ||
    c === 110 ||
    c === 78 ||
    c === 116 ||
    c === 84 ||
    c === 102 ||
    c === 70 ||
    c === 46 ||
    c === 43 ||
    c === 45 ||
    (c >= 48 && c <= 57)
  )) {
    return text;
  }
  if (NULL_RE.test(text)) return null;
  if (BOOL_RE.test(text)) return text[0] === 't' || text[0] === 'T';
  if (INT_RE.test(text)) return Number(text);
  if (OCT_RE.test(text)) return parseInt(text.slice(2), 8);
  if (HEX_RE.test(text)) return parseInt(text.slice(2), 16);
  if (FLOAT_RE.test(text)) return Number(text);
  if (INF_RE.test(text)) return text[0] === '-' ? -Infinity : Infinity;
  if (NAN_RE.test(text)) return NaN;
  return text;
}
