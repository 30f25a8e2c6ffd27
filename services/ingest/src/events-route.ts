/**
 * POST /v1/events (DESIGN §6): a CloudEvent from another system over the CloudEvents HTTP
 * binding (http-protocol-binding.md 1.0.2), binary mode (§3.1: `ce-*` headers, body = data)
 * or structured mode (§3.2: `application/cloudevents+json`); batches are refused.
 *
 * Accepts what artifacts.inbound accepts (inbound-accept.ts), with the caller's token
 * deciding the owner: `data.owner` (or the owner an object.created key names) must be the
 * token's owner unless the token has the admin scope (else 403 ACCESS_DENIED).
 *
 * Answers: 202 with the job, `Location`, `Retry-After` (a copy of an earlier event: the same
 * job, `Idempotent-Replayed: true`); an object.created no rule matches: 202 `{job: null,
 * reason}`; an invalid event: 400 INVALID_EVENT problem+json naming what is wrong; a body
 * that is not JSON: 400 INVALID_INPUT; over 16 MiB: 413.
 *
 * A binary-mode request without Content-Type is read as JSON (docs/events.md: an absent
 * datacontenttype is accepted): the official Python SDK's binary mode sends none, and the
 * Kafka binding accepts the same event.
 */
import { ErrorCode, PipelineError } from '@artifact-pipeline/shared';
import { fromHttpRequest } from '@artifact-pipeline/shared';
import { principalOf } from '@artifact-pipeline/shared/http/auth';
import { jsonBody } from '@artifact-pipeline/shared/http/json-body';
import { createRouter, type HttpMiddleware, type HttpRouter } from '@artifact-pipeline/shared/http/router';
import { toJobView } from './http-job-view.js';
import { acceptInboundEvent, type InboundDeps } from './inbound-accept.js';
import { POLL_AFTER_SECONDS } from './routes-commands.js';

/** The largest event: a zip.requested with 100,000 keys, as for POST /v1/zip-jobs. */
export const EVENT_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

export type EventsRouteDeps = Omit<InboundDeps, 'authorize' | 'admin'>;

/**
 * A body without Content-Type is given to the JSON parser as application/json; the codec
 * still sees the headers as sent (`ctx.state.sentHeaders`), so the event's datacontenttype
 * stays absent (parseEvent normalises it) rather than one the client never named.
 */
const untypedAsJson: HttpMiddleware = async (ctx, next) => {
  const hasBody = (ctx.request.length ?? 0) > 0 || ctx.get('transfer-encoding') !== '';
  if (ctx.get('content-type') === '' && hasBody) {
    (ctx.state as { sentHeaders?: typeof ctx.headers }).sentHeaders = { ...ctx.headers };
    ctx.req.headers['content-type'] = 'application/json';
  }
  await next();
};

export function eventsRoute(deps: EventsRouteDeps): HttpRouter {
  const router = createRouter();
  router.post('/v1/events', untypedAsJson, jsonBody({ limitBytes: EVENT_BODY_LIMIT_BYTES, types: ['application/cloudevents+json'] }), async (ctx) => {
    const principal = principalOf(ctx);
    const raw = (ctx.request as { rawBody?: string }).rawBody;
    const headers = (ctx.state as { sentHeaders?: typeof ctx.headers }).sentHeaders ?? ctx.headers;
    const event = fromHttpRequest(headers, raw ?? (ctx.request as { body?: object }).body ?? '', { allowMissingJobId: true });
    const authorize = (owner: string): void => {
      if (principal.admin || owner === principal.owner) return;
      throw new PipelineError(`this token may not start jobs for owner ${JSON.stringify(owner)}`, { code: ErrorCode.ACCESS_DENIED, retriable: false });
    };
    const { job, created } = await acceptInboundEvent({ ...deps, authorize, admin: principal.admin }, event);
    ctx.status = 202;
    if (job === undefined) {
      ctx.body = { job: null, reason: 'no INGEST_RULES rule matches the object' };
      return;
    }
    if (!created) ctx.set('Idempotent-Replayed', 'true');
    ctx.set('Location', toJobView(job).links.self);
    ctx.set('Retry-After', String(POLL_AFTER_SECONDS));
    ctx.body = toJobView(job);
  });
  return router;
}
