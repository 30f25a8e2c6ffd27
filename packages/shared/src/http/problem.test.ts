import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, PipelineError } from '../errors.js';
import { PROBLEM_CONTENT_TYPE, STATUS_BY_CODE, problem, problemFromError, statusForCode } from './problem.js';

const make = suite('problem');

make('is a function and the media type is RFC 9457 §3', () => {
  assert.type(problem, 'function');
  assert.is(PROBLEM_CONTENT_TYPE, 'application/problem+json');
});

make('builds the members, about:blank by default, detail only when given', () => {
  assert.equal(problem(404, 'NOT_FOUND', 'Not Found'), { type: 'about:blank', status: 404, title: 'Not Found', code: 'NOT_FOUND' });
  const full = problem(400, 'INVALID_INPUT', 'Bad Request', 'name is required', { field: 'name', type: 'tag:x' });
  assert.equal(full, { type: 'tag:x', field: 'name', status: 400, title: 'Bad Request', code: 'INVALID_INPUT', detail: 'name is required' });
});

make('extensions cannot overwrite status, title or code', () => {
  const p = problem(413, 'PAYLOAD_TOO_LARGE', 'Payload Too Large', undefined, { status: 200, code: 'OK' });
  assert.is(p.status, 413);
  assert.is(p.code, 'PAYLOAD_TOO_LARGE');
});

make.run();

const table = suite('statusForCode');

table('maps the pipeline codes as the API documents them', () => {
  const expected: Record<string, number> = {
    INVALID_INPUT: 400, INVALID_EVENT: 400, UNAUTHORIZED: 401, ACCESS_DENIED: 403, NOT_FOUND: 404,
    METHOD_NOT_ALLOWED: 405, CONFLICT: 409, PAYLOAD_TOO_LARGE: 413, UNSUPPORTED_MEDIA_TYPE: 415,
    IDEMPOTENCY_MISMATCH: 422, INTERNAL: 500, UNAVAILABLE: 503, TIMEOUT: 504,
  };
  for (const [code, status] of Object.entries(expected)) assert.is(statusForCode(code), status, code);
});

table('unknown codes are 500, and every status in the table is an error status', () => {
  assert.is(statusForCode('SOMETHING_NEW'), 500);
  for (const status of Object.values(STATUS_BY_CODE)) assert.ok(status >= 400 && status <= 599);
});

table.run();

const fromError = suite('problemFromError');

fromError('a 4xx PipelineError keeps its code, message and context', () => {
  const err = new PipelineError('source.prefix is required', {
    code: ErrorCode.INVALID_INPUT, retriable: false, context: { field: 'source.prefix' },
  });
  const p = problemFromError(err);
  assert.is(p.status, 400);
  assert.is(p.code, 'INVALID_INPUT');
  assert.is(p.title, 'Bad Request');
  assert.is(p.detail, 'source.prefix is required');
  assert.equal(p.context, { field: 'source.prefix' });
});

fromError('a 5xx PipelineError keeps its code but not its message', () => {
  const err = new PipelineError('connect ECONNREFUSED 10.1.2.3:6379', { code: ErrorCode.UNAVAILABLE, retriable: true });
  const p = problemFromError(err);
  assert.is(p.status, 503);
  assert.is(p.code, 'UNAVAILABLE');
  assert.not.match(JSON.stringify(p), '10.1.2.3');
});

fromError('anything else is 500 INTERNAL without the message', () => {
  for (const thrown of [new TypeError('secret internals'), 'a string', { code: 'WEIRD', message: 'secret internals' }]) {
    const p = problemFromError(thrown);
    assert.is(p.status, 500);
    assert.is(p.code, 'INTERNAL');
    assert.not.match(JSON.stringify(p), 'secret');
  }
});

fromError('a PipelineError with a code the table does not know is 500 INTERNAL', () => {
  const p = problemFromError(new PipelineError('odd', { code: 'BRAND_NEW', retriable: false }));
  assert.is(p.status, 500);
  assert.is(p.code, 'INTERNAL');
});

fromError('http-errors map by status; the message shows only when exposed', () => {
  const exposed = Object.assign(new Error('no such job'), { status: 404, expose: true });
  assert.equal([problemFromError(exposed).code, problemFromError(exposed).detail], ['NOT_FOUND', 'no such job']);
  const hidden = Object.assign(new Error('pool exhausted at db-7'), { status: 503, expose: false });
  const p = problemFromError(hidden);
  assert.is(p.status, 503);
  assert.is(p.code, 'UNAVAILABLE');
  assert.not.match(JSON.stringify(p), 'db-7');
});

fromError.run();
