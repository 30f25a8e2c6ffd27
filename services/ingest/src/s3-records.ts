/**
 * Decodes an S3 event notification as it sits on the `artifacts-s3-notifications` queue, in
 * any of the three shapes S3 can deliver there (DESIGN §7):
 *
 * 1. S3 → SQS directly: `{Records: [...]}`, event message structure 2.x
 *    (docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html);
 *    keys are form-encoded (`+` = space, then percent-encoding; moto also writes `/` as %2F);
 * 2. S3 → SNS → SQS without raw delivery: an SNS envelope `{Type: "Notification", Message}`
 *    whose `Message` is shape 1 (or the test event) as a JSON string;
 * 3. S3 → EventBridge → SQS: `{"detail-type": "Object Created", source: "aws.s3", detail:
 *    {bucket: {name}, object: {key, size, etag, sequencer}}}`; these keys are plain text,
 *    NOT form-encoded (docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html).
 *
 * `s3:TestEvent` (sent when a notification configuration is saved) is returned as `test`.
 * Records of other event names (ObjectRemoved…) are returned in `ignored`. Anything else
 * throws INVALID_EVENT (not retriable): the bus dead-letters the body with the reason.
 *
 * A missing sequencer (moto never sends one) or ETag is returned as ''.
 */
import { invalidEvent, type ObjectCreated } from '@artifact-pipeline/shared';

export type S3Notification =
  | { kind: 'test'; bucket?: string }
  | { kind: 'objects'; objects: ObjectCreated[]; ignored: string[] };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `+` is a space, then percent-decoding (application/x-www-form-urlencoded). */
export function decodeFormKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    throw invalidEvent([`s3.object.key: invalid percent-encoding in ${JSON.stringify(key)}`]);
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** S3 writes ETags without quotes in notifications; strip them if some relay added them. */
function etagOf(value: unknown): string {
  return text(value).replace(/^"(.*)"$/, '$1');
}

function sizeOf(value: unknown, at: string): number {
  if (value === undefined) return 0;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw invalidEvent([`${at}: expected a non-negative integer size (got ${JSON.stringify(value)})`]);
}

function requireString(value: unknown, at: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw invalidEvent([`${at}: expected a non-empty string`]);
}

function fromS3Record(record: unknown, index: number): ObjectCreated | { ignored: string } {
  const at = `Records[${index}]`;
  if (!isObject(record) || !isObject(record.s3)) throw invalidEvent([`${at}: not an S3 event record (no s3 object)`]);
  const eventName = text(record.eventName);
  if (!eventName.startsWith('ObjectCreated:')) return { ignored: eventName || '(no eventName)' };
  const { bucket, object } = record.s3 as { bucket?: unknown; object?: unknown };
  if (!isObject(bucket) || !isObject(object)) throw invalidEvent([`${at}.s3: bucket and object are required`]);
  return {
    bucket: requireString(bucket.name, `${at}.s3.bucket.name`),
    key: decodeFormKey(requireString(object.key, `${at}.s3.object.key`)),
    size: sizeOf(object.size, `${at}.s3.object.size`),
    etag: etagOf(object.eTag),
    sequencer: text(object.sequencer),
  };
}

function fromS3Message(message: Json): S3Notification {
  if (message.Event === 's3:TestEvent') {
    return { kind: 'test', ...(typeof message.Bucket === 'string' ? { bucket: message.Bucket } : {}) };
  }
  if (!Array.isArray(message.Records)) throw invalidEvent(['not an S3 notification: no Records array and not s3:TestEvent']);
  const objects: ObjectCreated[] = [];
  const ignored: string[] = [];
  message.Records.forEach((record, i) => {
    const decoded = fromS3Record(record, i);
    if ('ignored' in decoded) ignored.push(decoded.ignored);
    else objects.push(decoded);
  });
  return { kind: 'objects', objects, ignored };
}

function fromEventBridge(message: Json): S3Notification {
  const type = text(message['detail-type']);
  if (type !== 'Object Created') return { kind: 'objects', objects: [], ignored: [type] };
  const detail = message.detail;
  if (!isObject(detail) || !isObject(detail.bucket) || !isObject(detail.object)) {
    throw invalidEvent(['detail: bucket and object are required in an EventBridge S3 event']);
  }
  const { bucket, object } = detail;
  const created: ObjectCreated = {
    bucket: requireString(bucket.name, 'detail.bucket.name'),
    // EventBridge delivers keys as they are: no form decoding.
    key: requireString(object.key, 'detail.object.key'),
    size: sizeOf(object.size, 'detail.object.size'),
    etag: etagOf(object.etag),
    sequencer: text(object.sequencer),
  };
  return { kind: 'objects', objects: [created], ignored: [] };
}

function fromSnsEnvelope(envelope: Json): S3Notification {
  let inner: unknown;
  try {
    inner = JSON.parse(text(envelope.Message));
  } catch {
    throw invalidEvent(['Message: an SNS notification must carry the S3 event as a JSON string']);
  }
  if (!isObject(inner)) throw invalidEvent(['Message: expected a JSON object']);
  return fromS3Message(inner);
}

/** `body` is the SQS message body, already parsed as JSON by the bus (consumeRaw). */
export function decodeS3Notification(body: unknown): S3Notification {
  if (!isObject(body)) throw invalidEvent(['not an S3 notification: expected a JSON object']);
  if (body.Type === 'Notification' && typeof body.Message === 'string') return fromSnsEnvelope(body);
  if (body.source === 'aws.s3' && 'detail-type' in body) return fromEventBridge(body);
  return fromS3Message(body);
}
