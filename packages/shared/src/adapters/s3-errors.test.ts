import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, PipelineError } from '../errors.js';
import { toS3PipelineError } from './s3-errors.js';

/** An error shaped like the SDK's service exceptions: name = S3 code, $metadata.httpStatusCode. */
function s3Error(name: string, status?: number): Error {
  return Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });
}

const where = { operation: 'GetObject', bucket: 'b', key: 'k' };
const mapped = (err: unknown): [string, boolean] => {
  const e = toS3PipelineError(err, where);
  return [e.code, e.retriable];
};

const toError = suite('toS3PipelineError');

toError('is a function', () => {
  assert.type(toS3PipelineError, 'function');
});

toError('missing things are not retried', () => {
  assert.equal(mapped(s3Error('NoSuchKey', 404)), [ErrorCode.NOT_FOUND, false]);
  assert.equal(mapped(s3Error('NotFound', 404)), [ErrorCode.NOT_FOUND, false]);
  assert.equal(mapped(s3Error('NoSuchBucket', 404)), [ErrorCode.SOURCE_NOT_FOUND, false]);
});

toError('denied access is not retried, by code or by a bare 403', () => {
  assert.equal(mapped(s3Error('AccessDenied', 403)), [ErrorCode.ACCESS_DENIED, false]);
  assert.equal(mapped(s3Error('Forbidden', 403)), [ErrorCode.ACCESS_DENIED, false]);
  assert.equal(mapped(s3Error('UnknownError', 403)), [ErrorCode.ACCESS_DENIED, false]);
  assert.equal(mapped(s3Error('InvalidAccessKeyId', 403)), [ErrorCode.ACCESS_DENIED, false]);
});

toError('throttling, 5xx and connection resets are retriable', () => {
  assert.equal(mapped(s3Error('SlowDown', 503)), [ErrorCode.THROTTLED, true]);
  assert.equal(mapped(s3Error('InternalError', 500)), [ErrorCode.UNAVAILABLE, true]);
  assert.equal(mapped(s3Error('UnknownError', 502)), [ErrorCode.UNAVAILABLE, true]);
  assert.equal(mapped(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })), [ErrorCode.UNAVAILABLE, true]);
});

toError('bad requests are INVALID_INPUT; the unknown is INTERNAL; neither retried', () => {
  assert.equal(mapped(s3Error('InvalidRange', 416)), [ErrorCode.INVALID_INPUT, false]);
  assert.equal(mapped(s3Error('InvalidBucketName', 400)), [ErrorCode.INVALID_INPUT, false]);
  assert.equal(mapped(new TypeError('x is not a function')), [ErrorCode.INTERNAL, false]);
});

toError('an abort is ABORTED (work stopped on purpose, may be redone)', () => {
  assert.equal(mapped(s3Error('AbortError')), [ErrorCode.ABORTED, true]);
});

toError('a PipelineError passes through unchanged', () => {
  const original = new PipelineError('source gone', { code: ErrorCode.SOURCE_NOT_FOUND, retriable: false });
  assert.is(toS3PipelineError(original, where), original);
});

toError('keeps the S3 facts in the context and the original as cause', () => {
  const cause = s3Error('NoSuchKey', 404);
  const err = toS3PipelineError(cause, where);
  assert.is(err.cause, cause);
  assert.equal(err.context, { ...where, s3Code: 'NoSuchKey', httpStatus: 404 });
  assert.match(err.message, 's3://b/k');
});

toError.run();
