import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { armError, throttled } from './arm/errors';
import { handleArm, isArmPath } from './arm/router';
import { kubeconfigFor, routeIssuer, routeKube } from './clusterBridge';
import type { SandboxContext } from './context';
import { handleControl } from './control';
import { handleEntra, isEntraPath } from './entra/routes';
import type { SandboxRequest, SandboxResponse } from './http';
import { handleVaultRequest } from './keyvault/secrets';
import { DEFAULT_KNOBS, FaultInjector, type Knobs } from './knobs';
import { emptyState, grantDeveloperOwner, newDirectory, rebaseOrigin, subscriptionIdOf, teachingState, type ScaleOptions } from './scenario';
import type { SandboxState, VaultRecord } from './state';
import { Store, writeAtomic } from './store';
import type { SandboxConnection } from './connection';
import { acquireLock, liveOwner, lockFileFor, newInstanceId, OWNER_PROBE_PATH, releaseLock, SandboxOwnedError } from './ownerLock';
import { createTlsMaterial } from './tls';

export type { Knobs } from './knobs';
export type { SandboxConnection } from './connection';
export { findRunningSandbox } from './attach';
export { SandboxOwnedError } from './ownerLock';

export interface SandboxOptions {
  /** 0 (default) = an ephemeral port. */
  port?: number;
  /** State file; its directory also holds ca.pem. Undefined = in memory, CA in a temp dir removed on close. */
  stateFile?: string;
  /** Discard the saved state and start from the teaching scenario. */
  reset?: boolean;
  /** Start from an empty world (tenant, subscription, developer only). */
  empty?: boolean;
  knobs?: Partial<Knobs>;
  /** Extra generated resources for benchmarks (added to a new state only). */
  scale?: ScaleOptions;
  webhookLayout?: 'v1.6' | 'v1.5';
}

export interface SandboxStats {
  requests: number;
  byService: Record<string, number>;
  byStatus: Record<string, number>;
  faults: { drop: number; throttle: number; error: number };
  /** The last 100 requests, oldest first (what the SDKs really sent: e.g. Key Vault's bodiless first PUT). */
  recent: { method: string; service: string; path: string; status: number; bearer: boolean; bodyBytes: number }[];
}

/** The sandbox this process runs: a connection (connection.ts) plus the controls only its owner has. */
export interface RunningSandbox extends SandboxConnection {
  knobs(): Knobs;
  setKnobs(k: Partial<Knobs>): void;
  /** Back to the teaching scenario (or the empty world); tenant, subscription and developer are kept. */
  reset(empty?: boolean): void;
  stats(): SandboxStats;
  /** The live state, for tests and the CLI; mutate only through the HTTP APIs. */
  state(): SandboxState;
  close(): Promise<void>;
}

export const DEFAULT_STATE_FILE = join(homedir(), '.kwi', 'sandbox', 'state.json');

