import { randomUUID } from 'node:crypto';
import { existsSync, linkSync, readFileSync, unlinkSync } from 'node:fs';
import { request } from 'node:https';
import { dirname, join } from 'node:path';
import { writeAtomic } from './store';

/**
 * One sandbox per state file. Two processes serving one file (the extension and `kwi sandbox`)
 * would each keep the state in memory and overwrite the other's writes, so the first one writes
 * an owner lock beside the file and the others refuse to start (or, the extension, attach).
 * A lock is stale when its process is gone or its origin no longer answers as that sandbox.
 */
export interface OwnerLock {
  pid: number;
  origin: string;
  port: number;
  /** Random per start: tells this sandbox from another process that took the port since. */
  instanceId: string;
  stateFile: string;
  startedAt: string;
}

/** A live sandbox already owns the state file. */
export class SandboxOwnedError extends Error {
  constructor(
    readonly owner: OwnerLock,
    readonly lockFile: string,
  ) {
    super(
      `${owner.stateFile} is in use by the sandbox at ${owner.origin} (process ${owner.pid}); use that one, or stop it first (a stale ${lockFile} can be deleted)`,
    );
    this.name = 'SandboxOwnedError';
  }

  static is(e: unknown): e is SandboxOwnedError {
    return e instanceof SandboxOwnedError;
  }
}

/** Path the control API answers without waiting for start-up, so a probe works during it. */
export const OWNER_PROBE_PATH = '/_sandbox/owner';

export function lockFileFor(stateFile: string): string {
  return `${stateFile}.lock`;
}

export function newInstanceId(): string {
  return randomUUID();
}

/** The lock's content, or undefined when there is none (or it is unreadable: treated as stale). */
export function readLock(lockFile: string): { lock: OwnerLock; raw: string } | undefined {
  let raw: string;
  try {
    raw = readFileSync(lockFile, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const lock = JSON.parse(raw) as OwnerLock;
    if (typeof lock.pid !== 'number' || typeof lock.origin !== 'string' || typeof lock.instanceId !== 'string') {
      return { lock: staleMarker(lockFile), raw };
    }
    return { lock, raw };
  } catch {
    return { lock: staleMarker(lockFile), raw };
  }
}

function staleMarker(lockFile: string): OwnerLock {
  return { pid: 0, origin: '', port: 0, instanceId: '', stateFile: lockFile, startedAt: '' };
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the lock's owner is alive: its process runs and its origin answers with its instance ID. */
export async function isLive(lock: OwnerLock, caPem: string | undefined, timeoutMs = 3000): Promise<boolean> {
  if (!processAlive(lock.pid) || !lock.origin) return false;
  return new Promise((resolve) => {
    const req = request(
      `${lock.origin}${OWNER_PROBE_PATH}`,
      { method: 'GET', ca: caPem, rejectUnauthorized: caPem !== undefined, timeout: timeoutMs },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => {
          try {
            resolve((JSON.parse(text) as { instanceId?: unknown }).instanceId === lock.instanceId);
          } catch {
            resolve(false);
          }
        });
      },
    );
    // A listener that does not answer in time is treated as the owner, busy: never take a lock
    // from a sandbox that may still be writing.
    req.on('timeout', () => {
      req.destroy();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

function caOf(stateFile: string): string | undefined {
  const file = join(dirname(stateFile), 'ca.pem');
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** The live owner of the state file, if any. */
export async function liveOwner(stateFile: string): Promise<OwnerLock | undefined> {
  const found = readLock(lockFileFor(stateFile));
  if (!found) return undefined;
  return (await isLive(found.lock, caOf(stateFile))) ? found.lock : undefined;
}

/**
 * Takes the lock for this process, atomically: the content is written to a temp file and linked
 * into place, which fails if a lock exists. A stale lock is removed (only if unchanged since it
 * was read) and the attempt repeated; a live one throws SandboxOwnedError.
 */
export async function acquireLock(stateFile: string, origin: string, instanceId: string): Promise<OwnerLock> {
  const lockFile = lockFileFor(stateFile);
  const lock: OwnerLock = {
    pid: process.pid,
    origin,
    port: Number(new URL(origin).port),
    instanceId,
    stateFile,
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    const tmp = `${lockFile}.${process.pid}.${instanceId}.tmp`;
    writeAtomic(tmp, JSON.stringify(lock));
    try {
      linkSync(tmp, lockFile);
      return lock;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      try {
        unlinkSync(tmp);
      } catch {
        /* already gone */
      }
    }
    const existing = readLock(lockFile);
    if (!existing) continue; // released meanwhile
    if (await isLive(existing.lock, caOf(stateFile))) throw new SandboxOwnedError(existing.lock, lockFile);
    const now = readLock(lockFile);
    if (now?.raw === existing.raw) {
      try {
        unlinkSync(lockFile);
      } catch {
        /* another process took it over first */
      }
    }
  }
  const owner = readLock(lockFile);
  throw owner ? new SandboxOwnedError(owner.lock, lockFile) : new Error(`could not take ${lockFile}`);
}

/** Removes the lock if it is still ours (a stale-lock takeover may have replaced it). */
export function releaseLock(stateFile: string, instanceId: string): void {
  const lockFile = lockFileFor(stateFile);
  if (readLock(lockFile)?.lock.instanceId !== instanceId) return;
  try {
    unlinkSync(lockFile);
  } catch {
    /* already gone */
  }
}
