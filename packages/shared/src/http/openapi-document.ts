/**
 * The OpenAPI 3.1 document of ingest and status (openapi.json beside this file), and the
 * route that serves it at GET /v1/openapi.json (no token needed). Both services mount it.
 */
import document from './openapi.json' with { type: 'json' };
import { createRouter, type HttpRouter } from './router.js';

/** The document as parsed JSON; treat as read-only. */
export const openApiDocument: Readonly<Record<string, unknown>> = Object.freeze(document as Record<string, unknown>);

export function openApiRoutes(): HttpRouter {
  const router = createRouter();
  const body = JSON.stringify(document);
  router.get('/v1/openapi.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = body;
  });
  return router;
}
