/**
 * The bucket lifecycle rule that aborts incomplete multipart uploads (S3 user guide,
 * "Configuring a bucket lifecycle configuration to delete incomplete multipart uploads"):
 * `artifacts provision` sets it as terraform/s3.tf does, so the parts of a worker killed
 * mid-upload — and never retried — stop being billed after `days`. Idempotent: a rule for
 * the whole bucket that already aborts uploads is kept (`found`); otherwise the rule is added
 * beside the bucket's other rules (`created`) — PutBucketLifecycleConfiguration replaces the
 * whole set, so the existing ones are read first.
 */
import { GetBucketLifecycleConfigurationCommand, PutBucketLifecycleConfigurationCommand, type LifecycleRule } from '@aws-sdk/client-s3';
import { errorCode } from '../errors.js';
import { createS3Clients, type S3ConnectionOptions } from './s3-client.js';
import { toS3PipelineError } from './s3-errors.js';

export const ABORT_UPLOADS_RULE_ID = 'abort-incomplete-multipart-uploads';

export interface AbortUploadsRuleOptions extends S3ConnectionOptions {
  bucket: string;
  /** DaysAfterInitiation; default 1, as in terraform/s3.tf. */
  days?: number;
}

/** Whole bucket: no filter, an empty prefix, or an empty `And` (each form S3 may hand back). */
function coversBucket(rule: LifecycleRule): boolean {
  const filter = rule.Filter;
  if (filter === undefined) return (rule.Prefix ?? '') === '';
  return (filter.Prefix ?? '') === '' && filter.Tag === undefined && filter.And === undefined
    && filter.ObjectSizeGreaterThan === undefined && filter.ObjectSizeLessThan === undefined;
}

export async function ensureAbortIncompleteUploadsRule(options: AbortUploadsRuleOptions): Promise<{ outcome: 'created' | 'found' }> {
  const { bucket, days = 1, ...connection } = options;
  const s3 = createS3Clients(connection);
  try {
    let rules: LifecycleRule[] = [];
    try {
      rules = (await s3.client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? [];
    } catch (err) {
      if (errorCode(err) !== 'NoSuchLifecycleConfiguration') throw toS3PipelineError(err, { operation: 'GetBucketLifecycleConfiguration', bucket });
    }
    const present = rules.some((r) => r.Status === 'Enabled' && r.AbortIncompleteMultipartUpload?.DaysAfterInitiation !== undefined && coversBucket(r));
    if (present) return { outcome: 'found' };
    const rule: LifecycleRule = {
      ID: ABORT_UPLOADS_RULE_ID,
      Status: 'Enabled',
      Filter: { Prefix: '' },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: days },
    };
    try {
      await s3.client.send(new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: { Rules: [...rules.filter((r) => r.ID !== ABORT_UPLOADS_RULE_ID), rule] },
      }));
    } catch (err) {
      throw toS3PipelineError(err, { operation: 'PutBucketLifecycleConfiguration', bucket });
    }
    return { outcome: 'created' };
  } finally {
    s3.destroy();
  }
}
