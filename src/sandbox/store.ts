import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ClusterRecord, IdentityRecord, SandboxState, VaultRecord } from './state';

/**
 * Holds the state in memory and persists it. Handlers mutate `state` and call `markDirty()`; the
 * server calls `flush()` once per request before answering, so a client never sees an answer
 * whose effect is not on disk. Writes are atomic (temp file + fsync + rename): a crash mid-write
 * leaves the previous file intact.
 */
export class Store {
  private dirty = false;
  private indexVersion = -1;
  private version = 0;
  private byClientId = new Map<string, IdentityRecord>();
  private byPrincipalId = new Map<string, IdentityRecord>();
  private clustersByGuid = new Map<string, ClusterRecord>();
  private vaultsByName = new Map<string, VaultRecord>();
  private knownPrincipals = new Set<string>();

  constructor(public state: SandboxState, private readonly file: string | undefined) {}

  /** Loads the state file, or undefined when it does not exist. Throws on a corrupt file. */
  static read(file: string): SandboxState | undefined {
    if (!existsSync(file)) return undefined;
    let parsed: SandboxState;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as SandboxState;
    } catch (e) {
      throw new Error(`${file} is not a valid sandbox state (${e instanceof Error ? e.message : String(e)}); start with --reset to replace it`);
    }
    if (parsed.schema !== 1) throw new Error(`${file}: unsupported sandbox state schema ${String(parsed.schema)}`);
    return parsed;
  }

  markDirty(): void {
    this.dirty = true;
    this.version++;
  }

  replace(state: SandboxState): void {
    this.state = state;
    this.markDirty();
  }

  flush(): void {
    if (!this.dirty || this.file === undefined) { this.dirty = false; return; }
    writeAtomic(this.file, JSON.stringify(this.state));
    this.dirty = false;
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

/** Write to a temp file beside the target, fsync it, then rename over the target (atomic on POSIX and NTFS). */
export function writeAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
