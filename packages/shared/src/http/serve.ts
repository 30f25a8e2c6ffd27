/**
 * Puts an app on a port, and takes it off gracefully: `close(deadlineMs)` stops accepting,
 * lets in-flight requests finish until the deadline, then destroys whatever is still open
 * (slow requests, keep-alive sockets, Server-Sent Event streams).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Anything with koa's `callback()`, or a plain Node request listener. */
export type HttpHandler =
  | { callback(): (req: IncomingMessage, res: ServerResponse) => void }
  | ((req: IncomingMessage, res: ServerResponse) => void);

export interface ListenOptions {
  /** 0 picks a free port (tests). */
  port: number;
  /** Interface to bind. Default: every interface (what a pod needs). Tests pass 127.0.0.1. */
  host?: string;
  /** Idle keep-alive lifetime (HTTP_KEEP_ALIVE_SECONDS); Node's own 5 s when absent. */
  keepAliveSeconds?: number;
}

/**
 * Keeps idle keep-alive connections open `seconds` (announced in `Keep-Alive: timeout=`).
 * Behind a load balancer this must outlast the balancer's idle timeout: otherwise the server
 * may close a connection just as the balancer sends the next request down it, and the user
 * gets a 502 for a request the service never saw. The header deadline is kept above it, so a
 * connection's idle time is never mistaken for a slow request's headers.
 */
export function keepIdleConnections(server: Server, seconds: number): void {
  server.keepAliveTimeout = seconds * 1000;
  server.headersTimeout = Math.max(server.headersTimeout, seconds * 1000 + 1000);
}

export interface Served {
  server: Server;
  /** `http://host:port` to reach it; 127.0.0.1 when bound to every interface. */
  url: string;
  /**
   * Aborts when close() starts: long responses (SSE) can end themselves cleanly instead
   * of being cut at the deadline.
   */
  closing: AbortSignal;
  /** Stops accepting; waits up to `deadlineMs` for in-flight requests, then destroys the rest. */
  close(deadlineMs: number): Promise<void>;
}

export async function listen(handler: HttpHandler, { port, host, keepAliveSeconds }: ListenOptions): Promise<Served> {
  const listener = typeof handler === 'function' ? handler : handler.callback();
  const server = createServer(listener);
  if (keepAliveSeconds !== undefined) keepIdleConnections(server, keepAliveSeconds);
  const closingController = new AbortController();
  /** Requests in flight per open socket; a socket at 0 is idle (keep-alive). */
  const inFlight = new Map<Socket, number>();

  server.on('connection', (socket: Socket) => {
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    // Once closing, tell keep-alive clients not to send another request on this socket.
    if (closingController.signal.aborted && !res.headersSent) res.setHeader('Connection', 'close');
    res.once('close', () => {
      const left = Math.max(0, (inFlight.get(socket) ?? 1) - 1);
      inFlight.set(socket, left);
      // end(), not destroy(): the response's last bytes may still be in the socket's buffer.
      if (closingController.signal.aborted && left === 0) socket.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const reachable = host === undefined || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const url = `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${address.port}`;

  let closed: Promise<void> | undefined;
  function close(deadlineMs: number): Promise<void> {
    closed ??= new Promise<void>((resolve) => {
      closingController.abort(new Error('server closing'));
      const timer = setTimeout(() => {
        server.closeAllConnections();
        for (const socket of inFlight.keys()) socket.destroy();
      }, Math.max(0, deadlineMs));
      // Resolves once every connection is gone: in-flight ones finished, or destroyed above.
      server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      for (const [socket, count] of inFlight) if (count === 0) socket.end();
    });
    return closed;
  }

  return { server, url, closing: closingController.signal, close };
}
