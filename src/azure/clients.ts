/**
 * ARM client factories. Everything a client needs comes in as a parameter (credential, endpoint,
 * CA), so the same code talks to Azure and to the sandbox.
 * Every client shares one limiter and one request counter through pipeline policies.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy, PipelineRetryOptions } from '@azure/core-rest-pipeline';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { createLimiter, type Limiter } from './limiter';

/** The ARM token scope. AutoRest clients (arm-msi, arm-authorization) would otherwise ask for `${endpoint}/.default`. */
export const ARM_SCOPE = 'https://management.azure.com/.default';
export const ARM_ENDPOINT = 'https://management.azure.com';

export interface RequestStats {
  /** HTTP attempts sent, retries included. */
  requests: number;
  /** Attempts answered 429. */
  throttled: number;
}

/** One signed-in connection to an ARM endpoint; subscriptions get their clients from it. */
export interface ArmConnection {
  readonly credential: TokenCredential;
  readonly endpoint: string;
  readonly scope: string;
  /** PEM of a CA to trust for this connection only (the sandbox's); never process-wide. */
  readonly tlsCa?: string;
  readonly limiter: Limiter;
  readonly stats: RequestStats;
  readonly retryOptions: PipelineRetryOptions;
}

export interface ArmConnectionOptions {
  credential: TokenCredential;
  endpoint?: string;
  scope?: string;
  tlsCa?: string;
  /** Concurrent HTTP attempts across all clients of the connection (default 8). */
  concurrency?: number;
  limiter?: Limiter;
  /** Left at the SDK's Retry-After-honouring policy; only the count is raised (429s under load). */
  maxRetries?: number;
}

export function createArmConnection(o: ArmConnectionOptions): ArmConnection {
  return {
    credential: o.credential,
    endpoint: (o.endpoint ?? ARM_ENDPOINT).replace(/\/+$/, ''),
    scope: o.scope ?? ARM_SCOPE,
    tlsCa: o.tlsCa,
    limiter: o.limiter ?? createLimiter(o.concurrency ?? 8),
    stats: { requests: 0, throttled: 0 },
    retryOptions: { maxRetries: o.maxRetries ?? 5 },
  };
}

/** perRetry: holds a limiter slot for the duration of one HTTP attempt, not during Retry-After waits. */
function limitAndCountPolicy(c: ArmConnection): PipelinePolicy {
  return {
    name: 'kwiLimitAndCount',
    sendRequest: (request, next) =>
      c.limiter.run(async () => {
        c.stats.requests++;
        const response = await next(request);
        if (response.status === 429) c.stats.throttled++;
        return response;
      }),
  };
}

export function pipelineOptions(c: ArmConnection) {
  return {
    tlsOptions: c.tlsCa ? { ca: c.tlsCa } : undefined,
    retryOptions: c.retryOptions,
    additionalPolicies: [{ policy: limitAndCountPolicy(c), position: 'perRetry' as const }],
  };
}

export interface ArmClients {
  readonly subscriptionId: string;
  /** The connection the clients were built on: raw ARM GETs (resource groups) share its limiter. */
  readonly connection: ArmConnection;
  readonly msi: ManagedServiceIdentityClient;
  readonly containerService: ContainerServiceClient;
  readonly authorization: AuthorizationManagementClient;
}

export interface CreateArmClientsOptions {
  credential: TokenCredential;
  endpoint?: string;
  subscriptionId: string;
  tlsCa?: string;
  connection?: ArmConnection;
}

/** Clients for one subscription. Pass `connection` to share its limiter and counters. */
export function createArmClients(o: CreateArmClientsOptions): ArmClients {
  const c = o.connection ?? createArmConnection({ credential: o.credential, endpoint: o.endpoint, tlsCa: o.tlsCa });
  const common = pipelineOptions(c);
  return {
    subscriptionId: o.subscriptionId,
    connection: c,
    // AutoRest clients: `$host` is the URL template's host, `endpoint` the base URI; both needed.
    msi: new ManagedServiceIdentityClient(c.credential, o.subscriptionId, {
      ...common,
      endpoint: c.endpoint,
      $host: c.endpoint,
      credentialScopes: [c.scope],
    }),
    authorization: new AuthorizationManagementClient(c.credential, o.subscriptionId, {
      ...common,
      endpoint: c.endpoint,
      $host: c.endpoint,
      credentialScopes: [c.scope],
    }),
    // Modular client: scopes go under `credentials`.
    containerService: new ContainerServiceClient(c.credential, o.subscriptionId, {
      ...common,
      endpoint: c.endpoint,
      credentials: { scopes: [c.scope] },
    }),
  };
}