/** Starts the sandbox (docs/contracts.md, "sandbox"): one HTTPS listener on 127.0.0.1, plus one per Key Vault. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const tempDir = options.stateFile === undefined ? mkdtempSync(join(tmpdir(), 'kwi-sandbox-')) : undefined;
  const dir = tempDir ?? dirname(options.stateFile!);
  mkdirSync(dir, { recursive: true });
  const tls = loadTls(dir);
  const caFile = join(dir, 'ca.pem');

  const knobs: Knobs = { ...DEFAULT_KNOBS, ...options.knobs };
  const faults = new FaultInjector();
  const stats: SandboxStats = { requests: 0, byService: {}, byStatus: {}, faults: { drop: 0, throttle: 0, error: 0 }, recent: [] };
  const vaultServers = new Map<string, Server>();
  const ficWritesInFlight = new Set<string>();
  // Requests that arrive between listen() and the end of start-up wait for it.
  let markStarted!: () => void;
  const started = new Promise<void>((r) => { markStarted = r; });
  const instanceId = newInstanceId();
  const stateFile = options.stateFile;

  // One sandbox per state file (ownerLock.ts): refuse before taking a port, so the message names
  // the running sandbox rather than a port clash.
  if (stateFile !== undefined) {
    const owner = await liveOwner(stateFile);
    if (owner) throw new SandboxOwnedError(owner, lockFileFor(stateFile));
  }
  const main = createServer({ cert: tls.certPem, key: tls.keyPem, ca: tls.caPem }, (req, res) => {
    // The owner probe is answered at once, even during start-up (another process is deciding whether this lock is live).
    if (req.url === OWNER_PROBE_PATH) { send(res, { status: 200, body: { instanceId, stateFile: stateFile ?? null } }, false); return; }
    void serve(req, res, undefined);
  });
  main.keepAliveTimeout = 65_000;
  await listen(main, options.port ?? 0);
  const origin = `https://127.0.0.1:${(main.address() as AddressInfo).port}`;
  if (stateFile !== undefined) {
    try {
      await acquireLock(stateFile, origin, instanceId);
    } catch (e) {
      await new Promise<void>((resolve) => { main.close(() => resolve()); });
      throw e;
    }
  }
  // Best effort for an exit without close() (an uncaught error): the next start would find the lock stale anyway.
  const releaseOnExit = (): void => { if (stateFile !== undefined) releaseLock(stateFile, instanceId); };
  if (stateFile !== undefined) process.once('exit', releaseOnExit);

  // State: saved file unless --reset/--empty; a fresh teaching scenario otherwise.
  let saved: SandboxState | undefined;
  try {
    saved = options.stateFile !== undefined && !options.reset && !options.empty ? Store.read(options.stateFile) : undefined;
  } catch (e) {
    // A corrupt file: give the lock and the port back, or the next start would find this process "live".
    await new Promise<void>((resolve) => { main.close(() => resolve()); });
    releaseOnExit();
    process.off('exit', releaseOnExit);
    throw e;
  }
  let state: SandboxState;
  if (saved) {
    state = saved;
    rebaseOrigin(state, origin);
    grantDeveloperOwner(state);
  } else {
    const previous = options.stateFile !== undefined && existsSync(options.stateFile) ? safeRead(options.stateFile) : undefined;
    const directory = previous ? pickDirectory(previous) : newDirectory();
    state = options.empty ? emptyState(origin, directory) : teachingState(origin, directory, options.scale);
  }
  const store = new Store(state, options.stateFile);
  store.markDirty();

  const ctx: SandboxContext = {
    store,
    origin,
    caPem: tls.caPem,
    knobs,
    webhookLayout: options.webhookLayout ?? 'v1.6',
    now: () => Date.now(),
    vaultUri: (v) => `https://127.0.0.1:${v.port ?? 0}/`,
    openVault: (v) => openVault(v),
    lroFails: () => faults.nextLroFails(knobs),
    ficWritesInFlight,
  };
  for (const vault of Object.values(state.vaults)) await openVault(vault, options.port ? vault.port : undefined);
  store.flush();

  async function openVault(vault: VaultRecord, preferredPort?: number): Promise<void> {
    const key = vault.name.toLowerCase();
    const existing = vaultServers.get(key);
    if (existing) {
      const port = (existing.address() as AddressInfo).port;
      if (vault.port !== port) { vault.port = port; store.markDirty(); }
      return;
    }
    const server = createServer({ cert: tls.certPem, key: tls.keyPem, ca: tls.caPem }, (req, res) => {
      void serve(req, res, key);
    });
    server.keepAliveTimeout = 65_000;
    try {
      await listen(server, preferredPort ?? 0);
    } catch {
      await listen(server, 0); // the saved port is taken: take another (stored URLs are rebuilt from it)
    }
    vaultServers.set(key, server);
    vault.port = (server.address() as AddressInfo).port;
    store.markDirty();
  }

  async function serve(req: IncomingMessage, res: ServerResponse, vaultName: string | undefined): Promise<void> {
    try {
      await started;
      const body = await readBody(req);
      const raw = req.url ?? '/';
      const q = raw.indexOf('?');
      // FACTS.md "Five things" 4: SDKs send `PUT //subscriptions/…`; collapse before parsing.
      const path = (q === -1 ? raw : raw.slice(0, q)).replace(/^\/{2,}/, '/');
      const query = new URLSearchParams(q === -1 ? '' : raw.slice(q + 1));
      const vault = vaultName !== undefined ? store.vaultByName(vaultName) : undefined;
      const request: SandboxRequest = {
        method: (req.method ?? 'GET').toUpperCase(),
        path,
        query,
        headers: req.headers,
        body,
        origin: vault ? ctx.vaultUri(vault).replace(/\/$/, '') : origin,
      };
      const service = vaultName !== undefined ? 'keyvault' : serviceOf(path);
      stats.requests++;
      stats.byService[service] = (stats.byService[service] ?? 0) + 1;
      let response: SandboxResponse;
      if (service === 'control') {
        response = handleControl(control, request);
      } else {
        if (knobs.latencyMs > 0) await sleep(knobs.latencyMs);
        // Faults hit the Azure data and management planes and the Kubernetes API; Entra and the
        // issuers only get latency (see docs/contracts.md).
        const fault = service === 'entra' ? undefined : service === 'oidc' ? faults.nextIssuer(knobs) : faults.next(knobs);
        if (fault) stats.faults[fault]++;
        if (fault === 'drop') { req.socket.destroy(); return; }
        if (fault === 'throttle' || fault === 'error') response = faultResponse(service, fault, subscriptionIdOf(store.state), knobs.retryAfterSeconds);
        else response = await dispatch(service, request, vaultName);
      }
      store.flush();
      stats.byStatus[response.status] = (stats.byStatus[response.status] ?? 0) + 1;
      if (service !== 'control') {
        if (stats.recent.length >= 100) stats.recent.shift();
        stats.recent.push({ method: request.method, service, path, status: response.status, bearer: typeof req.headers.authorization === 'string', bodyBytes: body.length });
      }
      send(res, response, request.method === 'HEAD');
    } catch (e) {
      send(res, armError(500, 'InternalServerError', `The sandbox failed: ${e instanceof Error ? e.message : String(e)}`), false);
    }
  }

  async function dispatch(service: string, req: SandboxRequest, vaultName: string | undefined): Promise<SandboxResponse> {
    switch (service) {
      case 'keyvault': return handleVaultRequest(ctx, vaultName !== undefined ? store.vaultByName(vaultName) : undefined, req);
      case 'arm': return handleArm(ctx, req);
      case 'entra': return handleEntra(ctx, req);
      case 'kube': return routeKube(ctx, req);
      case 'oidc': return routeIssuer(ctx, req);
      default: return armError(404, 'NotFound', `The sandbox serves no '${req.path}'. See docs/contracts.md for its paths.`);
    }
  }

  const control = {
    knobs: () => ({ ...knobs }),
    setKnobs: (k: Partial<Knobs>) => { Object.assign(knobs, k); faults.reset(); },
    reset: (empty: boolean) => {
      const directory = pickDirectory(store.state);
      store.replace(empty ? emptyState(origin, directory) : teachingState(origin, directory, options.scale));
      ficWritesInFlight.clear();
      // Reopen (or reuse) data-plane listeners for the vaults of the new world.
      for (const v of Object.values(store.state.vaults)) void openVault(v);
      store.flush();
    },
    stats: () => structuredClone(stats),
    info: () => ({ origin, armEndpoint: origin, authorityHost: origin, tenantId: store.state.tenantId, subscriptionId: subscriptionIdOf(store.state), developerClientId: store.state.developer.clientId, caFile, stateFile: options.stateFile ?? null }),
  };

  markStarted();
  return {
    origin,
    armEndpoint: origin,
    authorityHost: origin,
    caPem: tls.caPem,
    caFile,
    stateFile: options.stateFile,
    tenantId: state.tenantId,
    subscriptionId: subscriptionIdOf(state),
    developer: { clientId: state.developer.clientId, clientSecret: state.developer.clientSecret, objectId: state.developer.objectId },
    kubeconfig: () => kubeconfigFor(ctx, Object.values(store.state.clusters)),
    knobs: control.knobs,
    setKnobs: control.setKnobs,
    reset: (empty = false) => control.reset(empty),
    stats: control.stats,
    state: () => store.state,
    close: async () => {
      store.flush();
      const servers = [main, ...vaultServers.values()];
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => { s.close(() => resolve()); s.closeAllConnections(); })));
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
      if (stateFile !== undefined) {
        process.off('exit', releaseOnExit);
        releaseLock(stateFile, instanceId);
      }
    },
  };
}

/** A 429 or 503 in the dialect of the service that would send it. */
function faultResponse(service: string, fault: 'throttle' | 'error', subscriptionId: string, retryAfter: number): SandboxResponse {
  const headers = { 'retry-after': String(retryAfter) };
  if (service === 'kube') {
    // kube-apiserver's Status for API priority and fairness / an unavailable apiserver.
    const [code, reason, message] = fault === 'throttle'
      ? [429, 'TooManyRequests', 'too many requests, please try again later']
      : [503, 'ServiceUnavailable', 'the server is currently unable to handle the request'];
    return { status: code, headers: { ...headers, 'content-type': 'application/json' }, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details: { retryAfterSeconds: retryAfter }, code } };
  }
  if (service === 'keyvault') {
    return fault === 'throttle'
      ? armError(429, 'Throttled', 'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached', headers)
      : armError(503, 'ServiceUnavailable', 'The service is temporarily unavailable. Please retry the request later.', headers);
  }
  return fault === 'throttle'
    ? throttled(subscriptionId, retryAfter)
    : armError(503, 'ServiceUnavailable', 'The server is currently unable to handle the request due to a temporary overload. Please retry the request later.', headers);
}

