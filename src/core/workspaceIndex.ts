/**
 * The cross-file index: ServiceAccounts by namespace/name, AAD Pod Identity resources, and IAM
 * trust policies, per uri. A missing metadata.namespace means `default` on both sides (the API
 * server's defaulting). `version` moves only when what other files can see changes.
 */
import type { Position, TextEdit } from './findings';
import type { K8sObject } from './k8sModel';
import { CLIENT_ID_ANNOTATION } from './rules/keys';
import { ensurePath, quoted, toTextEdit } from './textEdits';
import type { SourceText } from './textEdits';
import { getString, scalarText, getNode } from './yamlModel';

export const ROLE_ARN_KEY = 'eks.amazonaws.com/role-arn';

export interface ServiceAccountEntry {
  readonly uri: string;
  readonly namespace: string;
  readonly name: string;
  /** The client-id annotation as written (may be invalid); undefined when absent. */
  readonly clientId: string | undefined;
  readonly roleArn: string | undefined;
  /** Where its `metadata.name` value is, to navigate to it; undefined when the text is not at hand. */
  readonly position: Position | undefined;
  /** Where the object's map starts (where editors put a lens for the whole object); undefined likewise. */
  readonly objectPosition: Position | undefined;
  /** Edits (to `uri`) that set the client-id annotation. */
  readonly annotate: ((clientId: string) => TextEdit[]) | undefined;
}

export interface AzureIdentityEntry {
  readonly uri: string;
  readonly namespace: string;
  readonly name: string;
  readonly clientId: string | undefined;
}

export interface AzureIdentityBindingEntry {
  readonly uri: string;
  readonly namespace: string;
  readonly name: string;
  readonly azureIdentity: string | undefined;
  readonly selector: string | undefined;
}

export interface FileIndex {
  readonly serviceAccounts: readonly ServiceAccountEntry[];
  readonly identities: readonly AzureIdentityEntry[];
  readonly bindings: readonly AzureIdentityBindingEntry[];
  readonly trustPolicies: number;
}

/** "Where is ServiceAccount X": every field given must match. */
export interface ServiceAccountQuery {
  readonly namespace?: string;
  readonly name?: string;
  /** Matches the client-id annotation, ignoring letter case and surrounding blanks (GUIDs are case-insensitive). */
  readonly clientId?: string;
  /** Only the ServiceAccounts defined in this file. */
  readonly uri?: string;
}

export const EMPTY_FILE_INDEX: FileIndex = { serviceAccounts: [], identities: [], bindings: [], trustPolicies: 0 };

export function buildFileIndex(
  uri: string,
  src: SourceText | undefined,
  objects: readonly K8sObject[],
  trustPolicies = 0,
): FileIndex {
  const serviceAccounts: ServiceAccountEntry[] = [];
  const identities: AzureIdentityEntry[] = [];
  const bindings: AzureIdentityBindingEntry[] = [];
  for (const obj of objects) {
    if (obj.name === undefined) continue;
    if (obj.kind === 'ServiceAccount') {
      const annotations = getNode(obj.metadata, 'annotations');
      const node = obj.node;
      const base = obj.base;
      const nameNode = getNode(obj.metadata, 'name');
      serviceAccounts.push({
        uri,
        namespace: obj.namespace,
        name: obj.name,
        position: src && nameNode ? src.lines.positionAt(base + nameNode.start) : undefined,
        objectPosition: src ? src.lines.positionAt(base + node.start) : undefined,
        clientId: scalarText(getNode(annotations, CLIENT_ID_ANNOTATION)),
        roleArn: scalarText(getNode(annotations, ROLE_ARN_KEY)),
        annotate: src
          ? (clientId: string) => {
              const edit = ensurePath(
                src,
                base,
                node,
                ['metadata', 'annotations'],
                [CLIENT_ID_ANNOTATION, quoted(clientId)],
              );
              return edit ? [toTextEdit(src, edit)] : [];
            }
          : undefined,
      });
    } else if (obj.kind === 'AzureIdentity') {
      identities.push({
        uri,
        namespace: obj.namespace,
        name: obj.name,
        clientId: getString(obj.node, 'spec', 'clientID'),
      });
    } else if (obj.kind === 'AzureIdentityBinding') {
      bindings.push({
        uri,
        namespace: obj.namespace,
        name: obj.name,
        azureIdentity: getString(obj.node, 'spec', 'azureIdentity'),
        selector: scalarText(getNode(obj.node, 'spec', 'selector')),
      });
    }
  }
  return { serviceAccounts, identities, bindings, trustPolicies };
}

function signature(entry: FileIndex): string {
  return JSON.stringify([
    entry.serviceAccounts.map((s) => [s.namespace, s.name, s.clientId, s.roleArn]),
    entry.identities.map((i) => [i.namespace, i.name, i.clientId]),
    entry.bindings.map((b) => [b.namespace, b.name, b.azureIdentity, b.selector]),
  ]);
}

export class WorkspaceIndex {
  private readonly files = new Map<string, { entry: FileIndex; signature: string }>();
  private byKey: Map<string, ServiceAccountEntry[]> | undefined;
  private byName: Map<string, ServiceAccountEntry[]> | undefined;
  private byNamespace: Map<string, ServiceAccountEntry[]> | undefined;
  private _version = 0;

  get version(): number {
    return this._version;
  }

