import { timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { armError, throttled } from './arm/errors';
import { handleArm, isArmPath } from './arm/router';
import {
  clusterFqdn,
  kubeCallerOf,
  kubeconfigFor,
  proxyKubeconfigFor,
  newSecretToken,
  routeIssuer,
  routeKube,
} from './clusterBridge';
import type { SandboxContext } from './context';
import { handleControl } from './control';
import { checkBearer } from './entra/accessTokens';
import { ARM_AUDIENCES, GRAPH_AUDIENCES, VAULT_AUDIENCES } from './entra/resources';
import { json } from './http';
import { statusResponse } from './kube/status';
import {
  BodyTooLargeError,
  bodyLimitOf,
  bodyTooDeep,
  bodyTooLarge,
  isJsonContentType,
  MAX_NESTING,
  nestsDeeperThan,
  readBoundedBody,
  unsupportedMediaType,
} from './requestLimits';
import { handleEntra, isEntraPath } from './entra/routes';
import { graphFault } from './graph/errors';
import { handleGraph, isGraphPath } from './graph/routes';
import { sendStream, StreamBody, type SandboxRequest, type SandboxResponse } from './http';
import { handleVaultRequest } from './keyvault/secrets';
import { DEFAULT_KNOBS, FaultInjector, type Knobs } from './knobs';
import {
  emptyState,
  grantDeveloperOwner,
  newDirectory,
  rebaseOrigin,
  subscriptionIdOf,
  teachingState,
  type ScaleOptions,
} from './scenario';
import type { SandboxState, VaultRecord } from './state';
import { removeStaleTempFiles, StateUnavailableError, Store, writeAtomic, type StateWriter } from './store';
import { connectionFields, type SandboxConnection } from './connection';
import {
  acquireLock,
  liveOwner,
  lockFileFor,
  newInstanceId,
  OWNER_PROBE_PATH,
  releaseLock,
  SandboxOwnedError,
} from './ownerLock';
import { countRequest, emptyStats, type SandboxStats } from './requestStats';
import { createClientCertificate, createTlsMaterial } from './tls';
import { registeredCertificate, type RegisteredCertificate } from './entra/certificateCredential';
import { PROXIED_HOSTS, startProxy, type ProxyTarget, type SandboxProxy } from './proxy';
import { issuerRegionOfHost, publicOrigin, vaultNameOfHost } from './publicNames';

export type { Knobs } from './knobs';
export type { SandboxConnection } from './connection';
export type { SandboxStats } from './requestStats';
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
  /**
   * Seed the teaching scenario's cluster with the AKS tutorial's ServiceAccount and sample pod
   * (what the extension and `kwi sandbox` show a newcomer). Off by default: tests of the
   * Kubernetes API start from a cluster as AKS creates it, and apply the tutorial themselves.
   */
  tutorialWorkload?: boolean;
  webhookLayout?: 'v1.6' | 'v1.5';
  /** Also serve an HTTPS CONNECT proxy on loopback for the Azure host names (proxy.ts). */
  proxy?: boolean;
  /** How the state reaches the disk (tests inject a failing one); default: files, fsynced. */
  writer?: StateWriter;
  /**
   * Sees every answered request with its start and end (performance.now(), ms): the provisioning
   * benchmark derives its critical-path floor from this timeline. Method, service and path only.
   */
  onRequest?: (r: {
    service: string;
    method: string;
    path: string;
    status: number;
    startedAt: number;
    endedAt: number;
  }) => void;
  /** Operational messages (a failed save, removed temp files); default stderr. Never secrets. */
  log?: (line: string) => void;
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
  /** With `proxy` (or after ensureProxy()): the proxy's URL (HTTPS_PROXY) and a kubeconfig naming the clusters' real FQDNs. */
  readonly proxy: { url: string; kubeconfig(): string } | undefined;
  /** The developer's certificate credential (key + certificate PEM, 0600), made the first time it is asked for: `az login --service-principal -p` takes it. */
  developerCertificateFile(): string;
  /** Starts the HTTPS proxy if it is not running yet (the extension's sandbox terminal). */
  ensureProxy(): Promise<{ url: string; kubeconfig(): string }>;
  close(): Promise<void>;
}

export const DEFAULT_STATE_FILE = join(homedir(), '.kwi', 'sandbox', 'state.json');

