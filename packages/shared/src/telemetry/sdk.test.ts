import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { context, diag, propagation, trace } from '@opentelemetry/api';
import { silentLogger } from '../logger.js';
import { currentTraceparent } from './propagation.js';
import { startTelemetry } from './sdk.js';

/** A stand-in OTLP/HTTP JSON collector on loopback: keeps every export request body. */
interface Ctx { collector: Server; endpoint: string; exports: string[]; savedEnv: Record<string, string | undefined> }

const OTEL_VARS = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_TRACES_EXPORTER',
  'OTEL_SERVICE_NAME', 'OTEL_SDK_DISABLED', 'OTEL_NODE_RESOURCE_DETECTORS'];

const sdk = suite<Ctx>('startTelemetry', {} as Ctx);

sdk.before(async (ctx) => {
  ctx.exports = [];
  ctx.savedEnv = Object.fromEntries(OTEL_VARS.map((n) => [n, process.env[n]]));
  ctx.collector = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      if (req.url === '/v1/traces') ctx.exports.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => ctx.collector.listen(0, '127.0.0.1', r));
  ctx.endpoint = `http://127.0.0.1:${(ctx.collector.address() as AddressInfo).port}`;
});

sdk.before.each((ctx) => {
  ctx.exports.length = 0;
  Object.assign(process.env, {
    OTEL_EXPORTER_OTLP_ENDPOINT: ctx.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_NODE_RESOURCE_DETECTORS: 'env',
  });
  delete process.env.OTEL_SERVICE_NAME;
  delete process.env.OTEL_SDK_DISABLED;
});

sdk.after.each(() => {
  // The SDK leaves its globals registered after shutdown (a process exits next); clear them
  // so the next test, or the next test file, can register its own.
  trace.disable();
  context.disable();
  propagation.disable();
  diag.disable();
});

sdk.after(async (ctx) => {
  for (const [name, value] of Object.entries(ctx.savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await new Promise<void>((r) => ctx.collector.close(() => r()));
});

sdk('is a function returning shutdown', () => {
  assert.type(startTelemetry, 'function');
});

sdk('spans reach the OTLP endpoint with the service name and version; W3C context propagates', async (ctx) => {
  const telemetry = startTelemetry({ service: 'zipper', version: '1.2.3', logger: silentLogger() });
  let traceparent: string | undefined;
  trace.getTracer('test').startActiveSpan('zip one job', (span) => {
    traceparent = currentTraceparent();
    span.end();
  });
  assert.match(traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  await telemetry.shutdown();
  const sent = ctx.exports.join('\n');
  assert.match(sent, '"zip one job"');
  assert.match(sent, /"service\.name","value":\{"stringValue":"zipper"\}/);
  assert.match(sent, /"service\.version","value":\{"stringValue":"1\.2\.3"\}/);
});

sdk('OTEL_SERVICE_NAME wins over the service given in code', async (ctx) => {
  process.env.OTEL_SERVICE_NAME = 'zipper-canary';
  const telemetry = startTelemetry({ service: 'zipper' });
  trace.getTracer('test').startSpan('named by the environment').end();
  await telemetry.shutdown();
  assert.match(ctx.exports.join('\n'), /"service\.name","value":\{"stringValue":"zipper-canary"\}/);
});

sdk('OTEL_SDK_DISABLED=true exports nothing and shutdown still resolves', async (ctx) => {
  process.env.OTEL_SDK_DISABLED = 'true';
  const telemetry = startTelemetry({ service: 'zipper' });
  trace.getTracer('test').startSpan('never exported').end();
  await telemetry.shutdown();
  await telemetry.shutdown();
  assert.is(ctx.exports.length, 0);
});

sdk.run();
