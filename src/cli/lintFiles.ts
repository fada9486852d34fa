/**
 * Finding and reading the files `kwi lint` checks, one at a time and with bounded memory: each
 * path is stat'ed before it is opened (a FIFO or a device is never opened, so never blocks), its
 * size is checked before it is read, and a file that fails is reported without stopping the run.
 */
import { constants, promises as fs } from 'node:fs';
import type { Stats } from 'node:fs';
import * as path from 'node:path';
import { MAX_FILE_CHARS } from '../core/yamlDocuments';

const SKIP_DIRS = new Set(['node_modules', '.git']);
const LINTED = /\.(ya?ml|json)$/i;

/**
 * A UTF-8 byte sequence yields at most one UTF-16 code unit per byte and never more than three
 * bytes per code unit, so a file over this many bytes always holds more characters than the
 * analyzer reads: it is skipped on its size alone.
 */
export const MAX_READ_BYTES = MAX_FILE_CHARS * 3;

export type ReadOutcome =
  | { readonly kind: 'text'; readonly text: string; readonly utf8: boolean }
  | { readonly kind: 'special'; readonly what: string }
  | { readonly kind: 'oversized'; readonly bytes: number }
  | { readonly kind: 'error'; readonly code: string };

export type CollectProblem =
  | { readonly kind: 'special'; readonly path: string; readonly what: string }
  | { readonly kind: 'error'; readonly path: string; readonly code: string };

function codeOf(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ?? (err instanceof Error ? err.message : String(e));
}

export function describeSpecial(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/**
 * The files under `roots` in a stable order: explicit files (any name) and, inside folders,
 * regular `.yaml`/`.yml`/`.json` files (symbolic links inside folders are not followed, as before).
 */
export async function collectFiles(roots: readonly string[], problems: CollectProblem[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (e) {
      problems.push({ kind: 'error', path: dir, code: codeOf(e) });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) await walk(full);
      } else if (entry.isFile() && LINTED.test(entry.name)) {
        out.push(full);
      }
    }
  };
  for (const root of roots) {
    let st: Stats;
    try {
      st = await fs.stat(root);
    } catch (e) {
      problems.push({ kind: 'error', path: root, code: codeOf(e) });
      continue;
    }
    if (st.isDirectory()) await walk(root);
    else if (st.isFile()) out.push(root);
    else problems.push({ kind: 'special', path: root, what: describeSpecial(st) });
  }
  return out;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Reads one file: stat first, open without blocking, check again on the open handle, then read at most the limit. */
export async function readSource(file: string, maxBytes = MAX_READ_BYTES): Promise<ReadOutcome> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) return { kind: 'special', what: describeSpecial(st) };
    if (st.size > maxBytes) return { kind: 'oversized', bytes: st.size };
    // O_NONBLOCK: should the path have become a FIFO since the stat, open() still returns at once.
    const handle = await fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const st2 = await handle.stat();
      if (!st2.isFile()) return { kind: 'special', what: describeSpecial(st2) };
      if (st2.size > maxBytes) return { kind: 'oversized', bytes: st2.size };
      // One byte more than the limit tells a file that grew since the stat.
      const buf = Buffer.allocUnsafe(Math.min(st2.size, maxBytes) + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buf, length, buf.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length === buf.length) {
          if (length > maxBytes) return { kind: 'oversized', bytes: length };
          break;
        }
      }
      const bytes = buf.subarray(0, length);
      try {
        return { kind: 'text', text: strictUtf8.decode(bytes), utf8: true };
      } catch {
        // Still analysed (U+FFFD for the bad bytes) so its findings are reported; never fixed.
        return { kind: 'text', text: lenientUtf8.decode(bytes), utf8: false };
      }
    } finally {
      await handle.close();
    }
  } catch (e) {
    return { kind: 'error', code: codeOf(e) };
  }
}