/** Starts the sandbox (docs/contracts.md, "sandbox"): one HTTPS listener on 127.0.0.1, plus one per Key Vault. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const log =
    options.log ??
    ((line: string): void => {
      process.stderr.write(`${line}\n`);
    });
  // The whole saved state is read and checked before anything is bound or locked: a bad file
  // leaves no port, no lock and no process behind.
  const saved =
    options.stateFile !== undefined && !options.reset && !options.empty ? Store.read(options.stateFile) : undefined;
  const tempDir = options.stateFile === undefined ? mkdtempSync(join(tmpdir(), 'kwi-sandbox-')) : undefined;
  const dir = tempDir ?? dirname(options.stateFile!);
  mkdirSync(dir, { recursive: true });
  const tls = loadTls(dir);
  const caFile = join(dir, 'ca.pem');
  const developerCertificateFile = join(dir, 'developer.pem');
  // Made or read on first use (an RSA key costs about 100 ms; most sandboxes never need it).
  let developerCertificateLoaded: RegisteredCertificate | undefined;
  const developerCertificate = (): RegisteredCertificate =>
    (developerCertificateLoaded ??= loadDeveloperCertificate(developerCertificateFile));

  const knobs: Knobs = { ...DEFAULT_KNOBS, ...options.knobs };
  const faults = new FaultInjector();
  const stats: SandboxStats = emptyStats();
  const vaultServers = new Map<string, Server>();
  let controlToken = '';
  // Set once start-up is done (requests that arrive earlier wait for `started`).
  let serveRequest: (req: IncomingMessage, res: ServerResponse, vaultName: string | undefined) => Promise<void> = () =>
    Promise.resolve();
  const ficWritesInFlight = new Set<string>();
  let sandboxProxy: SandboxProxy | undefined;
  // Requests that arrive between listen() and the end of start-up wait for it.
  let markStarted!: () => void;
  const started = new Promise<void>((r) => {
    markStarted = r;
  });
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
    if (req.url === OWNER_PROBE_PATH) {
      send(res, { status: 200, body: { instanceId, stateFile: stateFile ?? null } }, false);
      return;
    }
    void started.then(() => serveRequest(req, res, undefined));
  });
  main.keepAliveTimeout = 65_000;
  await listen(main, options.port ?? 0);
  const origin = `https://127.0.0.1:${(main.address() as AddressInfo).port}`;
  if (stateFile !== undefined) {
    try {
      await acquireLock(stateFile, origin, instanceId);
    } catch (e) {
      await new Promise<void>((resolve) => {
        main.close(() => resolve());
      });
      throw e;
    }
  }
  // Best effort for an exit without close() (an uncaught error): the next start would find the lock stale anyway.
  const releaseOnExit = (): void => {
    if (stateFile !== undefined) releaseLock(stateFile, instanceId);
  };
  if (stateFile !== undefined) process.once('exit', releaseOnExit);
  try {
    return await startUp();
  } catch (e) {
    // Whatever failed after binding: give the ports and the lock back, or the next start would find this process "live".
    await Promise.all(
      [main, ...vaultServers.values()].map(
        (srv) =>
          new Promise<void>((resolve) => {
            srv.close(() => resolve());
            srv.closeAllConnections();
          }),
      ),
    );
    releaseOnExit();
    process.off('exit', releaseOnExit);
    throw e;
  }

  async function startUp(): Promise<RunningSandbox> {
    if (stateFile !== undefined) {
      const removed = removeStaleTempFiles(stateFile);
      if (removed.length > 0) {
        log(`kwi sandbox: removed ${removed.length} temporary file(s) a previous run left beside ${stateFile}`);
      }
    }
    let state: SandboxState;
    if (saved) {
      state = saved;
      rebaseOrigin(state, origin);
      grantDeveloperOwner(state);
    } else {
      const previous =
        options.stateFile !== undefined && existsSync(options.stateFile) ? safeRead(options.stateFile) : undefined;
      const directory = previous ? pickDirectory(previous) : newDirectory();
      state = options.empty
        ? emptyState(origin, directory)
        : teachingState(origin, directory, options.scale, { tutorialWorkload: options.tutorialWorkload });
      // Clients keep their control token across --reset, like the developer's sign-in.
      if (previous?.controlToken) state.controlToken = previous.controlToken;
    }
    const store = new Store(state, options.stateFile, options.writer, log);
    ensureCredentials(state);
    controlToken = state.controlToken!;
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
      developerCertificate,
    };
    for (const vault of Object.values(state.vaults)) await openVault(vault, options.port ? vault.port : undefined);
    store.flush();

    async function openVault(vault: VaultRecord, preferredPort?: number): Promise<void> {
      const key = vault.name.toLowerCase();
      const existing = vaultServers.get(key);
      if (existing) {
        const port = (existing.address() as AddressInfo).port;
        if (vault.port !== port) {
          vault.port = port;
          store.markDirty();
        }
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
      closeDeletedVaults(); // deleted while the port was being opened
    }

    /** A deleted vault's data plane stops listening (its name may be reused; a new port is opened then). */
    function closeDeletedVaults(): void {
      for (const [name, server] of vaultServers) {
        if (store.vaultByName(name)) continue;
        vaultServers.delete(name);
        server.close();
        server.closeAllConnections();
      }
    }

    /** `publicHost`: the Azure host name a client addressed through the proxy (undefined: loopback). */
    async function serve(
      req: IncomingMessage,
      res: ServerResponse,
      vaultName: string | undefined,
      publicHost?: string,
    ): Promise<void> {
      const raw = req.url ?? '/';
      const q = raw.indexOf('?');
      // arm-authorization's roleAssignments.create("/subscriptions/…") sends `PUT //subscriptions/…`, and
      // `new URL('//x', base)` reads `x` as a host: collapse leading slashes before parsing.
      const path = (q === -1 ? raw : raw.slice(0, q)).replace(/^\/{2,}/, '/');
      const service = vaultName !== undefined ? 'keyvault' : serviceOf(path);
      const method = (req.method ?? 'GET').toUpperCase();
      const startedAt = performance.now();
      try {
        await started;
        const query = new URLSearchParams(q === -1 ? '' : raw.slice(q + 1));
        const vault = vaultName !== undefined ? store.vaultByName(vaultName) : undefined;
        countRequest(stats, service, method, path);
        const request: SandboxRequest = {
          method,
          path,
          query,
          headers: req.headers,
          body: Buffer.alloc(0),
          origin: publicHost ? publicOrigin(publicHost) : vault ? ctx.vaultUri(vault).replace(/\/$/, '') : origin,
          ...(publicHost ? { publicNames: true } : {}),
        };
        const response = await answer(req, request, service, vaultName);
        if (response === undefined) return; // dropped
        stats.byStatus[response.status] = (stats.byStatus[response.status] ?? 0) + 1;
        if (service !== 'control') {
          if (stats.recent.length >= 100) stats.recent.shift();
          stats.recent.push({
            method,
            service,
            path,
            status: response.status,
            bearer: typeof req.headers.authorization === 'string',
            bodyBytes: request.body.length,
            proxied: publicHost !== undefined,
          });
        }
        send(res, response, method === 'HEAD');
        options.onRequest?.({ service, method, path, status: response.status, startedAt, endedAt: performance.now() });
      } catch (e) {
        if (StateUnavailableError.is(e)) {
          send(res, unavailable(service), false);
          return;
        }
        send(
          res,
          armError(500, 'InternalServerError', `The sandbox failed: ${e instanceof Error ? e.message : String(e)}`),
          false,
        );
      }
    }

    /**
     * Authenticates from the headers, then reads at most the service's body limit, then dispatches.
     * An unauthenticated request is answered from its headers alone (each handler's 401 comes
     * before it reads a body), so a large body from a stranger is never read.
     */
    async function answer(
      req: IncomingMessage,
      request: SandboxRequest & { body: Buffer },
      service: string,
      vaultName: string | undefined,
    ): Promise<SandboxResponse | undefined> {
      const write = request.method !== 'GET' && request.method !== 'HEAD';
      if (service === 'control' && !bearerIs(req.headers.authorization, controlToken)) return controlUnauthorized();
      if (authenticated(service, request)) {
        try {
          (request as { body: Buffer }).body = await readBoundedBody(req, bodyLimitOf(service));
        } catch (e) {
          if (BodyTooLargeError.is(e)) return bodyTooLarge(service, e.limit);
          throw e;
        }
        if (
          request.body.length > 0 &&
          !isProtobuf(req.headers['content-type']) &&
          nestsDeeperThan(request.body, MAX_NESTING)
        ) {
          return bodyTooDeep(service);
        }
        if (service === 'arm' && request.body.length > 0 && !isJsonContentType(req.headers['content-type'])) {
          const type = req.headers['content-type'];
          return unsupportedMediaType(typeof type === 'string' ? type : undefined);
        }
      }
      // While the state cannot be saved, writes are refused before they change anything; a save is retried first.
      if (write && store.unavailable && service !== 'entra' && service !== 'oidc') store.flush();
      let response: SandboxResponse;
      if (service === 'control') {
        response = handleControl(control, request);
      } else {
        if (knobs.latencyMs > 0) await sleep(knobs.latencyMs);
        // Faults hit the Azure data and management planes and the Kubernetes API; Entra and the
        // issuers only get latency (see docs/contracts.md).
        const fault =
          service === 'entra' ? undefined : service === 'oidc' ? faults.nextIssuer(knobs) : faults.next(knobs);
        if (fault) stats.faults[fault]++;
        if (fault === 'drop') {
          req.socket.destroy();
          return undefined;
        }
        if (fault === 'throttle' || fault === 'error') {
          response = faultResponse(service, fault, subscriptionIdOf(store.state), knobs.retryAfterSeconds);
        } else response = await dispatch(service, request, vaultName);
      }
      if (write && (service === 'arm' || service === 'control')) {
        if (ensureCredentials(store.state)) store.markDirty();
        closeDeletedVaults();
      }
      try {
        store.flush();
      } catch (e) {
        // A read's answer does not depend on the save (a lazily created key, say): serve it from memory.
        if (!write && StateUnavailableError.is(e)) return response;
        throw e;
      }
      return response;
    }

    /** Whether the request carries a credential its service accepts (from the headers only). */
    function authenticated(service: string, request: SandboxRequest): boolean {
      switch (service) {
        case 'arm':
          return checkBearer(ctx, request.headers.authorization, ARM_AUDIENCES).ok;
        case 'keyvault':
          return checkBearer(ctx, request.headers.authorization, VAULT_AUDIENCES).ok;
        case 'graph':
          return checkBearer(ctx, request.headers.authorization, GRAPH_AUDIENCES).ok;
        case 'kube':
          return kubeCallerOf(ctx, request.path, request.headers.authorization);
        // Entra's credentials are in the body (client secret or assertion); the issuers and the control API (checked above) have none.
        default:
          return true;
      }
    }

    async function dispatch(
      service: string,
      req: SandboxRequest,
      vaultName: string | undefined,
    ): Promise<SandboxResponse> {
      switch (service) {
        case 'keyvault':
          return handleVaultRequest(ctx, vaultName !== undefined ? store.vaultByName(vaultName) : undefined, req);
        case 'arm':
          return handleArm(ctx, req);
        case 'entra':
          return handleEntra(ctx, req);
        case 'graph':
          return handleGraph(ctx, req);
        case 'kube':
          return routeKube(ctx, req);
        case 'oidc':
          return routeIssuer(ctx, req);
        default:
          return armError(404, 'NotFound', `The sandbox serves no '${req.path}'. See docs/contracts.md for its paths.`);
      }
    }

    const control = {
      knobs: () => ({ ...knobs }),
      setKnobs: (k: Partial<Knobs>) => {
        Object.assign(knobs, k);
        faults.reset();
      },
      reset: (empty: boolean) => {
        const directory = pickDirectory(store.state);
        const next = empty
          ? emptyState(origin, directory)
          : teachingState(origin, directory, options.scale, { tutorialWorkload: options.tutorialWorkload });
        next.controlToken = controlToken;
        store.replace(next);
        ensureCredentials(store.state);
        ficWritesInFlight.clear();
        closeDeletedVaults();
        // Reopen (or reuse) data-plane listeners for the vaults of the new world.
        for (const v of Object.values(store.state.vaults)) void openVault(v);
        store.flush();
      },
      stats: () => structuredClone(stats),
      info: () => ({
        origin,
        armEndpoint: origin,
        authorityHost: origin,
        tenantId: store.state.tenantId,
        subscriptionId: subscriptionIdOf(store.state),
        developerClientId: store.state.developer.clientId,
        caFile,
        stateFile: options.stateFile ?? null,
      }),
    };

    function running(): RunningSandbox {
      return {
        ...connectionFields(origin, tls.caPem, caFile, options.stateFile, state),
        developerCertificateFile: () => {
          developerCertificate();
          return developerCertificateFile;
        },
        kubeconfig: () => kubeconfigFor(ctx, Object.values(store.state.clusters)),
        knobs: control.knobs,
        setKnobs: control.setKnobs,
        reset: (empty = false) => control.reset(empty),
        stats: control.stats,
        controlToken,
        state: () => store.state,
        get proxy() {
          return sandboxProxy
            ? { url: sandboxProxy.url, kubeconfig: () => proxyKubeconfigFor(ctx, Object.values(store.state.clusters)) }
            : undefined;
        },
        ensureProxy: async () => {
          const p = await ensureProxy();
          return { url: p.url, kubeconfig: () => proxyKubeconfigFor(ctx, Object.values(store.state.clusters)) };
        },
        close: async () => {
          store.flush();
          await sandboxProxy?.close();
          const servers = [main, ...vaultServers.values()];
          await Promise.all(
            servers.map(
              (s) =>
                new Promise<void>((resolve) => {
                  s.close(() => resolve());
                  s.closeAllConnections();
                }),
            ),
          );
          if (tempDir) rmSync(tempDir, { recursive: true, force: true });
          if (stateFile !== undefined) {
            process.off('exit', releaseOnExit);
            releaseLock(stateFile, instanceId);
          }
        },
      };
    }
    serveRequest = serve;
    let proxyStarting: Promise<SandboxProxy> | undefined;
    const ensureProxy = (): Promise<SandboxProxy> => {
      proxyStarting ??= startProxy({
        caPem: tls.caPem,
        caKeyPem: tls.caKeyPem,
        ownPorts: () => [main, ...vaultServers.values()].map((srv) => (srv.address() as AddressInfo).port),
        resolve: (host) => proxyTargetOf(store, host),
        serve: (req, res, vaultName, host) => {
          void serve(req, res, vaultName, host);
        },
      }).then((p) => (sandboxProxy = p));
      return proxyStarting;
    };
    if (options.proxy) await ensureProxy();
    markStarted();
    return running();
  }
}

