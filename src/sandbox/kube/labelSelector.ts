import { badRequest } from './status';

/** One requirement of a label selector (k8s.io/apimachinery pkg/labels/selector.go). */
export interface Requirement {
  key: string;
  op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!';
  values: string[];
}

/**
 * Parses the `labelSelector` query string: `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x)`, `a`, `!a`, comma-separated and ANDed. An empty selector matches everything.
 */
export function parseLabelSelector(text: string | null): Requirement[] {
  const requirements: Requirement[] = [];
  if (!text || !text.trim()) {
    return requirements;
  }
  for (const part of splitTopLevel(text)) {
    const item = part.trim();
    if (!item) {
      throw badRequest(`unable to parse requirement: found '', expected: identifier`);
    }
    let m: RegExpMatchArray | null;
    if ((m = /^!\s*([^\s!=(),]+)$/.exec(item))) {
      requirements.push({ key: m[1] as string, op: '!', values: [] });
    } else if ((m = /^([^\s!=(),]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(item))) {
      const values = (m[3] as string).split(',').map((v) => v.trim());
      requirements.push({
        key: m[1] as string,
        op: m[2] as 'in' | 'notin',
        values: values.filter((v, i) => v || values.length > 1 || i > 0),
      });
    } else if ((m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(item))) {
      requirements.push({ key: m[1] as string, op: m[2] === '!=' ? '!=' : '=', values: [m[3] as string] });
    } else if ((m = /^([^\s!=(),]+)$/.exec(item))) {
      requirements.push({ key: m[1] as string, op: 'exists', values: [] });
    } else {
      throw badRequest(
        `unable to parse requirement: <nil>: Invalid value: "${item}": found unexpected token in label selector`,
      );
    }
  }
  return requirements;
}

export function matchesLabels(
  requirements: readonly Requirement[],
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const l = labels ?? {};
  return requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const value = l[r.key];
    switch (r.op) {
      case '=':
        return has && value === r.values[0];
      case '!=':
        // As in Kubernetes, `!=` also matches objects without the key.
        return !has || value !== r.values[0];
      case 'in':
        return has && r.values.includes(value as string);
      case 'notin':
        return !has || !r.values.includes(value as string);
      case 'exists':
        return has;
      case '!':
        return !has;
    }
  });
}

/** Field selectors support only `=`, `==` and `!=` on a few fields per kind. */
export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export function parseFieldSelector(text: string | null, supported: readonly string[]): FieldRequirement[] {
  if (!text || !text.trim()) {
    return [];
  }
  return splitTopLevel(text).map((raw) => {
    const m = /^\s*([^\s!=]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(raw);
    if (!m) {
      throw badRequest(`invalid selector: '${text}'; can't understand '${raw}'`);
    }
    const field = m[1] as string;
    if (!supported.includes(field)) {
      throw badRequest(`field label not supported: ${field}`);
    }
    return { field, op: m[2] === '!=' ? '!=' : '=', value: m[3] as string };
  });
}

export function matchesFields(
  requirements: readonly FieldRequirement[],
  fields: Readonly<Record<string, string>>,
): boolean {
  return requirements.every((r) => ((fields[r.field] ?? '') === r.value) === (r.op === '='));
}

/** Splits on commas outside parentheses (`a in (x,y),b`). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}