  set(uri: string, entry: FileIndex): void {
    const sig = signature(entry);
    const previous = this.files.get(uri);
    this.files.set(uri, { entry, signature: sig });
    if (previous?.signature === sig) {
      // Same ServiceAccounts in the same order (a keystroke elsewhere in the file): swap the entries
      // in the lookup tables, whose edit closures must see the newest text, without a rebuild.
      previous.entry.serviceAccounts.forEach((old, i) => {
        const next = entry.serviceAccounts[i];
        replaceIn(this.byKey?.get(`${old.namespace}/${old.name}`), old, next);
        replaceIn(this.byName?.get(old.name), old, next);
        replaceIn(this.byNamespace?.get(old.namespace), old, next);
      });
      return;
    }
    this.byKey = undefined;
    this.byName = undefined;
    this.byNamespace = undefined;
    // Other files only need re-analysis when what they can observe changed.
    if (!(previous === undefined && sig === EMPTY_SIGNATURE)) this._version++;
  }

  /** Every uri the index holds an entry for. */
  uris(): string[] {
    return [...this.files.keys()];
  }

  remove(uri: string): void {
    const previous = this.files.get(uri);
    if (!previous) return;
    this.files.delete(uri);
    this.byKey = undefined;
    this.byName = undefined;
    this.byNamespace = undefined;
    if (previous.signature !== EMPTY_SIGNATURE) this._version++;
  }

  private build(): void {
    const byKey = new Map<string, ServiceAccountEntry[]>();
    const byName = new Map<string, ServiceAccountEntry[]>();
    const byNamespace = new Map<string, ServiceAccountEntry[]>();
    const push = (map: Map<string, ServiceAccountEntry[]>, key: string, sa: ServiceAccountEntry): void => {
      const list = map.get(key);
      if (list) list.push(sa);
      else map.set(key, [sa]);
    };
    for (const { entry } of this.files.values()) {
      for (const sa of entry.serviceAccounts) {
        push(byKey, `${sa.namespace}/${sa.name}`, sa);
        push(byName, sa.name, sa);
        push(byNamespace, sa.namespace, sa);
      }
    }
    this.byKey = byKey;
    this.byName = byName;
    this.byNamespace = byNamespace;
  }

  /** The ServiceAccount `namespace/name`, preferring the one defined in `preferUri`. */
  serviceAccount(namespace: string, name: string, preferUri?: string): ServiceAccountEntry | undefined {
    if (!this.byKey) this.build();
    const list = this.byKey?.get(`${namespace}/${name}`);
    if (!list) return undefined;
    return list.find((s) => s.uri === preferUri) ?? list[0];
  }

  /** Every indexed ServiceAccount matching `query`, by file then by line. */
  findServiceAccounts(query: ServiceAccountQuery): ServiceAccountEntry[] {
    const wanted = query.clientId?.trim().toLowerCase();
    let candidates: readonly ServiceAccountEntry[];
    if (query.uri !== undefined) candidates = this.files.get(query.uri)?.entry.serviceAccounts ?? [];
    else if (query.namespace !== undefined && query.name !== undefined) {
      if (!this.byKey) this.build();
      candidates = this.byKey?.get(`${query.namespace}/${query.name}`) ?? [];
    } else candidates = this.allServiceAccounts();
    const hits = candidates.filter(
      (sa) =>
        (query.namespace === undefined || sa.namespace === query.namespace) &&
        (query.name === undefined || sa.name === query.name) &&
        (query.uri === undefined || sa.uri === query.uri) &&
        (wanted === undefined || sa.clientId?.trim().toLowerCase() === wanted),
    );
    return hits.sort((a, b) => a.uri.localeCompare(b.uri) || (a.position?.line ?? 0) - (b.position?.line ?? 0));
  }

  /** Every indexed ServiceAccount, file by file. */
  allServiceAccounts(): ServiceAccountEntry[] {
    const out: ServiceAccountEntry[] = [];
    for (const { entry } of this.files.values()) out.push(...entry.serviceAccounts);
    return out;
  }

  serviceAccountsNamed(name: string): readonly ServiceAccountEntry[] {
    if (!this.byName) this.build();
    return this.byName?.get(name) ?? [];
  }

  /** The ServiceAccounts of one namespace, in file order. */
  serviceAccountsIn(namespace: string): readonly ServiceAccountEntry[] {
    if (!this.byNamespace) this.build();
    return this.byNamespace?.get(namespace) ?? [];
  }

  /** Every namespace that holds a ServiceAccount. */
  namespaces(): readonly string[] {
    if (!this.byNamespace) this.build();
    return [...(this.byNamespace?.keys() ?? [])];
  }

  /**
   * AAD Pod Identity: the AzureIdentity selected by a pod's `aadpodidbinding` label, through the
   * AzureIdentityBinding whose spec.selector equals it (Azure/aad-pod-identity README). Same
   * namespace first.
   */
  identityForSelector(selector: string, namespace: string): AzureIdentityEntry | undefined {
    const bindings: AzureIdentityBindingEntry[] = [];
    const identities: AzureIdentityEntry[] = [];
    for (const { entry } of this.files.values()) {
      for (const b of entry.bindings) if (b.selector === selector) bindings.push(b);
      identities.push(...entry.identities);
    }
    bindings.sort((a, b) => Number(b.namespace === namespace) - Number(a.namespace === namespace));
    for (const binding of bindings) {
      const candidates = identities.filter((i) => i.name === binding.azureIdentity);
      const identity = candidates.find((i) => i.namespace === binding.namespace) ?? candidates[0];
      if (identity) return identity;
    }
    return undefined;
  }
}

const EMPTY_SIGNATURE = signature(EMPTY_FILE_INDEX);

function replaceIn(list: ServiceAccountEntry[] | undefined, old: ServiceAccountEntry, next: ServiceAccountEntry): void {
  if (!list) return;
  const i = list.indexOf(old);
  if (i >= 0) list[i] = next;
}