/**
 * Secrets a state needs that older files lack: the control API's token and each cluster's admin
 * token. Returns whether it added any (the caller saves them).
 */
function ensureCredentials(state: SandboxState): boolean {
  let added = false;
  if (!state.controlToken) {
    state.controlToken = newSecretToken();
    added = true;
  }
  for (const c of Object.values(state.clusters)) {
    if (!c.clientToken) {
      c.clientToken = newSecretToken();
      added = true;
    }
  }
  return added;
}

function bearerIs(authorization: string | string[] | undefined, secret: string): boolean {
  if (typeof authorization !== 'string' || !secret) return false;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!m) return false;
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function controlUnauthorized(): SandboxResponse {
  return {
    status: 401,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'www-authenticate': 'Bearer realm="kwi-sandbox-control"',
    },
    body: {
      error: {
        code: 'Unauthorized',
        message:
          "The control API needs 'Authorization: Bearer {controlToken}'; the token is in the state file (controlToken).",
      },
    },
  };
}

/** 503 while the state cannot be saved, in the service's envelope. */
function unavailable(service: string): SandboxResponse {
  const message = 'The sandbox cannot save its state (see its log); writes are refused until it can.';
  if (service === 'kube') return statusResponse(503, 'ServiceUnavailable', message);
  if (service === 'entra' || service === 'oidc') {
    return json(503, { error: 'temporarily_unavailable', error_description: message });
  }
  return armError(503, 'ServiceUnavailable', message);
}

