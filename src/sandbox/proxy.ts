import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import { ARM_HOST, GRAPH_HOST, LOGIN_HOST } from './publicNames';
import { createHostCertificate } from './tls';

/** Where a proxied host's requests go inside the sandbox; undefined = refused. */
export interface ProxyTarget {
  /** Key Vault data plane of this vault (lower-case name). */
  vaultName?: string;
  /** Prepended to the request path (an OIDC issuer's or a cluster's path on the main listener). */
  pathPrefix?: string;
}

export interface ProxyOptions {
  caPem: string;
  caKeyPem: string;
  /** Port of the sandbox's main listener: CONNECT to 127.0.0.1 on it (the URLs the sandbox itself hands out) is tunnelled raw. */
  ownPorts: () => number[];
  /** Maps a host name (lower case, no port) to the sandbox service that answers it. */
  resolve(host: string): ProxyTarget | undefined;
  /** The sandbox's request handler; `host` is the public host name the client addressed. */
  serve(req: IncomingMessage, res: ServerResponse, vaultName: string | undefined, host: string): void;
}

export interface SandboxProxy {
  /** `http://127.0.0.1:PORT`, the value of HTTPS_PROXY. */
  url: string;
  close(): Promise<void>;
}

/**
 * An HTTP CONNECT proxy on loopback (RFC 9110 §9.3.6). For the Azure public cloud's host names
 * it terminates TLS with a certificate from the sandbox CA (one per host, made on first use and
 * kept for the process) and hands the decrypted requests to the sandbox; CONNECT to the
 * sandbox's own loopback ports is tunnelled; every other host is refused with 403, so nothing
 * leaves the machine. Plain-HTTP proxy requests are refused too.
 */
export async function startProxy(options: ProxyOptions): Promise<SandboxProxy> {
  const contexts = new Map<string, SecureContext>();
  const contextFor = (host: string): SecureContext => {
    let c = contexts.get(host);
    if (!c) {
      const { certPem, keyPem } = createHostCertificate(options.caPem, options.caKeyPem, host);
      c = createSecureContext({ cert: certPem, key: keyPem });
      contexts.set(host, c);
    }
    return c;
  };
  const terminator = createHttpsServer(
    {
      SNICallback: (servername, cb) => {
        const host = servername.toLowerCase();
        if (!options.resolve(host)) {
          cb(new Error(`not served: ${host}`));
          return;
        }
        try {
          cb(null, contextFor(host));
        } catch (e) {
          cb(e as Error);
        }
      },
    },
    (req, res) => {
      const host = String(req.headers.host ?? '')
        .replace(/:\d+$/, '')
        .toLowerCase();
      const target = options.resolve(host);
      if (!target) {
        res.writeHead(421, { 'content-type': 'text/plain' }).end(`Misdirected request: ${host}\n`);
        return;
      }
      if (target.pathPrefix) req.url = `${target.pathPrefix}${req.url ?? '/'}`;
      options.serve(req, res, target.vaultName, host);
    },
  );
  terminator.keepAliveTimeout = 65_000;
  const tunnels = new Set<Socket>();
  const proxy: Server = createHttpServer((req, res) => {
    res
      .writeHead(403, { 'content-type': 'text/plain' })
      .end('kwi sandbox proxy: only CONNECT to the Azure host names it serves\n');
  });
  proxy.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    tunnels.add(socket);
    socket.on('close', () => tunnels.delete(socket));
    socket.on('error', () => socket.destroy());
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(req.url ?? '');
    const host = m?.[1]?.toLowerCase();
    const port = Number(m?.[2]);
    const refuse = (): void => {
      socket.end(
        `HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\nkwi sandbox proxy: ${host ?? '?'} is not a sandbox host; nothing leaves this machine\n`,
      );
    };
    if (!host) {
      refuse();
      return;
    }
    if ((host === '127.0.0.1' || host === 'localhost') && options.ownPorts().includes(port)) {
      const upstream = connect(port, '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
      return;
    }
    if (port !== 443 || !options.resolve(host)) {
      refuse();
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) socket.unshift(head);
    terminator.emit('connection', socket);
  });
  await new Promise<void>((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    close: async () => {
      for (const s of tunnels) s.destroy();
      terminator.closeAllConnections();
      await new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        proxy.closeAllConnections();
      });
    },
  };
}

/** The Azure public cloud's fixed host names the sandbox answers (the variable ones: vaults, issuers, API servers). */
export const PROXIED_HOSTS = [ARM_HOST, LOGIN_HOST, GRAPH_HOST] as const;
