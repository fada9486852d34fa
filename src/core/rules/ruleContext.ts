/** What every rule gets: the source, the index, the locale, and a place to put findings. */
import type { Fix, FixInput, Location, Severity, TextEdit } from '../findings';
import { isGuid } from '../guid';
import { message } from '../messages';
import type { Locale, MessageId } from '../messages';
import { toTextEdit } from '../textEdits';
import type { OffsetEdit, SourceText } from '../textEdits';
import type { WorkspaceIndex } from '../workspaceIndex';

export interface RawFinding {
  readonly rule: string;
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly fixes: readonly Fix[];
  /** Overrides the rule's default severity (wi/proxy-sidecar-invalid has an error and a warning form). */
  readonly severity?: Severity;
}

export interface RawLens {
  readonly offset: number;
  readonly title: string;
  readonly tooltip?: string;
  readonly fix?: Fix;
  /** Without a fix, where clicking the lens goes (the ServiceAccount a ready pod runs as). */
  readonly goto?: Location;
  readonly kind: 'serviceAccount' | 'podTemplate';
  /** A "ready" lens: replaced by the first error-severity finding within these offsets, if any. */
  readonly readyUnlessErrorIn?: readonly [number, number];
}

export class RuleContext {
  readonly findings: RawFinding[] = [];
  readonly lenses: RawLens[] = [];

  constructor(
    readonly uri: string,
    readonly src: SourceText,
    readonly index: WorkspaceIndex,
    readonly locale: Locale,
  ) {}

  t(id: MessageId, ...args: Array<string | number>): string {
    return message(this.locale, id, ...args);
  }

  report(rule: string, start: number, end: number, msg: string, fixes: ReadonlyArray<Fix | undefined> = [], severity?: Severity): void {
    this.findings.push({ rule, start, end, message: msg, fixes: fixes.filter((f): f is Fix => f !== undefined), severity });
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