function isProtobuf(contentType: string | string[] | undefined): boolean {
  return typeof contentType === 'string' && contentType.toLowerCase().includes('protobuf');
}

/** A 429 or 503 in the dialect of the service that would send it. */
function faultResponse(
  service: string,
  fault: 'throttle' | 'error',
  subscriptionId: string,
  retryAfter: number,
): SandboxResponse {
  const headers = { 'retry-after': String(retryAfter) };
  if (service === 'kube') {
    // kube-apiserver's Status for API priority and fairness / an unavailable apiserver.
    const [code, reason, message] =
      fault === 'throttle'
        ? [429, 'TooManyRequests', 'too many requests, please try again later']
        : [503, 'ServiceUnavailable', 'the server is currently unable to handle the request'];
    return {
      status: code,
      headers: { ...headers, 'content-type': 'application/json' },
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message,
        reason,
        details: { retryAfterSeconds: retryAfter },
        code,
      },
    };
  }
  if (service === 'graph') return graphFault(fault, retryAfter);
  if (service === 'keyvault') {
    return fault === 'throttle'
      ? armError(
          429,
          'Throttled',
          'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached',
          headers,
        )
      : armError(
          503,
          'ServiceUnavailable',
          'The service is temporarily unavailable. Please retry the request later.',
          headers,
        );
  }
  return fault === 'throttle'
    ? throttled(subscriptionId, retryAfter)
    : armError(
        503,
        'ServiceUnavailable',
        'The server is currently unable to handle the request due to a temporary overload. Please retry the request later.',
        headers,
      );
}

