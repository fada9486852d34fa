/**
 * The plain-data contract between the analysis core and every consumer (VS Code adapters, CLI).
 * Positions are 0-based lines and UTF-16 character offsets, as in LSP and VS Code.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** A minimal replacement of one span of the document's text. */
export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
  /**
   * The document this edit applies to when a fix spans files (migrating a pod also annotates its
   * ServiceAccount defined elsewhere). Absent: the fix's document.
   */
  readonly uri?: string;
}

/**
 * A mechanical fix. When `input` is set, the consumer must ask the user for a value first
 * (e.g. a client ID) and call `complete(value)` to obtain the edits.
 */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  readonly isPreferred?: boolean;
  readonly input?: FixInput;
  /**
   * The document the edits apply to, when it is not the analyzed one (e.g. annotating a
   * ServiceAccount defined in another file). Absent: the analyzed document.
   */
  readonly uri?: string;
}

export interface FixInput {
  readonly kind: 'clientId';
  readonly prompt: string;
  /** Returns a localized error message, or undefined when the value is acceptable. */
  validate(value: string): string | undefined;
  complete(value: string): readonly TextEdit[];
}

/** A place in a document (another file's, for navigation). */
export interface Location {
  readonly uri: string;
  readonly position: Position;
}

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly range: Range;
  readonly message: string;
  readonly fixes: readonly Fix[];
  /**
   * Set when the finding has a mechanical fix that is withheld because it would edit through a
   * YAML anchor reused by an alias, or a tagged value: a localized sentence saying why (the
   * message ends with it too).
   */
  readonly noFix?: string;
}
