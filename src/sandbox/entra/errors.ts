import { randomUUID } from 'node:crypto';
import { json, type SandboxRequest, type SandboxResponse } from '../http';

/**
 * Entra's OAuth error body (learn.microsoft.com/entra/identity-platform/reference-error-codes): the AADSTS text in
 * `error_description` followed by trace/correlation IDs and a timestamp, the numeric code in
 * `error_codes`. `@azure/identity` copies `error_description` into its error message.
 */
export function entraError(
  req: SandboxRequest,
  status: number,
  error: string,
  code: number,
  text: string,
): SandboxResponse {
  const traceId = randomUUID();
  const header = req.headers['client-request-id'];
  const correlationId = typeof header === 'string' && header ? header : randomUUID();
  const now = new Date();
  const timestamp = now
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
  return json(status, {
    error,
    error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `${req.origin}/error?code=${code}`,
  });
}