/** Which sandbox service answers a public host name the proxy was asked for (undefined: refused). */
function proxyTargetOf(store: Store, host: string): ProxyTarget | undefined {
  if ((PROXIED_HOSTS as readonly string[]).includes(host)) return {};
  const vault = vaultNameOfHost(host);
  if (vault) return store.vaultByName(vault) ? { vaultName: vault } : undefined;
  const region = issuerRegionOfHost(host);
  if (region) return { pathPrefix: `/oidc/${region}` };
  const cluster = Object.values(store.state.clusters).find((c) => clusterFqdn(c) === host);
  return cluster ? { pathPrefix: `/k8s/${cluster.guid}` } : undefined;
}

function serviceOf(path: string): string {
  if (path.startsWith('/_sandbox/') || path === '/_sandbox') return 'control';
  if (isArmPath(path)) return 'arm';
  if (path.startsWith('/k8s/')) return 'kube';
  if (path.startsWith('/oidc/')) return 'oidc';
  if (isEntraPath(path)) return 'entra';
  if (isGraphPath(path)) return 'graph';
  return 'unknown';
}

/**
 * The developer principal's certificate credential: its private key and certificate in one PEM
 * (mode 0600) beside the CA, made once, so `az login --service-principal -p FILE` signs in with no
 * secret on a command line. A file that does not parse is replaced (it holds nothing but this key).
 */
