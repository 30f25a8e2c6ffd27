/**
 * The one table of what each service may do on AWS: service → the SDK calls it makes →
 * the IAM actions and resources they need. It stays one file (mostly data, past 200 lines) so
 * that the whole grant of a role reads in one place. Everything else is derived from it:
 *
 * - terraform/service-permissions.json (read by terraform/iam.tf, one role policy per service),
 * - docs/iam.md (every action each role has, and why),
 * - the readiness probe each service's object store runs (`readinessProbe`),
 *
 * and test/ops/aws-permissions.test.ts checks that every SDK command the adapters construct is
 * either listed here for a service or named as provisioning/tooling only (never run by a service).
 *
 * Resources are symbolic, resolved by Terraform: `queue:<q>` / `dlq:<q>` (q = zip, report,
 * events, notifications), `bucket:<b>` (the bucket itself) and `objects:<b>:<prefix>` (keys
 * under the prefix), b = artifacts, inputs (INPUT buckets, ALLOWED_SOURCE_BUCKETS) or uploads
 * (UPLOADS_BUCKET, one of the inputs).
 */

export type AwsServiceName = 'ingest' | 'zipper' | 'reporter' | 'status';
export type QueueKey = 'zip' | 'report' | 'events' | 'notifications';
export type BucketKey = 'artifacts' | 'inputs' | 'uploads';
export type ResourceRef = `queue:${QueueKey}` | `dlq:${QueueKey}` | `bucket:${BucketKey}` | `objects:${BucketKey}:${string}`;

/** IAM action of each SDK command (Service Authorization Reference, "Actions defined by …"). */
export const SDK_ACTIONS = {
  // SQS
  ReceiveMessage: 'sqs:ReceiveMessage',
  DeleteMessage: 'sqs:DeleteMessage',
  DeleteMessageBatch: 'sqs:DeleteMessage',
  ChangeMessageVisibility: 'sqs:ChangeMessageVisibility',
  GetQueueAttributes: 'sqs:GetQueueAttributes',
  GetQueueUrl: 'sqs:GetQueueUrl',
  SendMessage: 'sqs:SendMessage',
  CreateQueue: 'sqs:CreateQueue',
  SetQueueAttributes: 'sqs:SetQueueAttributes',
  // S3: HeadObject is authorised as GetObject, HeadBucket and ListObjectsV2 as ListBucket, the
  // multipart steps as PutObject.
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
  PresignGetObject: 's3:GetObject',
  PutObject: 's3:PutObject',
  PresignPutObject: 's3:PutObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  ListObjectsV2: 's3:ListBucket',
  HeadBucket: 's3:ListBucket',
  ListMultipartUploads: 's3:ListBucketMultipartUploads',
  DeleteObject: 's3:DeleteObject',
  DeleteObjects: 's3:DeleteObject',
  CreateBucket: 's3:CreateBucket',
  DeleteBucket: 's3:DeleteBucket',
  ListBuckets: 's3:ListAllMyBuckets',
  GetBucketNotificationConfiguration: 's3:GetBucketNotification',
  PutBucketNotificationConfiguration: 's3:PutBucketNotification',
  GetBucketLifecycleConfiguration: 's3:GetLifecycleConfiguration',
  PutBucketLifecycleConfiguration: 's3:PutLifecycleConfiguration',
} as const;
export type SdkCall = keyof typeof SDK_ACTIONS;

/**
 * Commands the adapters can construct that no service sends: `artifacts provision` (with
 * the deployer's credentials), tests and tear-down tooling. A service never creates or
 * reconfigures a queue or a bucket.
 */
