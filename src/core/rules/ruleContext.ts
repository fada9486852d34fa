/** What every rule gets: the source, the index, the locale, and a place to put findings. */
import type { Fix, FixInput, Location, Severity, TextEdit } from '../findings';
import { isGuid } from '../guid';
import { message } from '../messages';
import type { Locale, MessageId } from '../messages';
import { toTextEdit } from '../textEdits';
import type { OffsetEdit, SourceText } from '../textEdits';
import type { EditGuard } from '../yamlModel';
import type { WorkspaceIndex } from '../workspaceIndex';

export interface RawFinding {
  readonly rule: string;
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly fixes: readonly Fix[];
  /** Overrides the rule's default severity (wi/proxy-sidecar-invalid has an error and a warning form). */
  readonly severity?: Severity;
  /** Why the finding's fixes were withheld (also appended to the message). */
  readonly noFix?: string;
}

/** A ServiceAccount by namespace and name. */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

export interface RawLens {
  readonly offset: number;
  readonly title: string;
  readonly tooltip?: string;
  readonly fix?: Fix;
  /** Without a fix, where clicking the lens goes (the ServiceAccount a ready pod runs as). */
  readonly goto?: Location;
  readonly kind: 'serviceAccount' | 'podTemplate';
  /** A pod template's own namespace and ServiceAccount, whether or not the workspace defines it. */
  readonly runsAs?: ServiceAccountRef;
  /** A "ready" lens: replaced by the first error-severity finding within these offsets, if any. */
  readonly readyUnlessErrorIn?: readonly [number, number];
}

/** A client ID to compute an input fix's edits with, only to see where they land. */
const PROBE_CLIENT_ID = '00000000-0000-0000-0000-000000000000';

export class RuleContext {
  readonly findings: RawFinding[] = [];
  readonly lenses: RawLens[] = [];
  private readonly refusals = new Map<Fix, string | undefined>();
  /** Spans of this document no fix may edit (absolute offsets; see EditGuard). */
  private guards: readonly EditGuard[] = [];

  constructor(
    readonly uri: string,
    readonly src: SourceText,
    readonly index: WorkspaceIndex,
    readonly locale: Locale,
  ) {}

  /** Sets the guarded spans, before any rule runs. */
  guard(guards: readonly EditGuard[]): void {
    this.guards = guards;
    this.refusals.clear();
  }

  /**
   * Why `fix` must not be offered (a localized sentence), or undefined when it may: one of its
   * edits to this document lands in a guarded span.
   */
  refusal(fix: Fix): string | undefined {
    if (this.guards.length === 0) return undefined;
    if (this.refusals.has(fix)) return this.refusals.get(fix);
    let reason: string | undefined;
    if (fix.uri === undefined || fix.uri === this.uri) {
      const edits = fix.input ? fix.input.complete(PROBE_CLIENT_ID) : fix.edits;
      for (const edit of edits) {
        if (edit.uri !== undefined && edit.uri !== this.uri) continue;
        const start = this.src.lines.offsetAt(edit.range.start);
        const end = this.src.lines.offsetAt(edit.range.end);
        const hit = this.guards.find((g) => hits(g, start, end));
        if (hit) {
          reason = hit.kind === 'anchor' ? this.t('noFix.anchor', hit.name) : this.t('noFix.tag', hit.name);
          break;
        }
      }
    }
    this.refusals.set(fix, reason);
    return reason;
  }

  t(id: MessageId, ...args: Array<string | number>): string {
    return message(this.locale, id, ...args);
  }

  /** Records a finding; fixes that would edit a guarded span are dropped, and when none is left the message says why. */
  report(
    rule: string,
    start: number,
    end: number,
    msg: string,
    fixes: ReadonlyArray<Fix | undefined> = [],
    severity?: Severity,
  ): void {
    const offered = fixes.filter((f): f is Fix => f !== undefined);
    const kept = offered.filter((f) => this.refusal(f) === undefined);
    const noFix = kept.length === 0 && offered.length > 0 ? this.refusal(offered[0]) : undefined;
    this.findings.push({
      rule,
      start,
      end,
      message: noFix ? `${msg} ${noFix}` : msg,
      fixes: kept,
      severity,
      ...(noFix ? { noFix } : {}),
    });
  }

  /** A fix from offset edits in this document; undefined when any edit could not be computed. */
  fix(title: string, edits: ReadonlyArray<OffsetEdit | undefined>, isPreferred = false): Fix | undefined {
    if (edits.length === 0 || edits.some((e) => e === undefined)) return undefined;
    return { title, edits: (edits as OffsetEdit[]).map((e) => toTextEdit(this.src, e)), isPreferred };
  }

  /** A fix that first asks for a client ID (validated as a GUID), then computes its edits. */
  clientIdFix(title: string, complete: (clientId: string) => TextEdit[], uri?: string): Fix {
    const input: FixInput = {
      kind: 'clientId',
      prompt: this.t('input.clientId'),
      validate: (value: string) => (isGuid(value.trim()) ? undefined : this.t('input.notGuid')),
      complete: (value: string) => complete(value.trim()),
    };
    return uri !== undefined && uri !== this.uri ? { title, edits: [], input, uri } : { title, edits: [], input };
  }
}

/**
 * Whether the edit [start, end) touches the guarded span: a replacement that overlaps it, or an
 * insertion inside it (at a collection's edges too, where it would add an entry to it).
 */
function hits(g: EditGuard, start: number, end: number): boolean {
  if (end > start) return start < g.end && end > g.start;
  return g.collection ? start >= g.start && start <= g.end : start > g.start && start < g.end;
}
