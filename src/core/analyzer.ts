/**
 * The analysis entry point shared by the VS Code layer and the CLI (docs/contracts.md, "core
 * analysis API"). Pure: plain data in, plain data out; never throws.
 */
import type { Finding, Fix, Location, Range, Severity } from './findings';
import { objectsOf } from './k8sModel';
import { LineIndex } from './lineIndex';
import type { Locale } from './messages';
import { RULE_BY_ID } from './ruleCatalog';
import { checkObjectKeys } from './rules/annotationRules';
import { checkPodTemplate } from './rules/podTemplateRules';
import { RuleContext, type RawLens } from './rules/ruleContext';
import { serviceAccountLens } from './rules/serviceAccountLens';
import { checkTrustPolicy, looksLikeTrustPolicy, parseTrustPolicy } from './rules/trustPolicyRules';
import { parseSuppressions } from './suppressions';
import { detectEol, normalizeLoneCr } from './textEdits';
import type { SourceText } from './textEdits';
import { buildFileIndex, EMPTY_FILE_INDEX, WorkspaceIndex } from './workspaceIndex';
import type { DocumentSlice } from './yamlDocuments';
import type { EditGuard } from './yamlModel';
import type { ServiceAccountEntry, ServiceAccountQuery } from './workspaceIndex';
import {
  containsAny,
  DocumentCache,
  INDEX_MARKERS,
  isTemplated,
  MAX_DOCUMENT_CHARS,
  MAX_FILE_CHARS,
  mayNeedAnalysis,
} from './yamlDocuments';

export type RuleSetting = 'off' | 'error' | 'warning' | 'info';

export interface AnalyzerOptions {
  locale?: Locale;
  rules?: Record<string, RuleSetting>;
  /** Told about an unexpected internal error (the analysis then reports nothing for the file). */
  onError?: (error: unknown, uri: string) => void;
}

export interface Lens {
  range: Range;
  title: string;
  tooltip?: string;
  fix?: Fix;
  /** Without a fix: where the lens leads when clicked. */
  goto?: Location;
  kind: 'serviceAccount' | 'podTemplate';
  /**
   * A pod template's namespace and ServiceAccount (spec.serviceAccountName, else 'default', as the
   * API server assigns it), whether or not the workspace defines that ServiceAccount.
   */
  runsAs?: { namespace: string; name: string };
}

export interface DocumentAnalysis {
  findings: Finding[];
  lenses: Lens[];
  /**
   * Set when size limits kept some of the text from being analyzed, so that consumers can say so
   * instead of showing a clean file (a localized sentence).
   */
  skipped?: string;
}

function wantsIndex(doc: string): boolean {
  return doc.length <= MAX_DOCUMENT_CHARS && !isTemplated(doc) && containsAny(doc, INDEX_MARKERS);
}

/**
 * The documents' guarded spans in file offsets. A block collection's span runs to the end of its
 * last line, where an insertion (after a trailing comment) still adds to it.
 */
function fileGuards(slices: readonly DocumentSlice[], src: SourceText): EditGuard[] {
  const out: EditGuard[] = [];
  for (const slice of slices) {
    for (const g of slice.parsed?.guards ?? []) {
      const start = slice.base + g.start;
      let end = slice.base + g.end;
      if (g.collection && end > start) end = Math.max(end, src.lines.lineEnd(src.lines.lineOf(end - 1)));
      out.push({ ...g, start, end });
    }
  }
  return out;
}

/** 5000000 → "5,000,000": sizes in messages are read, not parsed. */
function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** The text the rules read: lone CRs become LFs (same offsets), edits keep the file's own line ending. */
function sourceOf(text: string): SourceText {
  const normalized = normalizeLoneCr(text);
  return { text: normalized, lines: new LineIndex(normalized), eol: detectEol(text) };
}

export class Analyzer {
  private options: AnalyzerOptions;
  private readonly cache = new DocumentCache();
  private readonly index = new WorkspaceIndex();

  constructor(options: AnalyzerOptions = {}) {
    this.options = { ...options };
  }

  setOptions(options: AnalyzerOptions): void {
    this.options = { ...options };
  }

  /** The cross-file index (read it; files are added through indexFile/analyze). Provisioning finds manifests here. */
  get workspaceIndex(): WorkspaceIndex {
    return this.index;
  }

  /** Increments whenever the index changes in a way that can change other files' findings. */
  get indexVersion(): number {
    return this.index.version;
  }

  /** "Where is ServiceAccount X", answered from the index (no file is read or parsed again). */
  findServiceAccounts(query: ServiceAccountQuery): ServiceAccountEntry[] {
    return this.index.findServiceAccounts(query);
  }

  indexFile(uri: string, text: string): void {
    try {
      if (looksLikeTrustPolicy(text)) {
        const statements = text.length > MAX_FILE_CHARS ? 0 : (parseTrustPolicy(text)?.length ?? 0);
        this.index.set(uri, { ...EMPTY_FILE_INDEX, trustPolicies: statements });
        return;
      }
      // Most workspace files name none of the kinds the index holds: no parse at all.
      if (text.length > MAX_FILE_CHARS || !containsAny(text, INDEX_MARKERS)) {
        this.index.set(uri, EMPTY_FILE_INDEX);
        return;
      }
      // Parsed documents go to the per-uri cache: analyze() of the same text reuses them.
      const normalized = normalizeLoneCr(text);
      const slices = this.cache.parseFile(uri, normalized, wantsIndex);
      const objects = objectsOf(slices);
      this.index.set(uri, buildFileIndex(uri, objects.length > 0 ? sourceOf(text) : undefined, objects));
    } catch (e) {
      this.index.set(uri, EMPTY_FILE_INDEX);
      this.options.onError?.(e, uri);
    }
  }

