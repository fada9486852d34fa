/**
 * All-or-nothing writes for `kwi lint --fix`. Each new text goes to a temporary file in the same
 * folder (a rename is atomic only within one file system), written whole, given the original's
 * mode (and owner, when allowed) and fsynced; only when every file of the run is staged are the
 * temporary files renamed over the originals (rename(2) replaces the target atomically, POSIX
 * "rename"). On any failure every temporary file is removed and no original is touched.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** A write that failed: `file` is the file being fixed (not the temporary name). */
export class FixWriteError extends Error {
  constructor(
    readonly file: string,
    readonly code: string,
  ) {
    super(`cannot write ${file}: ${code}`);
  }

  static is(e: unknown): e is FixWriteError {
    return e instanceof FixWriteError;
  }
}

function codeOf(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ?? (err instanceof Error ? err.message : String(e));
}

export class FixTransaction {
  private readonly staged: Array<{ file: string; temp: string }> = [];

  /** Writes `text` to a temporary sibling of `file`; throws FixWriteError (and cleans up) on failure. */
  async stage(file: string, text: string): Promise<void> {
    const dir = path.dirname(file);
    const temp = path.join(dir, `.${path.basename(file)}.kwi-${randomBytes(6).toString('hex')}.tmp`);
    let created = false;
    try {
      const original = await fs.stat(file);
      // 'wx': never follow or reuse something already at that name.
      const handle = await fs.open(temp, 'wx', 0o600);
      created = true;
      try {
        await handle.writeFile(text, 'utf8');
        // chmod after writing: the mode given to open() is filtered by the umask.
        await handle.chmod(original.mode & 0o7777);
        if (
          typeof process.getuid === 'function' &&
          (original.uid !== process.getuid() || original.gid !== process.getgid?.())
        ) {
          // Keeping the owner needs privileges; without them the file becomes ours, as any editor's save would.
          await handle.chown(original.uid, original.gid).catch(() => undefined);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      this.staged.push({ file, temp });
    } catch (e) {
      if (created) await fs.unlink(temp).catch(() => undefined);
      throw new FixWriteError(file, codeOf(e));
    }
  }

  get size(): number {
    return this.staged.length;
  }

  /** Renames every staged file over its original, then fsyncs the folders. */
  async commit(): Promise<void> {
    const dirs = new Set<string>();
    while (this.staged.length > 0) {
      const { file, temp } = this.staged[0];
      try {
        await fs.rename(temp, file);
      } catch (e) {
        await this.abort();
        throw new FixWriteError(file, codeOf(e));
      }
      this.staged.shift();
      dirs.add(path.dirname(file));
    }
    for (const dir of dirs) {
      // The rename itself is durable once the folder is synced; not every platform can open one.
      const handle = await fs.open(dir, 'r').catch(() => undefined);
      if (handle) {
        await handle
          .sync()
          .catch(() => undefined)
          .finally(() => handle.close());
      }
    }
  }

  /** Removes every staged temporary file; the originals were never touched. */
  async abort(): Promise<void> {
    for (const { temp } of this.staged.splice(0)) await fs.unlink(temp).catch(() => undefined);
  }
}
