import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ClusterRecord, IdentityRecord, SandboxState, VaultRecord } from './state';
import { validatedState } from './stateValidation';

/** The maps of the state a change can name (each keyed like state.ts says). */
export type StateMap =
  'subscriptions' | 'resourceGroups' | 'identities' | 'clusters' | 'roleAssignments' | 'vaults' | 'operations';

/** One entry a handler changed (created, modified or deleted). */
export interface StateChange {
  map: StateMap;
  key: string;
}

/** How the store puts bytes on disk; tests inject one that fails like a full disk. */
export interface StateWriter {
  /** Replaces `file` with `text`, whole or not at all. */
  replace(file: string, text: string): void;
  /** Appends `text` to `file` and makes it durable before returning. */
  append(file: string, text: string): void;
}

/** The state could not be saved: the server answers writes 503 until a save succeeds. */
export class StateUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the sandbox cannot save its state (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
    this.name = 'StateUnavailableError';
  }

  static is(e: unknown): e is StateUnavailableError {
    return e instanceof StateUnavailableError;
  }
}

/** Journal size that triggers a compaction, at least (it also waits for the journal to outgrow the snapshot). */
const MIN_COMPACT_BYTES = 4 * 1024 * 1024;

/**
 * Holds the state in memory and persists it. Handlers mutate `state` and call `markDirty()`; the
 * server calls `flush()` once per request before answering, so a client never sees an answer
 * whose effect is not on disk.
 *
 * On disk: a snapshot (`state.json`, replaced atomically) plus an append-only journal
 * (`state.json.{n}.journal`, one JSON line per flush, fsynced before the answer). A change that
 * names the entries it touched (`markDirty({map, key})`) costs one line with those entries, so a
 * write's cost does not grow with the state; an unnamed change is journaled as the whole state.
 * When the journal outgrows the snapshot, a new snapshot is written (`compact()`), which then
 * points at the next journal; a reader applies the snapshot, then journals `n`, `n+1`, … in
 * order, ignoring a torn last line (a write that was never acknowledged).
 */
export class Store {
  private dirty = false;
  private fullDirty = false;
  private changes = new Map<string, StateChange>();
  private indexVersion = -1;
  private version = 0;
  private byClientId = new Map<string, IdentityRecord>();
  private byPrincipalId = new Map<string, IdentityRecord>();
  private clustersByGuid = new Map<string, ClusterRecord>();
  private vaultsByName = new Map<string, VaultRecord>();
  private knownPrincipals = new Set<string>();
  private failure: unknown;
  private generation = 0;
  private journalBytes = 0;
  private snapshotBytes = 0;
  private snapshotDue = true;
  private compacting = false;

  constructor(
    public state: SandboxState,
    private readonly file: string | undefined,
    private readonly writer: StateWriter = FILE_WRITER,
    /** Where save failures are reported (once per failure streak): never the state's content. */
    private readonly log: (line: string) => void = () => undefined,
  ) {
    // Past every journal on disk, so the first snapshot points at a journal no earlier run wrote.
    if (file) this.generation = Math.max(journalGenerationOf(state), ...journalsBeside(file));
  }

