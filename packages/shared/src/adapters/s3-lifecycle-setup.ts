/**
 * The bucket lifecycle rules `artifacts provision` sets, as terraform/s3.tf does:
 * - the rule that aborts incomplete multipart uploads (S3 user guide, "Configuring a bucket
 *   lifecycle configuration to delete incomplete multipart uploads"), so the parts of a worker
 *   killed mid-upload — and never retried — stop being billed after `days`;
 * - the rule that expires stored requests (`requests/`, claim-check.ts) after
 *   REQUEST_EXPIRY_DAYS: a request whose job never reached a final event (a worker crash loop
 *   ending in the dead-letter queue) is removed instead of kept forever.
 * Both are idempotent: a rule already doing the job is kept (`found`); otherwise the rule is
 * added beside the bucket's other rules (`created`) — PutBucketLifecycleConfiguration replaces
 * the whole set, so the existing rules are read first.
 */
import { GetBucketLifecycleConfigurationCommand, PutBucketLifecycleConfigurationCommand, type LifecycleRule } from '@aws-sdk/client-s3';
import { errorCode } from '../errors.js';
import { createS3Clients, type S3ConnectionOptions } from './s3-client.js';
import { toS3PipelineError } from './s3-errors.js';

export const ABORT_UPLOADS_RULE_ID = 'abort-incomplete-multipart-uploads';
export const REQUEST_RULE_ID = 'expire-requests';

export interface AbortUploadsRuleOptions extends S3ConnectionOptions {
  bucket: string;
  /** DaysAfterInitiation; default 1, as in terraform/s3.tf. */
  days?: number;
}

export interface ExpiryRuleOptions extends S3ConnectionOptions {
  bucket: string;
  /** e.g. 'requests/'. */
  prefix: string;
  days: number;
}

/** Whole bucket: no filter, an empty prefix, or an empty `And` (each form S3 may hand back). */
function coversBucket(rule: LifecycleRule): boolean {
  const filter = rule.Filter;
  if (filter === undefined) return (rule.Prefix ?? '') === '';
  return (filter.Prefix ?? '') === '' && filter.Tag === undefined && filter.And === undefined
    && filter.ObjectSizeGreaterThan === undefined && filter.ObjectSizeLessThan === undefined;
}

/**
 * Reads the bucket's rules, asks `decide` for the rule to add (undefined: one already does the
 * job), and writes the set back with it in place of any namesake.
 */
async function ensureRule(
  bucket: string,
  connection: S3ConnectionOptions,
  decide: (rules: LifecycleRule[]) => LifecycleRule | undefined,
): Promise<'created' | 'found'> {
  const s3 = createS3Clients(connection);
  try {
    let rules: LifecycleRule[] = [];
    try {
      rules = (await s3.client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? [];
    } catch (err) {
      if (errorCode(err) !== 'NoSuchLifecycleConfiguration') throw toS3PipelineError(err, { operation: 'GetBucketLifecycleConfiguration', bucket });
    }
    const rule = decide(rules);
    if (rule === undefined) return 'found';
    try {
      await s3.client.send(new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: { Rules: [...rules.filter((r) => r.ID !== rule.ID), rule] },
      }));
    } catch (err) {
      throw toS3PipelineError(err, { operation: 'PutBucketLifecycleConfiguration', bucket });
    }
    return 'created';
  } finally {
    s3.destroy();
  }
}

export async function ensureAbortIncompleteUploadsRule(options: AbortUploadsRuleOptions): Promise<{ outcome: 'created' | 'found' }> {
  const { bucket, days = 1, ...connection } = options;
  const outcome = await ensureRule(bucket, connection, (rules) => {
    const present = rules.some((r) => r.Status === 'Enabled' && r.AbortIncompleteMultipartUpload?.DaysAfterInitiation !== undefined && coversBucket(r));
    return present ? undefined : {
      ID: ABORT_UPLOADS_RULE_ID,
      Status: 'Enabled',
      Filter: { Prefix: '' },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: days },
    };
  });
  return { outcome };
}

export async function ensureExpiryRule(options: ExpiryRuleOptions): Promise<'created' | 'found'> {
  const { bucket, prefix, days, ...connection } = options;
  return ensureRule(bucket, connection, (rules) => {
    const existing = rules.find((r) => r.ID === REQUEST_RULE_ID);
    if (existing?.Status === 'Enabled' && existing.Filter?.Prefix === prefix && existing.Expiration?.Days === days) return undefined;
    return { ID: REQUEST_RULE_ID, Status: 'Enabled', Filter: { Prefix: prefix }, Expiration: { Days: days } };
  });
}
