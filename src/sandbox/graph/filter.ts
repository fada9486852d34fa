/**
 * The OData `$filter` clauses directory clients send (learn.microsoft.com/graph/filter-query-parameter):
 * `prop eq 'v'`, `startswith(prop,'v')`, `collection/any(x:x eq 'v')`, joined with `and` or `or`
 * (one kind per filter). Values are compared case-insensitively, as the directory does for
 * these string properties. Anything else is refused with Graph's unsupported-query answer.
 */
export interface Filter {
  matches(o: Record<string, unknown>): boolean;
}

type Clause = (o: Record<string, unknown>) => boolean;

const QUOTED = "'((?:[^']|'')*)'";
const EQ = new RegExp(`^([A-Za-z][\\w]*)\\s+eq\\s+${QUOTED}$`);
const STARTS = new RegExp(`^startswith\\(\\s*([A-Za-z][\\w]*)\\s*,\\s*${QUOTED}\\s*\\)$`, 'i');
const ANY = new RegExp(`^([A-Za-z][\\w]*)\\/any\\(\\s*(\\w+)\\s*:\\s*(\\w+)\\s+eq\\s+${QUOTED}\\s*\\)$`, 'i');

/** Properties each resource can be filtered on (a subset of Graph's). */
const FILTERABLE: Readonly<Record<string, ReadonlySet<string>>> = {
  ServicePrincipal: new Set([
    'appId',
    'id',
    'displayName',
    'servicePrincipalType',
    'appOwnerOrganizationId',
    'servicePrincipalNames',
    'alternativeNames',
    'tags',
  ]),
  User: new Set(['id', 'userPrincipalName', 'displayName', 'mail', 'mailNickname']),
};

function unquote(v: string): string {
  return v.replace(/''/g, "'");
}

function clause(text: string, resource: string): Clause | { error: string } {
  const allowed = FILTERABLE[resource] ?? new Set<string>();
  const unsupported = (prop: string): { error: string } => ({
    error: `Unsupported or invalid query filter clause specified for property '${prop}' of resource '${resource}'.`,
  });
  let m = EQ.exec(text);
  if (m) {
    const [, prop, raw] = m;
    if (!allowed.has(prop!)) return unsupported(prop!);
    const want = unquote(raw!).toLowerCase();
    return (o) => typeof o[prop!] === 'string' && (o[prop!] as string).toLowerCase() === want;
  }
  m = STARTS.exec(text);
  if (m) {
    const [, prop, raw] = m;
    if (!allowed.has(prop!)) return unsupported(prop!);
    const want = unquote(raw!).toLowerCase();
    return (o) => typeof o[prop!] === 'string' && (o[prop!] as string).toLowerCase().startsWith(want);
  }
  m = ANY.exec(text);
  if (m) {
    const [, prop, variable, used, raw] = m;
    if (!allowed.has(prop!)) return unsupported(prop!);
    if (variable !== used) return { error: `Could not find a property named '${used!}' on type 'Edm.String'.` };
    const want = unquote(raw!).toLowerCase();
    return (o) =>
      Array.isArray(o[prop!]) && (o[prop!] as unknown[]).some((x) => typeof x === 'string' && x.toLowerCase() === want);
  }
  return { error: `Invalid filter clause: '${text}'.` };
}

export function parseFilter(text: string, resource: 'ServicePrincipal' | 'User'): Filter | { error: string } {
  const trimmed = text.trim();
  const hasAnd = /\s+and\s+/i.test(trimmed);
  const hasOr = /\s+or\s+/i.test(trimmed);
  if (hasAnd && hasOr) return { error: `Invalid filter clause: '${text}'.` };
  const parts = trimmed.split(hasOr ? /\s+or\s+/i : /\s+and\s+/i).map((p) =>
    p
      .trim()
      .replace(/^\((.*)\)$/, '$1')
      .trim(),
  );
  const clauses: Clause[] = [];
  for (const p of parts) {
    const c = clause(p, resource);
    if ('error' in c) return c;
    clauses.push(c);
  }
  return { matches: (o) => (hasOr ? clauses.some((c) => c(o)) : clauses.every((c) => c(o))) };
}
