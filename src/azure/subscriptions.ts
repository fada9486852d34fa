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
import { isRecord } from '../core/is';

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
  const request = createPipelineRequest({
    url,
    method: 'GET',
    abortSignal,
    tlsSettings: c.tlsCa ? { ca: c.tlsCa } : undefined,
  });
  const response = await pipelineFor(c).sendRequest(createDefaultHttpClient(), request);
  let body: unknown;
  try {
    body = response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
  } catch {
    body = undefined;
  }
  if (response.status < 200 || response.status >= 300) {
    const e = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new RestError(e?.message ?? `HTTP ${response.status}`, {
      code: e?.code,
      statusCode: response.status,
      request,
      response,
    });
  }
  return body;
}

/**
 * Every item of an ARM list: GETs `url`, then each `nextLink` (absolute, followed verbatim) until
 * a page has none. Non-2xx throws a RestError, as `armGetJson`.
 */
export async function armListAll(
  c: ArmConnection,
  url: string,
  abortSignal?: AbortSignal,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let next: string | undefined = url;
  while (next) {
    const page = (await armGetJson(c, next, abortSignal)) as { value?: unknown[]; nextLink?: string } | undefined;
    for (const item of page?.value ?? []) if (isRecord(item)) items.push(item);
    next = page?.nextLink || undefined;
  }
  return items;
}

export async function listSubscriptions(c: ArmConnection, abortSignal?: AbortSignal): Promise<SubscriptionInfo[]> {
  const url = `${c.endpoint}/subscriptions?api-version=${SUBSCRIPTIONS_API_VERSION}`;
  return (await armListAll(c, url, abortSignal)).map((s) => {
    const subscriptionId = String(
      s.subscriptionId ??
        String(s.id ?? '')
          .split('/')
          .pop(),
    );
    return {
      id: String(s.id ?? `/subscriptions/${subscriptionId}`),
      subscriptionId,
      displayName: String(s.displayName ?? subscriptionId),
      tenantId: typeof s.tenantId === 'string' ? s.tenantId : undefined,
      state: typeof s.state === 'string' ? s.state : undefined,
    };
  });
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
  for (const t of await armListAll(c, `${c.endpoint}/tenants?api-version=${SUBSCRIPTIONS_API_VERSION}`, abortSignal)) {
    if (typeof t.tenantId !== 'string') continue;
    out.push({
      tenantId: t.tenantId,
      displayName: typeof t.displayName === 'string' && t.displayName ? t.displayName : t.tenantId,
      category: typeof t.tenantCategory === 'string' ? t.tenantCategory : undefined,
      defaultDomain: typeof t.defaultDomain === 'string' ? t.defaultDomain : undefined,
    });
  }
  return out;
}