function loadDeveloperCertificate(file: string): RegisteredCertificate {
  if (existsSync(file)) {
    try {
      const certificate = registeredCertificate(readFileSync(file, 'utf8'));
      chmodSync(file, 0o600);
      return certificate;
    } catch {
      /* replaced below */
    }
  }
  const pem = createClientCertificate('kwi sandbox developer');
  writeAtomic(file, pem, 0o600);
  return registeredCertificate(pem);
}

/** The CA persists beside the state (trust survives restarts); the server certificate is new each start. */
function loadTls(dir: string): ReturnType<typeof createTlsMaterial> {
  const caFile = join(dir, 'ca.pem');
  const keyFile = join(dir, 'ca-key.pem');
  const existing =
    existsSync(caFile) && existsSync(keyFile)
      ? { caPem: readFileSync(caFile, 'utf8'), caKeyPem: readFileSync(keyFile, 'utf8') }
      : undefined;
  const tls = createTlsMaterial(existing);
  if (!existing) {
    writeAtomic(keyFile, tls.caKeyPem);
    writeAtomic(caFile, tls.caPem, 0o644);
  }
  // Whatever the umask was when they were created: the key private, the certificate public.
  chmodSync(keyFile, 0o600);
  chmodSync(caFile, 0o644);
  return tls;
}

function safeRead(file: string): SandboxState | undefined {
  try {
    return Store.read(file);
  } catch {
    return undefined;
  }
}

function pickDirectory(
  s: SandboxState,
): Pick<SandboxState, 'tenantId' | 'tenantDisplayName' | 'developer' | 'entraKey' | 'subscriptions'> {
  return {
    tenantId: s.tenantId,
    tenantDisplayName: s.tenantDisplayName,
    developer: s.developer,
    entraKey: s.entraKey,
    subscriptions: s.subscriptions,
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => {
      server.off('listening', onListening);
      reject(e);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}

function send(res: ServerResponse, r: SandboxResponse, head: boolean): void {
  if (res.headersSent || res.destroyed) return;
  if (r.body instanceof StreamBody) {
    sendStream(res, r as SandboxResponse & { body: StreamBody });
    return;
  }
  let payload: Buffer | undefined;
  if (r.body === undefined || r.body === null) payload = undefined;
  else if (Buffer.isBuffer(r.body)) payload = r.body;
  else if (typeof r.body === 'string') payload = Buffer.from(r.body, 'utf8');
  else payload = Buffer.from(JSON.stringify(r.body), 'utf8');
  const headers: Record<string, string | number> = { ...r.headers };
  if (payload && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  headers['content-length'] = payload?.length ?? 0;
  res.writeHead(r.status, headers);
  res.end(head ? undefined : payload);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
