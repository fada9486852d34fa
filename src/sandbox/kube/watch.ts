import { StreamBody, type SandboxRequest, type SandboxResponse } from '../http';
import type { KubeObject } from './kubeState';
import { header } from './request';
import { toTable, wantsTable } from './tables';

type Obj = Record<string, unknown>;

/**
 * `?watch=true` (kube-apiserver staging/src/k8s.io/apiserver/pkg/endpoints/handlers/watch.go):
 * a chunked stream of `{"type":…,"object":…}` lines that stays open until the client closes it
 * or `timeoutSeconds` passes. The sandbox has no etcd history: it compares snapshots of the
 * selected objects (by key and resourceVersion) every POLL_MS and sends ADDED, MODIFIED and
 * DELETED for what changed, so writes by clients and by the controllers both show.
 *
 * - `resourceVersion` absent or "0": every current object first, as ADDED (a "get state and
 *   start at most recent" watch); otherwise only objects newer than it.
 * - `allowWatchBookmarks=true`: a BOOKMARK now and then carrying the latest resourceVersion;
 *   with `sendInitialEvents=true` the bookmark after the initial events carries the
 *   `k8s.io/initial-events-end` annotation (KEP-3157).
 * - `Accept: application/json;as=Table;…` (kubectl get -w): each event's object is a Table of
 *   one row, as the server-side printer returns it.
 */
const POLL_MS = 100;
const BOOKMARK_MS = 30_000;
/** kube-apiserver's --min-request-timeout (1800 s) when the client sets no timeoutSeconds. */
const DEFAULT_TIMEOUT_S = 1800;

export interface WatchSource {
  /** The resource name for tables (`pods`) and the kind/apiVersion of its objects. */
  resource: string;
  kind: string;
  apiVersion: string;
  /** The objects the watch selects now (selectors applied), as stored. */
  select(): KubeObject[];
  /** The cluster's current resourceVersion. */
  resourceVersion(): number;
}

function keyOf(o: KubeObject): string {
  const md = o.metadata as Obj;
  return `${String(md.namespace ?? '')}/${String(md.name)}`;
}

export function watchResponse(req: SandboxRequest, source: WatchSource): SandboxResponse {
  const since = req.query.get('resourceVersion');
  const initial = req.query.get('sendInitialEvents') === 'true' || since === null || since === '' || since === '0';
  const sinceRv = initial ? 0 : Number(since);
  const bookmarks = req.query.get('allowWatchBookmarks') === 'true';
  const timeout = Number(req.query.get('timeoutSeconds') ?? DEFAULT_TIMEOUT_S);
  const table = wantsTable(header(req, 'accept'));
  const includeObject = req.query.get('includeObject');
  const wire = (o: KubeObject): unknown => {
    const obj: KubeObject = { apiVersion: source.apiVersion, kind: source.kind, ...o };
    return table
      ? toTable(source.resource, [obj], String((obj.metadata as Obj).resourceVersion), includeObject, new Date())
      : obj;
  };
  const event = (type: string, o: KubeObject): string => `${JSON.stringify({ type, object: wire(o) })}\n`;
  const bookmark = (initialEnd: boolean): string => {
    const metadata: Obj = { resourceVersion: String(source.resourceVersion()) };
    if (initialEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    return `${JSON.stringify({ type: 'BOOKMARK', object: { kind: source.kind, apiVersion: source.apiVersion, metadata } })}\n`;
  };

  const body = new StreamBody((sink) => {
    // Last seen per key: the resourceVersion and the object as sent (DELETED repeats it).
    const seen = new Map<string, { rv: string; obj: KubeObject }>();
    let out = '';
    for (const o of source.select()) {
      const rv = String((o.metadata as Obj).resourceVersion);
      seen.set(keyOf(o), { rv, obj: structuredClone(o) });
      if (Number(rv) > sinceRv) out += event('ADDED', o);
    }
    if (bookmarks && req.query.get('sendInitialEvents') === 'true') out += bookmark(true);
    if (out) sink.write(out);
    const poll = setInterval(() => {
      let chunk = '';
      const now = new Map<string, KubeObject>();
      for (const o of source.select()) now.set(keyOf(o), o);
      for (const [key, o] of now) {
        const rv = String((o.metadata as Obj).resourceVersion);
        const was = seen.get(key);
        if (was && was.rv === rv) continue;
        chunk += event(was ? 'MODIFIED' : 'ADDED', o);
        seen.set(key, { rv, obj: structuredClone(o) });
      }
      for (const [key, was] of seen) {
        if (now.has(key)) continue;
        // A DELETED event carries the object's last state at the resourceVersion of the deletion.
        const gone = structuredClone(was.obj);
        (gone.metadata as Obj).resourceVersion = String(source.resourceVersion());
        chunk += event('DELETED', gone);
        seen.delete(key);
      }
      if (chunk) sink.write(chunk);
    }, POLL_MS);
    const tick = bookmarks ? setInterval(() => sink.write(bookmark(false)), BOOKMARK_MS) : undefined;
    const stop = setTimeout(() => sink.end(), Math.max(0, timeout) * 1000);
    for (const t of [poll, tick, stop]) t?.unref();
    sink.onClose(() => {
      clearInterval(poll);
      if (tick) clearInterval(tick);
      clearTimeout(stop);
    });
  });
  return { status: 200, headers: { 'content-type': 'application/json' }, body };
}
