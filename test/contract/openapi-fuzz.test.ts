/**
 * schemathesis over both services' OpenAPI document (the one each serves at
 * /v1/openapi.json), against real Redis, moto S3/SQS and JWT auth: no 5xx, no request the
 * document allows refused, no request it forbids accepted, every answer of a documented
 * status, content type, headers and body, and 405 with Allow for undocumented methods.
 * Bounded and deterministic: a fixed seed, 15 examples per operation, one worker, no
 * stateful phase; the SSE path streams a final job, so each stream ends.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runSchemathesis, startFuzzTargets, type FuzzTargets, type SchemathesisRun } from './openapi-fuzz-support.js';

interface Ctx { targets: FuzzTargets }

const fuzz = suite<Ctx>('schemathesis over the OpenAPI document');
fuzz.after(async (ctx) => ctx.targets?.close());

function summary(run: SchemathesisRun): string {
  const from = run.output.indexOf('FAILURES');
  return from >= 0 ? run.output.slice(from, from + 8_000) : run.output.slice(-4_000);
}

function assertClean(run: SchemathesisRun, operations: number): void {
  assert.ok(run.code === 0, `schemathesis reported problems (exit ${run.code}):\n${summary(run)}`);
  // A run that tested nothing also exits 0: prove it reached every operation.
  const tested = /Tested:\s+(\d+)/.exec(run.output);
  assert.is(Number(tested?.[1]), operations, `operations tested:\n${run.output.slice(-2_000)}`);
  assert.match(run.output, /No issues found|0 failures|passed/);
}

fuzz('the services start and serve the document', async (ctx) => {
  ctx.targets = await startFuzzTargets();
  const res = await fetch(`${ctx.targets.statusUrl}/v1/openapi.json`);
  assert.is(res.status, 200);
});

fuzz('ingest: every operation of the ingest tag conforms', async ({ targets }) => {
  const run = await runSchemathesis({
    base: targets.ingest.base, token: targets.ingestToken, filter: ['--include-tag', 'ingest'],
    env: { FUZZ_JOB_ID: targets.doneJobId, FUZZ_CURSOR: targets.cursor },
  });
  assertClean(run, 5);
});

fuzz('status: the job routes, SSE included, and the health routes conform', async ({ targets }) => {
  const run = await runSchemathesis({
    base: targets.statusUrl, token: targets.statusToken, filter: ['--exclude-tag', 'ingest'],
    env: { FUZZ_JOB_ID: targets.doneJobId, FUZZ_CURSOR: targets.cursor },
  });
  assertClean(run, 7);
});

fuzz.run();