function serviceOf(path: string): string {
  if (path.startsWith('/_sandbox/') || path === '/_sandbox') return 'control';
  if (isArmPath(path)) return 'arm';
  if (path.startsWith('/k8s/')) return 'kube';
  if (path.startsWith('/oidc/')) return 'oidc';
  if (isEntraPath(path)) return 'entra';
  return 'unknown';
}

/** The CA persists beside the state (trust survives restarts); the server certificate is new each start. */
function loadTls(dir: string): ReturnType<typeof createTlsMaterial> {
  const caFile = join(dir, 'ca.pem');
  const keyFile = join(dir, 'ca-key.pem');
  const existing = existsSync(caFile) && existsSync(keyFile) ? { caPem: readFileSync(caFile, 'utf8'), caKeyPem: readFileSync(keyFile, 'utf8') } : undefined;
  const tls = createTlsMaterial(existing);
  if (!existing) {
    writeAtomic(keyFile, tls.caKeyPem);
    writeFileSync(caFile, tls.caPem);
  }
  return tls;
}

function safeRead(file: string): SandboxState | undefined {
  try { return Store.read(file); } catch { return undefined; }
}

function pickDirectory(s: SandboxState): Pick<SandboxState, 'tenantId' | 'tenantDisplayName' | 'developer' | 'entraKey' | 'subscriptions'> {
  return { tenantId: s.tenantId, tenantDisplayName: s.tenantDisplayName, developer: s.developer, entraKey: s.entraKey, subscriptions: s.subscriptions };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => { server.off('listening', onListening); reject(e); };
    const onListening = (): void => { server.off('error', onError); resolve(); };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, r: SandboxResponse, head: boolean): void {
  if (res.headersSent || res.destroyed) return;
  let payload: Buffer | undefined;
  if (r.body === undefined || r.body === null) payload = undefined;
  else if (Buffer.isBuffer(r.body)) payload = r.body;
  else if (typeof r.body === 'string') payload = Buffer.from(r.body, 'utf8');
  else payload = Buffer.from(JSON.stringify(r.body), 'utf8');
  const headers: Record<string, string | number> = { ...r.headers };
  if (payload && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json; charset=utf-8';
  headers['content-length'] = payload?.length ?? 0;
  res.writeHead(r.status, headers);
  res.end(head ? undefined : payload);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
