/**
 * Samples written by hand from AWS's documented shapes:
 * - S3 event message structure 2.1 (AmazonS3/latest/userguide/notification-content-structure.html);
 * - the SNS envelope SQS receives without raw message delivery (sns/latest/dg/sns-message-and-json-formats.html);
 * - EventBridge "Object Created" (AmazonS3/latest/userguide/ev-events.html).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, isPipelineError } from '@artifact-pipeline/shared';
import { decodeFormKey, decodeS3Notification } from './s3-records.js';

const s3Record = (key: string, extra: Record<string, unknown> = {}) => ({
  eventVersion: '2.1',
  eventSource: 'aws:s3',
  awsRegion: 'us-east-1',
  eventTime: '2024-05-06T07:08:09.123Z',
  eventName: 'ObjectCreated:Put',
  userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
  requestParameters: { sourceIPAddress: '203.0.113.10' },
  responseElements: { 'x-amz-request-id': 'C3D13FE58DE4C810', 'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD' },
  s3: {
    s3SchemaVersion: '1.0',
    configurationId: 'ingest',
    bucket: { name: 'uploads', ownerIdentity: { principalId: 'A3NL1KOZZKExample' }, arn: 'arn:aws:s3:::uploads' },
    object: { key, size: 1024, eTag: 'd41d8cd98f00b204e9800998ecf8427e', versionId: '096fKKXTRTtl3on89fVO.nfljtsv6qko', sequencer: '0055AED6DCD90281E5' },
  },
  ...extra,
});

const direct = { Records: [s3Record('inbox/team+a/batch%C3%BC+1/_READY')] };
const testEvent = {
  Service: 'Amazon S3', Event: 's3:TestEvent', Time: '2024-05-06T07:08:09.000Z', Bucket: 'uploads',
  RequestId: '5582815E1AEA5ADF', HostId: '8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE',
};
const snsEnvelope = (message: unknown) => ({
  Type: 'Notification',
  MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
  TopicArn: 'arn:aws:sns:us-east-1:123456789012:s3-drops',
  Subject: 'Amazon S3 Notification',
  Message: JSON.stringify(message),
  Timestamp: '2024-05-06T07:08:09.500Z',
  SignatureVersion: '1',
  Signature: 'EXAMPLEpH+..',
  SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
  UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:123456789012:s3-drops:c9135db0',
});
const eventBridge = {
  version: '0',
  id: '17793124-05d4-b198-2fde-7ededc63b103',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: '123456789012',
  time: '2024-05-06T07:08:09Z',
  region: 'us-east-1',
  resources: ['arn:aws:s3:::uploads'],
  detail: {
    version: '0',
    bucket: { name: 'uploads' },
    object: { key: 'inbox/team a/b+1/_READY', size: 5, etag: 'b1946ac92492d2347c6235b4d2611184', 'version-id': 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e', sequencer: '00617F08299329D189' },
    'request-id': 'N4N7GDK58NMKJ12R',
    requester: '123456789012',
    'source-ip-address': '1.2.3.4',
    reason: 'PutObject',
  },
};

function invalidReason(body: unknown): string {
  try {
    decodeS3Notification(body);
  } catch (err) {
    assert.ok(isPipelineError(err), 'a PipelineError');
    assert.is(err.code, ErrorCode.INVALID_EVENT);
    assert.is(err.retriable, false);
    return err.message;
  }
  throw new Error('expected INVALID_EVENT');
}

const Key = suite('decodeFormKey');

Key('turns + into a space, then percent-decodes (a literal + arrives as %2B)', () => {
  assert.is(decodeFormKey('inbox%2Fteam+a%2Freport%2Bfinal+%C3%BC.txt'), 'inbox/team a/report+final ü.txt');
  assert.is(decodeFormKey('plain/key.txt'), 'plain/key.txt');
});

Key('refuses broken percent-encoding with INVALID_EVENT', () => {
  assert.throws(() => decodeFormKey('bad%E0%A4%A'), (err: unknown) => isPipelineError(err) && err.code === ErrorCode.INVALID_EVENT);
});

Key.run();

const Decode = suite('decodeS3Notification');

Decode('direct S3 → SQS records: bucket, decoded key, size, etag, sequencer', () => {
  assert.equal(decodeS3Notification(direct), {
    kind: 'objects',
    objects: [{ bucket: 'uploads', key: 'inbox/team a/batchü 1/_READY', size: 1024, etag: 'd41d8cd98f00b204e9800998ecf8427e', sequencer: '0055AED6DCD90281E5' }],
    ignored: [],
  });
});

Decode('several records, other event names ignored, missing sequencer and etag as ""', () => {
  const record = s3Record('a%2Fb.txt');
  const bare = { ...record, s3: { ...record.s3, object: { key: 'c.txt', size: 3 } } };
  const decoded = decodeS3Notification({ Records: [record, s3Record('x', { eventName: 'ObjectRemoved:Delete' }), bare] });
  assert.equal(decoded.kind === 'objects' && decoded.objects.map((o) => [o.key, o.etag, o.sequencer]), [
    ['a/b.txt', 'd41d8cd98f00b204e9800998ecf8427e', '0055AED6DCD90281E5'],
    ['c.txt', '', ''],
  ]);
  assert.equal(decoded.kind === 'objects' && decoded.ignored, ['ObjectRemoved:Delete']);
});

Decode('s3:TestEvent is recognised, directly and through SNS', () => {
  assert.equal(decodeS3Notification(testEvent), { kind: 'test', bucket: 'uploads' });
  assert.equal(decodeS3Notification(snsEnvelope(testEvent)), { kind: 'test', bucket: 'uploads' });
});

Decode('the SNS-wrapped shape decodes the records in Message', () => {
  assert.equal(decodeS3Notification(snsEnvelope(direct)), decodeS3Notification(direct));
});

Decode('the EventBridge shape: keys are taken as they are, not form-decoded', () => {
  assert.equal(decodeS3Notification(eventBridge), {
    kind: 'objects',
    objects: [{ bucket: 'uploads', key: 'inbox/team a/b+1/_READY', size: 5, etag: 'b1946ac92492d2347c6235b4d2611184', sequencer: '00617F08299329D189' }],
    ignored: [],
  });
  assert.equal(decodeS3Notification({ ...eventBridge, 'detail-type': 'Object Deleted' }), { kind: 'objects', objects: [], ignored: ['Object Deleted'] });
});

Decode('anything else is INVALID_EVENT with the reason', () => {
  assert.match(invalidReason('just text'), /expected a JSON object/);
  assert.match(invalidReason({ hello: 'world' }), /no Records array/);
  assert.match(invalidReason({ Records: [{ eventName: 'ObjectCreated:Put' }] }), /Records\[0\]: not an S3 event record/);
  assert.match(invalidReason({ Records: [s3Record('k', { s3: { bucket: { name: 'b' }, object: { key: '' } } })] }), /s3\.object\.key/);
  assert.match(invalidReason({ Records: [s3Record('k', { s3: { bucket: { name: 'b' }, object: { key: 'k', size: -1 } } })] }), /size/);
  assert.match(invalidReason({ Type: 'Notification', Message: 'not json' }), /Message: an SNS notification/);
  assert.match(invalidReason({ ...eventBridge, detail: { bucket: { name: 'uploads' } } }), /detail: bucket and object/);
});

Decode.run();
