/**
 * Subscription listing through a bare core-rest-pipeline (no SDK package needed for one GET).
 * `GET /subscriptions?api-version=2022-12-01` returns `{ value: [{ id, subscriptionId, tenantId,
 * displayName, state }], nextLink? }` (Azure/azure-rest-api-specs, resources/subscriptions).
 */
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createPipelineFromOptions,
  createPipelineRequest,
  RestError,
  type Pipeline,
} from '@azure/core-rest-pipeline';
import { pipelineOptions, type ArmConnection } from './clients';

export const SUBSCRIPTIONS_API_VERSION = '2022-12-01';

export interface SubscriptionInfo {
  readonly id: string; // /subscriptions/{guid}
  readonly subscriptionId: string;
  readonly displayName: string;
  readonly tenantId?: string;
  readonly state?: string;
}

const pipelines = new WeakMap<ArmConnection, Pipeline>();

function pipelineFor(c: ArmConnection): Pipeline {
  let p = pipelines.get(c);
  if (!p) {
    p = createPipelineFromOptions(pipelineOptions(c));
    p.addPolicy(bearerTokenAuthenticationPolicy({ credential: c.credential, scopes: c.scope }));
    pipelines.set(c, p);
  }
  return p;
}

/** GET an ARM URL (absolute) and parse JSON; non-2xx throws a RestError carrying the ARM error code. */
export async function armGetJson(c: ArmConnection, url: string, abortSignal?: AbortSignal): Promise<unknown> {
  const request = createPipelineRequest({ url, method: 'GET', abortSignal, tlsSettings: c.tlsCa ? { ca: c.tlsCa } : undefined });
  const response = await pipelineFor(c).sendRequest(createDefaultHttpClient(), request);
  let body: unknown;
  try {
    body = response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
  } catch {
    body = undefined;
  }
  if (response.status < 200 || response.status >= 300) {
    const e = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new RestError(e?.message ?? `HTTP ${response.status}`, { code: e?.code, statusCode: response.status, request, response });
  }
  return body;
}

export async function listSubscriptions(c: ArmConnection, abortSignal?: AbortSignal): Promise<SubscriptionInfo[]> {
  const out: SubscriptionInfo[] = [];
  let url: string | undefined = `${c.endpoint}/subscriptions?api-version=${SUBSCRIPTIONS_API_VERSION}`;
  while (url) {
    const page = (await armGetJson(c, url, abortSignal)) as { value?: Array<Record<string, unknown>>; nextLink?: string } | undefined;
    for (const s of page?.value ?? []) {
      const subscriptionId = String(s.subscriptionId ?? String(s.id ?? '').split('/').pop());
      out.push({
        id: String(s.id ?? `/subscriptions/${subscriptionId}`),
        subscriptionId,
        displayName: String(s.displayName ?? subscriptionId),
        tenantId: typeof s.tenantId === 'string' ? s.tenantId : undefined,
        state: typeof s.state === 'string' ? s.state : undefined,
      });
    }
    url = page?.nextLink || undefined;
  }
  return out;
}

export interface TenantInfo {
  readonly tenantId: string;
  readonly displayName: string;
  /** `Home` for the signed-in account's own tenant, `ProjectedBy`/`ManagedBy` for others. */
  readonly category?: string;
  readonly defaultDomain?: string;
}

/** `GET /tenants?api-version=2022-12-01`: the tenants the signed-in account belongs to. */
export async function listTenants(c: ArmConnection, abortSignal?: AbortSignal): Promise<TenantInfo[]> {
  const out: TenantInfo[] = [];
  let url: string | undefined = `${c.endpoint}/tenants?api-version=${SUBSCRIPTIONS_API_VERSION}`;
  while (url) {
    const page = (await armGetJson(c, url, abortSignal)) as { value?: Array<Record<string, unknown>>; nextLink?: string } | undefined;
    for (const t of page?.value ?? []) {
      if (typeof t.tenantId !== 'string') continue;
      out.push({
        tenantId: t.tenantId,
        displayName: typeof t.displayName === 'string' && t.displayName ? t.displayName : t.tenantId,
        category: typeof t.tenantCategory === 'string' ? t.tenantCategory : undefined,
        defaultDomain: typeof t.defaultDomain === 'string' ? t.defaultDomain : undefined,
      });
    }
    url = page?.nextLink || undefined;
  }
  return out;
}