export const NOT_SERVICE_CALLS: Readonly<Partial<Record<SdkCall, string>>> = {
  CreateQueue: 'artifacts provision / local mode: creates the queues and their -dlq',
  SetQueueAttributes: 'artifacts provision / local mode: redrive policy, S3 send policy',
  CreateBucket: 'artifacts provision / local mode',
  DeleteBucket: 'tests and tear-down (removeBucket)',
  DeleteObjects: 'tests and tear-down (removeBucket)',
  DeleteObject: 'ObjectStore.delete: tests and tooling only',
  ListBuckets: 'ObjectStore.ping without a bucket: tooling only',
  HeadBucket: 'ensureBucket (provision); a service treats its 403 as "exists"',
  DeleteMessageBatch: 'Bus.drainDeadLetters: operators and tests',
  GetBucketNotificationConfiguration: 'artifacts provision: bucket notifications',
  PutBucketNotificationConfiguration: 'artifacts provision: bucket notifications',
  GetBucketLifecycleConfiguration: 'artifacts provision: the abort-incomplete-uploads rule',
  PutBucketLifecycleConfiguration: 'artifacts provision: the abort-incomplete-uploads rule',
};

export interface Grant {
  sid: string;
  why: string;
  calls: readonly SdkCall[];
  resources: readonly ResourceRef[];
  /** s3:ListBucket only for keys under these prefixes (condition s3:prefix StringLike `<p>*`). */
  listPrefixes?: readonly string[];
}

/** Extra deliveries SQS allows past MAX_ATTEMPTS before its redrive policy moves a message. */
export const REDRIVE_MARGIN = 3;
/** MAX_ATTEMPTS default (load-config.ts); Terraform's max_attempts default is the same. */
export const DEFAULT_MAX_ATTEMPTS = 5;

const consume = (q: QueueKey): Grant[] => [
  {
    sid: `Consume${title(q)}`,
    why: `receive ${q} messages, delete them when done, extend or shorten their visibility (heartbeat, backoff); GetQueueAttributes resolves the queue at start and answers /readyz (KEDA reads depth with it too); GetQueueUrl only without SQS_QUEUE_URL_BASE`,
    calls: ['ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility', 'GetQueueAttributes', 'GetQueueUrl'],
    resources: [`queue:${q}`],
  },
  {
    sid: `DeadLetter${title(q)}`,
    why: `dead-letter a ${q} message with the reason after its last attempt (resolved at start)`,
    calls: ['SendMessage', 'GetQueueAttributes', 'GetQueueUrl'],
    resources: [`dlq:${q}`],
  },
];

