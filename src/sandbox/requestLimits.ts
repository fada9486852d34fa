import type { IncomingMessage } from 'node:http';
import { armError } from './arm/errors';
import { json, type SandboxResponse } from './http';
import { statusResponse } from './kube/status';

/**
 * Bounds on what the sandbox accepts, checked before a body is stored (and, for size, before it
 * is read past the limit).
 * - ARM: 4 MB per request (learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits,
 *   "Azure Resource Manager limits"); Key Vault's data plane gets the same bound (a secret value is at most 25 KB:
 *   learn.microsoft.com/azure/key-vault/general/service-limits).
 * - Kubernetes: kube-apiserver's `MaxRequestBodyBytes`, 3 MiB (kubernetes staging/src/k8s.io/apiserver/pkg/server/config.go).
 * - Entra's token endpoint, the issuers and the control API: 1 MiB (form posts and small JSON).
 * - Nesting: 100 levels of JSON (or YAML flow) arrays and objects. kube-apiserver stops at 10,000
 *   (k8s.io/apimachinery pkg/util/json); the sandbox is stricter because it keeps every body in one
 *   JavaScript document that recursive code (JSON.stringify, structuredClone, merge patches) walks.
 */
export const BODY_LIMITS: Readonly<Record<string, number>> = {
  arm: 4 * 1024 * 1024,
  keyvault: 4 * 1024 * 1024,
  kube: 3 * 1024 * 1024,
};
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const MAX_NESTING = 100;

export function bodyLimitOf(service: string): number {
  return BODY_LIMITS[service] ?? DEFAULT_BODY_LIMIT;
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
  }

  static is(e: unknown): e is BodyTooLargeError {
    return e instanceof BodyTooLargeError;
  }
}

/**
 * Reads at most `limit` bytes: a declared Content-Length over the limit is refused before any
 * byte is read, and a chunked body is abandoned as soon as it passes the limit.
 */
export function readBoundedBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        chunks.length = 0;
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Whether the body nests arrays/objects deeper than `max`, counting `[`/`{` outside JSON strings.
 * Linear, no recursion; protobuf bodies are not scanned (their bytes are not brackets).
 */
export function nestsDeeperThan(body: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (inString) {
      if (c === 0x5c) {
        i++;
      } // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth = Math.max(0, depth - 1);
  }
  return false;
}

/** 413 in the envelope of the service that would send it. */
export function bodyTooLarge(service: string, limit: number): SandboxResponse {
  const close = { connection: 'close' };
  if (service === 'kube') {
    // apiserver handlers/rest.go: errors.NewRequestEntityTooLargeError(fmt.Sprintf("limit is %d", limit)).
    const r = statusResponse(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
    return { ...r, headers: { ...r.headers, ...close } };
  }
  return armError(
    413,
    'RequestEntityTooLarge',
    `The request content length exceeds the limit of ${limit} bytes.`,
    close,
  );
}

/** 400 for a body nested past MAX_NESTING, in the service's envelope. */
export function bodyTooDeep(service: string): SandboxResponse {
  const message = `The request body nests more than ${MAX_NESTING} levels of arrays and objects.`;
  if (service === 'kube') return statusResponse(400, 'BadRequest', message);
  if (service === 'entra' || service === 'oidc') {
    return json(400, { error: 'invalid_request', error_description: message });
  }
  return armError(400, service === 'arm' ? 'InvalidRequestContent' : 'BadParameter', message);
}

/** Media types a body may be sent with: ARM and Key Vault take JSON only. */
export function isJsonContentType(header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false;
  const type = header.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type === 'text/json' || /^application\/[a-z0-9.+-]*\+json$/.test(type);
}

/**
 * ARM's answer to a body sent as something else than JSON (azure-resource-manager-rpc,
 * common-api-details.md: requests carry `Content-Type: application/json`).
 */
export function unsupportedMediaType(contentType: string | undefined): SandboxResponse {
  return armError(
    415,
    'UnsupportedMediaType',
    `The content media type '${contentType ?? ''}' is not supported. Only 'application/json' is supported.`,
  );
}
