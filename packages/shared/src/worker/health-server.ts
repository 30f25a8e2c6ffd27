/**
 * GET /healthz (the process runs), /readyz (its dependencies answer) and /metrics
 * (Prometheus) for a worker that has no API of its own. Plain node:http: three fixed
 * routes do not need a framework.
 */
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface HealthServerOptions {
  ready: () => Promise<void>;
  registry: Registry;
  /** Longest a readiness check may take, in ms. Default 5,000. */
  readyTimeoutMs?: number;
}

export function createHealthServer({ ready, registry, readyTimeoutMs = 5_000 }: HealthServerOptions): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed\n');
    if (path === '/healthz') return send(200, 'application/json', '{"status":"ok"}\n');
    if (path === '/readyz') {
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('readiness check timed out')), readyTimeoutMs).unref());
      void Promise.race([ready(), timeout]).then(
        () => send(200, 'application/json', '{"status":"ready"}\n'),
        (err: unknown) => send(503, 'application/json', `${JSON.stringify({ status: 'not ready', error: err instanceof Error ? err.message : String(err) })}\n`),
      );
      return;
    }
    if (path === '/metrics') {
      void registry.metrics().then(
        (text) => send(200, registry.contentType, text),
        () => send(500, 'text/plain', 'metrics unavailable\n'),
      );
      return;
    }
    send(404, 'text/plain', 'not found\n');
  });
}
