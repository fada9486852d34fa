import { randomUUID } from 'node:crypto';
import { json, type SandboxRequest, type SandboxResponse } from '../http';

/**
 * Microsoft Graph's error envelope (learn.microsoft.com/graph/errors):
 * `{"error": {"code", "message", "innerError": {"date", "request-id", "client-request-id"}}}`,
 * with the same IDs in the `request-id` and `client-request-id` headers.
 */
export function graphError(
  req: Pick<SandboxRequest, 'headers'>,
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): SandboxResponse {
  const ids = requestIds(req);
  return json(
    status,
    {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().replace(/\.\d{3}Z$/, ''),
          'request-id': ids['request-id'],
          'client-request-id': ids['client-request-id'],
        },
      },
    },
    { ...ids, ...headers },
  );
}

/** Graph echoes `client-request-id` (or makes one) and adds its own `request-id`. */
export function requestIds(req: Pick<SandboxRequest, 'headers'>): {
  'request-id': string;
  'client-request-id': string;
} {
  const sent = req.headers['client-request-id'];
  const requestId = randomUUID();
  return { 'request-id': requestId, 'client-request-id': typeof sent === 'string' && sent ? sent : requestId };
}

/** Graph's throttling and unavailability answers (learn.microsoft.com/graph/throttling, /graph/errors). */
export function graphFault(fault: 'throttle' | 'error', retryAfter: number): SandboxResponse {
  const headers = { 'retry-after': String(retryAfter) };
  return fault === 'throttle'
    ? graphError({ headers: {} }, 429, 'TooManyRequests', 'Too many requests. Please retry again later.', headers)
    : graphError(
        { headers: {} },
        503,
        'serviceNotAvailable',
        'The service is temporarily unavailable. Please retry again later.',
        headers,
      );
}
