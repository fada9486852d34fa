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
  /**
   * The origin the client addressed, for building the absolute URLs SDKs follow verbatim:
   * `https://127.0.0.1:PORT`, or through the proxy the public host (`https://management.azure.com`).
   */
  readonly origin: string;
  /** The client came through the proxy under the Azure public cloud's names: URLs in the answer use them too (publicNames.ts). */
  readonly publicNames?: boolean;
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

/** Where a streamed response writes (a Kubernetes watch): chunks, the end, and the client going away. */
export interface StreamSink {
  write(chunk: string): void;
  end(): void;
  /** Called once when the client closes the connection or the stream ends. */
  onClose(cb: () => void): void;
}

/**
 * A response body sent chunk by chunk (`Transfer-Encoding: chunked`) until the handler ends it
 * or the client disconnects: `watch=true` requests, which a real API server keeps open.
 */
export class StreamBody {
  constructor(readonly start: (sink: StreamSink) => void) {}
}

/** Sends a StreamBody on a Node response (server.ts and the test harness share this). */
export function sendStream(res: import('node:http').ServerResponse, r: SandboxResponse & { body: StreamBody }): void {
  res.writeHead(r.status, { ...r.headers, 'transfer-encoding': 'chunked', 'cache-control': 'no-cache, private' });
  res.flushHeaders();
  const closers: (() => void)[] = [];
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    for (const cb of closers.splice(0)) cb();
  };
  res.on('close', close);
  r.body.start({
    write: (chunk) => {
      if (!closed && !res.destroyed) res.write(chunk);
    },
    end: () => {
      if (!res.destroyed) res.end();
      close();
    },
    onClose: (cb) => {
      if (closed) cb();
      else closers.push(cb);
    },
  });
}