  /** Loads the state file and its journals, or undefined when there is no file. Throws on a corrupt or incomplete state. */
  static read(file: string): SandboxState | undefined {
    if (!existsSync(file)) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    } catch (e) {
      throw new Error(
        `${file} is not a valid sandbox state (${e instanceof Error ? e.message : String(e)}); start with --reset to replace it`,
      );
    }
    let state = validatedState(parsed, file);
    let last = journalGenerationOf(state);
    for (let n = last; existsSync(journalFile(file, n)); n++) {
      state = replayJournal(state, readFileSync(journalFile(file, n), 'utf8'));
      last = n;
    }
    // The next snapshot must come after every journal read here (Store's constructor starts from this).
    state.journal = last;
    return validatedState(state, file);
  }

  /** Whether the last save failed (reads are served from memory meanwhile; writes get 503). */
  get unavailable(): boolean {
    return this.failure !== undefined;
  }

  /** Records that the state changed: name the entry when you can (the journal then holds only it). */
  markDirty(change?: StateChange): void {
    this.dirty = true;
    this.version++;
    if (change) this.changes.set(`${change.map}\u0000${change.key}`, change);
    else this.fullDirty = true;
  }

  replace(state: SandboxState): void {
    this.state = state;
    this.markDirty();
  }

  /**
   * Makes every change so far durable. Throws StateUnavailableError when it cannot (the changes
   * stay in memory and are retried by the next flush).
   */
  flush(): void {
    if (!this.dirty || this.file === undefined) {
      this.dirty = false;
      this.fullDirty = false;
      this.changes.clear();
      return;
    }
    try {
      if (this.snapshotDue) {
        this.writeSnapshot(this.generation + 1);
        this.snapshotDue = false;
      } else {
        const line = this.fullDirty ? { full: this.state } : { set: this.entries() };
        const text = `${JSON.stringify(line)}\n`;
        this.writer.append(journalFile(this.file, this.generation), text);
        this.journalBytes += Buffer.byteLength(text);
      }
    } catch (e) {
      if (this.failure === undefined) {
        this.log(
          `kwi sandbox: cannot save the state to ${this.file}: ${e instanceof Error ? e.message : String(e)}; serving from memory, writes answer 503 until it can be saved`,
        );
      }
      this.failure = e;
      // After a failed append the journal may end in a torn line: the next save starts a new snapshot.
      this.snapshotDue = true;
      throw new StateUnavailableError(e);
    }
    if (this.failure !== undefined) this.log(`kwi sandbox: the state is saved again to ${this.file}`);
    this.failure = undefined;
    this.dirty = false;
    this.fullDirty = false;
    this.changes.clear();
    if (this.journalBytes > Math.max(MIN_COMPACT_BYTES, this.snapshotBytes) && !this.compacting) {
      // After the answer: the acknowledged changes are in the journal already.
      this.compacting = true;
      setImmediate(() => {
        this.compacting = false;
        this.compact();
      });
    }
  }

  /** Writes a snapshot and starts a new journal (after the journal outgrew the snapshot). */
  compact(): void {
    if (this.file === undefined || this.failure !== undefined) return;
    try {
      this.writeSnapshot(this.generation + 1);
    } catch (e) {
      // The journal still holds everything: keep appending to it and try again later.
      this.log(`kwi sandbox: cannot compact the state journal: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private writeSnapshot(next: number): void {
    const file = this.file!;
    this.state.journal = next;
    const text = JSON.stringify(this.state);
    this.writer.replace(file, text);
    this.generation = next;
    this.snapshotBytes = Buffer.byteLength(text);
    this.journalBytes = 0;
    // Journals before `next` are in the snapshot now.
    for (const n of journalsBeside(file)) if (n < next) rmQuiet(journalFile(file, n));
  }

  private entries(): [StateMap, string, unknown][] {
    return [...this.changes.values()].map((c) => [c.map, c.key, this.state[c.map][c.key] ?? null]);
  }

  identityByClientId(clientId: string): IdentityRecord | undefined {
    this.reindex();
    return this.byClientId.get(clientId.toLowerCase());
  }

  identityByPrincipalId(principalId: string): IdentityRecord | undefined {
    this.reindex();
    return this.byPrincipalId.get(principalId.toLowerCase());
  }

  clusterByGuid(guid: string): ClusterRecord | undefined {
    this.reindex();
    return this.clustersByGuid.get(guid.toLowerCase());
  }

  /** Vault names are globally unique in Azure (they are DNS names); the sandbox keeps that rule. */
  vaultByName(name: string): VaultRecord | undefined {
    this.reindex();
    return this.vaultsByName.get(name.toLowerCase());
  }

  /** Object IDs the sandbox directory knows: the developer, identities, kubelet identities. */
  isKnownPrincipal(objectId: string): boolean {
    this.reindex();
    return this.knownPrincipals.has(objectId.toLowerCase());
  }

  private reindex(): void {
    if (this.indexVersion === this.version) return;
    this.byClientId.clear();
    this.byPrincipalId.clear();
    this.clustersByGuid.clear();
    this.vaultsByName.clear();
    this.knownPrincipals.clear();
    this.knownPrincipals.add(this.state.developer.objectId.toLowerCase());
    for (const identity of Object.values(this.state.identities)) {
      this.byClientId.set(identity.clientId.toLowerCase(), identity);
      this.byPrincipalId.set(identity.principalId.toLowerCase(), identity);
      this.knownPrincipals.add(identity.principalId.toLowerCase());
    }
    for (const cluster of Object.values(this.state.clusters)) {
      this.clustersByGuid.set(cluster.guid.toLowerCase(), cluster);
      this.knownPrincipals.add(cluster.kubeletIdentity.objectId.toLowerCase());
    }
    for (const vault of Object.values(this.state.vaults)) this.vaultsByName.set(vault.name.toLowerCase(), vault);
    this.indexVersion = this.version;
  }
}

export function journalFile(stateFile: string, generation: number): string {
  return `${stateFile}.${generation}.journal`;
}

function journalsBeside(stateFile: string): number[] {
  const re = new RegExp(`^${escapeRegExp(basename(stateFile))}\\.(\\d+)\\.journal$`);
  return safeList(dirname(stateFile))
    .map((name) => re.exec(name))
    .filter((m) => m !== null)
    .map((m) => Number(m[1]));
}

function journalGenerationOf(state: SandboxState): number {
  return typeof state.journal === 'number' && Number.isInteger(state.journal) && state.journal >= 0 ? state.journal : 0;
}

/** Applies one journal's lines; a line that does not parse ends it (a torn, never acknowledged append). */
function replayJournal(state: SandboxState, text: string): SandboxState {
  let s = state;
  for (const line of text.split('\n')) {
    if (!line) continue;
    let record: { full?: SandboxState; set?: [StateMap, string, unknown][] };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      break;
    }
    if (record.full) s = { ...record.full, journal: s.journal };
    for (const [map, key, value] of record.set ?? []) {
      const target = s[map] as Record<string, unknown> | undefined;
      if (!target) continue;
      if (value === null) delete target[key];
      else target[key] = value;
    }
  }
  return s;
}

/**
 * Write to a temp file beside the target, check that every byte was written, fsync it, then
 * rename over the target (atomic on POSIX and NTFS). A failed write removes the temp file and
 * leaves the target as it was: a partial file is never renamed into place.
 */
export function writeAtomic(file: string, text: string, mode = 0o600): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const data = Buffer.from(text, 'utf8');
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w', mode);
    writeFully(fd, data);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        /* already failing */
      }
    }
    rmQuiet(tmp);
    throw e;
  }
}

/** Appends and fsyncs (the journal's durability before an answer). */
export function appendDurably(file: string, text: string): void {
  const fd = openSync(file, 'a', 0o600);
  try {
    writeFully(fd, Buffer.from(text, 'utf8'));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeFully(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) {
    const n = writeSync(fd, data, offset, data.length - offset);
    if (n <= 0) throw new Error(`short write: ${offset} of ${data.length} bytes`);
    offset += n;
  }
}

export const FILE_WRITER: StateWriter = { replace: (f, t) => writeAtomic(f, t), append: appendDurably };

/**
 * Temp files a crashed sandbox left beside the state (`state.json.{pid}.tmp`: full copies,
 * secrets included). Called once the owner lock is held, so no live writer owns them.
 */
export function removeStaleTempFiles(stateFile: string): string[] {
  const dir = dirname(stateFile);
  const prefix = `${basename(stateFile)}.`;
  const removed: string[] = [];
  for (const name of safeList(dir)) {
    if (name.startsWith(prefix) && name.endsWith('.tmp') && !name.startsWith(`${prefix}lock.`)) {
      rmQuiet(join(dir, name));
      removed.push(name);
    }
  }
  return removed;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function rmQuiet(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* gone already */
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
