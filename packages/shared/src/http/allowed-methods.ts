/**
 * 405 Method Not Allowed with `Allow` for a path that some route answers under other
 * methods — whatever the method: TRACE, QUERY, PUT, or one no router knows (RFC 9110
 * §15.5.6 requires the `Allow` header). @koa/router's own allowedMethods answers 501 for a
 * method missing from its list, which dashboards and alarms count as a server error; this
 * one never does. OPTIONS on such a path answers 200 with `Allow`. A path no route
 * matches stays 404. Mount it once, before every router: it reads `ctx.matched`, which
 * collects the matching layers of every router the request went through.
 */
import type { HttpMiddleware } from './router.js';

interface MatchedLayer {
  methods: string[];
}

export function allowedMethods(): HttpMiddleware {
  return async (ctx, next) => {
    await next();
    if (ctx.status !== 404 || ctx.body != null) return;
    const matched = (ctx as { matched?: MatchedLayer[] }).matched ?? [];
    const allowed = [...new Set(matched.flatMap((layer) => layer.methods))];
    if (allowed.length === 0 || allowed.includes(ctx.method)) return;
    ctx.set('Allow', allowed.join(', '));
    if (ctx.method === 'OPTIONS') {
      ctx.status = 200;
      ctx.body = '';
      return;
    }
    ctx.status = 405;
  };
}