  /** Every uri indexed (to drop those under a deleted folder: watchers report only the folder). */
  indexedUris(): string[] {
    return this.index.uris();
  }

  removeFile(uri: string): void {
    this.index.remove(uri);
    this.cache.delete(uri);
  }

  analyze(uri: string, text: string): DocumentAnalysis {
    try {
      return this.analyzeUnsafe(uri, text);
    } catch (e) {
      // A bug must never take the editor down: report nothing for this document.
      this.options.onError?.(e, uri);
      return { findings: [], lenses: [] };
    }
  }

  private analyzeUnsafe(uri: string, text: string): DocumentAnalysis {
    const src = sourceOf(text);
    const ctx = new RuleContext(uri, src, this.index, this.options.locale ?? 'en');
    if (looksLikeTrustPolicy(text)) {
      if (text.length > MAX_FILE_CHARS) {
        this.index.set(uri, EMPTY_FILE_INDEX);
        return { findings: [], lenses: [], skipped: ctx.t('skipped.file', count(text.length), count(MAX_FILE_CHARS)) };
      }
      const { statements, unchecked } = checkTrustPolicy(ctx, text);
      this.index.set(uri, { ...EMPTY_FILE_INDEX, trustPolicies: statements });
      const result = this.finish(ctx, src);
      return unchecked > 0 ? { ...result, skipped: ctx.t('skipped.trustWildcards', count(unchecked)) } : result;
    }
    if (text.length > MAX_FILE_CHARS) {
      this.cache.delete(uri);
      this.index.set(uri, EMPTY_FILE_INDEX);
      // Say so only where a manifest could be: a huge non-Kubernetes YAML is none of our business.
      return {
        findings: [],
        lenses: [],
        ...(mayNeedAnalysis(text) ? { skipped: ctx.t('skipped.file', count(text.length), count(MAX_FILE_CHARS)) } : {}),
      };
    }
    const slices = this.cache.parseFile(uri, src.text);
    const objects = objectsOf(slices);
    // The open document's text wins over what is on disk: re-index it from this parse.
    this.index.set(uri, buildFileIndex(uri, src, objects));
    ctx.guard(fileGuards(slices, src));
    for (const obj of objects) {
      checkObjectKeys(ctx, obj);
      if (obj.podTemplate) checkPodTemplate(ctx, obj.podTemplate);
      if (obj.kind === 'ServiceAccount') serviceAccountLens(ctx, obj);
    }
    const result = this.finish(ctx, src);
    const oversized = slices.filter((s) => s.text.length > MAX_DOCUMENT_CHARS && mayNeedAnalysis(s.text)).length;
    return oversized > 0
      ? { ...result, skipped: ctx.t('skipped.documents', oversized, count(MAX_DOCUMENT_CHARS)) }
      : result;
  }

  private finish(ctx: RuleContext, src: SourceText): DocumentAnalysis {
    const settings = this.options.rules ?? {};
    const suppressions = parseSuppressions(src.text, src.lines);
    const findings: Finding[] = [];
    for (const raw of ctx.findings) {
      const setting = settings[raw.rule];
      if (setting === 'off') continue;
      const range = src.lines.rangeOf(raw.start, raw.end);
      if (suppressions.isSuppressed(raw.rule, range.start.line)) continue;
      const severity: Severity = setting ?? raw.severity ?? RULE_BY_ID.get(raw.rule)?.severity ?? 'warning';
      findings.push({
        rule: raw.rule,
        severity,
        range,
        message: raw.message,
        fixes: raw.fixes,
        ...(raw.noFix ? { noFix: raw.noFix } : {}),
      });
    }
    findings.sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
    );
    const lenses: Lens[] = ctx.lenses.map((raw) => {
      const l = raw.readyUnlessErrorIn ? notReady(ctx, src, raw, raw.readyUnlessErrorIn, findings) : raw;
      const pos = src.lines.positionAt(l.offset);
      const lens: Lens = { range: { start: pos, end: pos }, title: l.title, kind: l.kind };
      const refused = l.fix !== undefined ? ctx.refusal(l.fix) : undefined;
      if (l.tooltip !== undefined || refused) lens.tooltip = [l.tooltip, refused].filter(Boolean).join(' ');
      if (l.fix !== undefined && !refused) lens.fix = l.fix;
      if (l.goto !== undefined) lens.goto = l.goto;
      if (raw.runsAs !== undefined) lens.runsAs = { ...raw.runsAs };
      return lens;
    });
    return { findings, lenses };
  }
}

/**
 * A "ready" lens over an object with error-severity findings (after settings and suppressions)
 * names the first of them instead, short, with every error in its tooltip and a click leading to
 * the first one.
 */
function notReady(
  ctx: RuleContext,
  src: SourceText,
  lens: RawLens,
  span: readonly [number, number],
  findings: readonly Finding[],
): RawLens {
  const { start, end } = src.lines.rangeOf(span[0], span[1]);
  const inside = (p: { line: number; character: number }) =>
    (p.line > start.line || (p.line === start.line && p.character >= start.character)) &&
    (p.line < end.line || (p.line === end.line && p.character <= end.character));
  const errors = findings.filter((f) => f.severity === 'error' && inside(f.range.start));
  if (errors.length === 0) return lens;
  const first = errors[0]!;
  return {
    offset: lens.offset,
    kind: lens.kind,
    title:
      errors.length > 1
        ? ctx.t('lens.notReadyMore', first.rule, errors.length - 1)
        : ctx.t('lens.notReady', first.rule),
    tooltip: errors.map((f) => `${f.rule} (${ctx.t('lens.line', f.range.start.line + 1)}): ${f.message}`).join('\n'),
    goto: { uri: ctx.uri, position: first.range.start },
  };
}
