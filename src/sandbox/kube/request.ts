import { parse as parseYaml } from 'yaml';
import type { SandboxRequest, SandboxResponse } from '../http';
import { decodeProtobuf, isProtobuf } from './protobuf';
import { badRequest, methodNotSupported, statusResponse } from './status';

// Request helpers shared by the sandbox API server's handlers.

/** What kube-apiserver answers for an unknown path: a 404 Status without reason details. */
export function pageNotFound(): SandboxResponse {
  return statusResponse(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function methodNotAllowed(resource: string, method: string): SandboxResponse {
  return methodNotSupported(resource, method.toLowerCase()).toResponse();
}

export function header(req: SandboxRequest, name: string): string | undefined {
  const v = req.headers[name] ?? req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** JSON or YAML bodies (kubectl sends JSON; `apply-patch+yaml` and hand-made requests send YAML). */
export function readBody(req: SandboxRequest, kind: string): unknown {
  const text = req.body.toString('utf8');
  const type = (header(req, 'content-type') ?? 'application/json').toLowerCase();
  if (isProtobuf(type)) {
    return decodeProtobuf(req.body, kind);
  }
  if (!text.trim()) {
    throw badRequest(`Object 'Kind' is missing in '${text}'`);
  }
  try {
    if (type.includes('yaml')) {
      // sigs.k8s.io/yaml follows YAML 1.1: `yes`, `on`, `true` are booleans.
      return parseYaml(text, { version: '1.1' }) as unknown;
    }
    // `__proto__` is no Kubernetes field; dropping it keeps later spreads and merges plain.
    return JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value)) as unknown;
  } catch (e) {
    throw badRequest(
      `${kind} in version "v1" cannot be handled as a ${kind}: ${type.includes('yaml') ? 'error converting YAML to JSON' : 'invalid character'}: ${(e as Error).message.split('\n')[0]}`,
    );
  }
}

export function fieldManager(req: SandboxRequest): string {
  const explicit = req.query.get('fieldManager');
  if (explicit) return explicit;
  // fieldmanager's default: the user agent up to the first '/'.
  return (header(req, 'user-agent') ?? 'unknown').split('/')[0]?.slice(0, 128) || 'unknown';
}

export function isDryRun(req: SandboxRequest): boolean {
  return req.query.getAll('dryRun').includes('All');
}
