/**
 * The request/response shapes every sandbox service handler speaks. The server (server.ts)
 * reads the whole body, collapses leading slashes (SDKs send `PUT //subscriptions/…`), and
 * serializes the response; handlers stay pure functions of (state, request).
 */
export interface SandboxRequest {
  readonly method: string;
  /** Path with leading slashes collapsed to one, percent-decoding NOT applied. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  /** `https://127.0.0.1:PORT`, for building the absolute URLs SDKs follow verbatim. */
  readonly origin: string;
}

export interface SandboxResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Objects are sent as JSON; strings and Buffers as they are; undefined as an empty body. */
  readonly body?: unknown;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): SandboxResponse {
  return { status, body, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } };
}
