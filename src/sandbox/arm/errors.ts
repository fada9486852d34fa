import { json, type SandboxResponse } from '../http';
import { isRecord } from '../../core/is';

/** The ARM error envelope `{"error":{"code","message"}}` (azure-resource-manager-rpc, common-api-details.md). */
export function armError(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): SandboxResponse {
  return json(status, { error: { code, message } }, headers);
}

export function resourceNotFound(type: string, name: string, resourceGroup: string): SandboxResponse {
  return armError(
    404,
    'ResourceNotFound',
    `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

export function resourceGroupNotFound(resourceGroup: string): SandboxResponse {
  return armError(404, 'ResourceGroupNotFound', `Resource group '${resourceGroup}' could not be found.`);
}

export function subscriptionNotFound(subscriptionId: string): SandboxResponse {
  return armError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
}

export function invalidRequestContent(message: string): SandboxResponse {
  return armError(400, 'InvalidRequestContent', message);
}

export function methodNotAllowed(method: string, path: string): SandboxResponse {
  return armError(
    405,
    'MethodNotAllowed',
    `The requested resource does not support http method '${method}'. Path: '${path}'.`,
  );
}

export function invalidResourceType(type: string, namespace: string, apiVersion: string): SandboxResponse {
  return armError(
    400,
    'InvalidResourceType',
    `The resource type '${type}' could not be found in the namespace '${namespace}' for api version '${apiVersion}'.`,
  );
}

/** ARM's throttling answer (learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling). */
export function throttled(subscriptionId: string, retryAfterSeconds: number): SandboxResponse {
  return armError(
    429,
    'SubscriptionRequestsThrottled',
    `Number of requests for subscription '${subscriptionId}' and operation 'GET' exceeded the backend storage limit. Please try again after '${retryAfterSeconds}' seconds.`,
    { 'retry-after': String(retryAfterSeconds), 'x-ms-ratelimit-remaining-subscription-reads': '0' },
  );
}

/** Parses a JSON request body; undefined body → `{}`; a syntax error → the ARM error. */
export function parseBody(
  body: Buffer,
): { ok: true; value: Record<string, unknown> } | { ok: false; response: SandboxResponse } {
  if (body.length === 0) return { ok: true, value: {} };
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return {
        ok: false,
        response: invalidRequestContent(
          'The request content was invalid and could not be deserialized: the body must be a JSON object.',
        ),
      };
    }
    return { ok: true, value: value as Record<string, unknown> };
  } catch (e) {
    return {
      ok: false,
      response: invalidRequestContent(
        `The request content was invalid and could not be deserialized: '${e instanceof Error ? e.message : String(e)}'.`,
      ),
    };
  }
}

export function stringTags(v: unknown): Record<string, string> | undefined {
  if (!isRecord(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) out[k] = String(val);
  return out;
}