function title(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Writes one artifact prefix the way uploadObject does: one PUT, or multipart for big ones. */
const writeArtifacts = (prefix: string, sid: string): Grant => ({
  sid,
  why: `stream the output under ${prefix} (PutObject, or a multipart upload aborted on failure), check an existing result (HeadObject), presign its download URL`,
  calls: ['PutObject', 'CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload', 'AbortMultipartUpload', 'HeadObject', 'PresignGetObject'],
  resources: [`objects:artifacts:${prefix}`],
});

/** What every job worker holds besides its sources: its command queue, stored requests, events. */
const jobWorker = (q: 'zip' | 'report'): Grant[] => [
  ...consume(q),
  {
    sid: 'ReadLargeRequests',
    why: 'load a stored request (claim-check.ts) before the build, delete it once the job is final',
    calls: ['GetObject', 'DeleteObject'],
    resources: ['objects:artifacts:requests/'],
  },
  {
    sid: 'PublishEvents',
    why: 'publish job lifecycle events (resolved at start with GetQueueAttributes)',
    calls: ['SendMessage', 'GetQueueAttributes', 'GetQueueUrl'],
    resources: ['queue:events'],
  },
];

/** A job worker's output prefix: written, cleaned of a killed attempt's uploads, listed by /readyz. */
const workerOutputs = (prefix: string, name: string): Grant[] => [
  writeArtifacts(prefix, `Write${name}`),
  {
    sid: 'StaleUploads',
    why: 'before an attempt, find and abort the multipart uploads an earlier, killed attempt left (abortStaleUploads)',
    calls: ['ListMultipartUploads'],
    resources: ['bucket:artifacts'],
  },
  {
    sid: `Readiness${name}`,
    why: `/readyz lists at most one key under ${prefix}`,
    calls: ['ListObjectsV2'],
    resources: ['bucket:artifacts'],
    listPrefixes: [prefix],
  },
];

export const SERVICE_PERMISSIONS: Readonly<Record<AwsServiceName, readonly Grant[]>> = {
  ingest: [
    ...consume('notifications'),
    {
      sid: 'StoreLargeRequests',
      why: 'a command past BUS_MAX_MESSAGE_BYTES keeps its request at requests/{jobId}.json (claim-check.ts); deleted again when its publish fails',
      calls: ['PutObject', 'DeleteObject'],
      resources: ['objects:artifacts:requests/'],
    },
    {
      sid: 'PublishCommands',
      why: 'send zip and report commands (the queue URL from GetQueueUrl only without SQS_QUEUE_URL_BASE)',
      calls: ['SendMessage', 'GetQueueUrl'],
      resources: ['queue:zip', 'queue:report'],
    },
    {
      sid: 'PresignUploads',
      why: 'POST /v1/uploads presigns PUT URLs under inbox/ of UPLOADS_BUCKET; the URL acts with this role',
      calls: ['PresignPutObject'],
      resources: ['objects:uploads:inbox/'],
    },
    {
      sid: 'ReadinessUploads',
      why: '/readyz lists at most one key under inbox/ of UPLOADS_BUCKET',
      calls: ['ListObjectsV2'],
      resources: ['bucket:uploads'],
      listPrefixes: ['inbox/'],
    },
  ],
  zipper: [
    ...jobWorker('zip'),
    {
      sid: 'ListSources',
      why: 'list the objects under the source prefix of a ZIP job',
      calls: ['ListObjectsV2'],
      resources: ['bucket:inputs'],
    },
    { sid: 'ReadSources', why: 'read each source object (ranged GETs)', calls: ['GetObject'], resources: ['objects:inputs:'] },
    ...workerOutputs('outputs/zips/', 'Zips'),
  ],
  reporter: [
    ...jobWorker('report'),
    {
      sid: 'ReadSources',
      why: 'read the CSV / JSON-lines source (HeadObject for its size, then GetObject)',
      calls: ['HeadObject', 'GetObject'],
      resources: ['objects:inputs:'],
    },
    ...workerOutputs('outputs/reports/', 'Reports'),
  ],
  status: [
    ...consume('events'),
    {
      sid: 'PresignDownloads',
      why: 'GET /v1/jobs/{id}/download: check the artifact exists (HeadObject) and presign it',
      calls: ['HeadObject', 'PresignGetObject'],
      resources: ['objects:artifacts:outputs/zips/', 'objects:artifacts:outputs/reports/'],
    },
    {
      sid: 'Journal',
      why: 'append the JSON-lines event journal (BUS=sqs) and read it back to rebuild the read model',
      calls: ['PutObject', 'GetObject'],
      resources: ['objects:artifacts:journal/'],
    },
    {
      sid: 'ListJournal',
      why: 'list the journal to rebuild; /readyz lists at most one key of it',
      calls: ['ListObjectsV2'],
      resources: ['bucket:artifacts'],
      listPrefixes: ['journal/'],
    },
    {
      sid: 'WebhookDeadLetters',
      why: 'keep a webhook that failed for good under webhook-dlq/',
      calls: ['PutObject'],
      resources: ['objects:artifacts:webhook-dlq/'],
    },
  ],
};

/** What /readyz of each service lists (ListObjectsV2, MaxKeys 1): a prefix its role may list. */
export const READINESS_PROBES: Readonly<Record<AwsServiceName, { bucket: 'artifacts' | 'uploads'; prefix: string }>> = {
  ingest: { bucket: 'uploads', prefix: 'inbox/' },
  zipper: { bucket: 'artifacts', prefix: 'outputs/zips/' },
  reporter: { bucket: 'artifacts', prefix: 'outputs/reports/' },
  status: { bucket: 'artifacts', prefix: 'journal/' },
};

export function isAwsServiceName(name: string): name is AwsServiceName {
  return Object.hasOwn(SERVICE_PERMISSIONS, name);
}

/** The IAM actions of a grant, derived from its calls, sorted and unique. */
export function grantActions(grant: Grant): string[] {
  return [...new Set(grant.calls.map((call) => SDK_ACTIONS[call]))].sort();
}

export interface PolicyStatementSpec {
  sid: string;
  actions: string[];
  resources: ResourceRef[];
  listPrefixes?: string[];
}

/** terraform/service-permissions.json: what terraform/iam.tf turns into one policy per role. */
export function terraformPermissions(): { generatedFrom: string; services: Record<AwsServiceName, PolicyStatementSpec[]> } {
  const services = Object.fromEntries(
    Object.entries(SERVICE_PERMISSIONS).map(([service, grants]) => [
      service,
      grants.map((g) => ({
        sid: g.sid,
        actions: grantActions(g),
        resources: [...g.resources],
        ...(g.listPrefixes ? { listPrefixes: [...g.listPrefixes] } : {}),
      })),
    ]),
  ) as Record<AwsServiceName, PolicyStatementSpec[]>;
  return { generatedFrom: 'packages/shared/src/aws-permissions.ts (npm run iam:generate)', services };
}

/** docs/iam.md. */
export function iamMarkdown(): string {
  const lines = [
    '# IAM: every action each role has, and why',
    '',
    '<!-- Generated from packages/shared/src/aws-permissions.ts by `npm run iam:generate`; test/ops/aws-permissions.test.ts fails when it is stale. -->',
    '',
    'One role per service (IRSA). Terraform (`terraform/iam.tf`) builds each role\'s policy from',
    '`terraform/service-permissions.json`, generated from the same table as this page. Resources:',
    '`queue:q` / `dlq:q` are the work queue and its dead-letter queue; `bucket:b` is the bucket',
    'itself (list calls), `objects:b:p` the keys under prefix `p`; `artifacts` is ARTIFACTS_BUCKET,',
    '`inputs` the input buckets (ALLOWED_SOURCE_BUCKETS), `uploads` UPLOADS_BUCKET (one of the inputs).',
    '',
    'No role may create, delete or reconfigure a queue or a bucket: `artifacts provision` or',
    '`terraform apply` does that with the deployer\'s credentials. These calls are never made by a service:',
    '',
    ...Object.entries(NOT_SERVICE_CALLS).map(([call, why]) => `* \`${call}\` (${SDK_ACTIONS[call as SdkCall]}): ${why}`),
    '',
  ];
  for (const [service, grants] of Object.entries(SERVICE_PERMISSIONS)) {
    const probe = READINESS_PROBES[service as AwsServiceName];
    lines.push(`## ${service}`, '', `Readiness (\`/readyz\`): GetQueueAttributes on its resolved queues, ListObjectsV2 (MaxKeys 1) of \`${probe.prefix}\` in ${probe.bucket}.`, '');
    lines.push('| sid | IAM actions | resources | SDK calls | why |', '|---|---|---|---|---|');
    for (const g of grants) {
      const where = g.resources.map((r) => `\`${r}\``).join(', ') + (g.listPrefixes ? ` (s3:prefix ${g.listPrefixes.map((p) => `\`${p}*\``).join(', ')})` : '');
      lines.push(`| ${g.sid} | ${grantActions(g).join(', ')} | ${where} | ${g.calls.join(', ')} | ${g.why} |`);
    }
    lines.push('');
  }
  lines.push(
    `SQS redrive: \`maxReceiveCount\` = MAX_ATTEMPTS + ${REDRIVE_MARGIN} (Terraform's \`max_attempts\`, default ${DEFAULT_MAX_ATTEMPTS}, gives ${DEFAULT_MAX_ATTEMPTS + REDRIVE_MARGIN}); the consumer dead-letters with the reason on the last attempt, the redrive only catches crash loops.`,
    '',
  );
  return lines.join('\n');
}
