# The artifacts bucket (DESIGN §7): ZIPs and reports under outputs/zips/ and outputs/reports/, expiring;
# the status journal under journal/ (JOURNAL_PREFIX stays inside it).
resource "aws_s3_bucket" "artifacts" {
  #checkov:skip=CKV_AWS_144:Artifacts are derived from the input buckets and expire within days; a job can be rerun instead of replicating.
  #checkov:skip=CKV_AWS_145:SSE-S3 keeps presigned downloads working for any client; SSE-KMS would need kms:Decrypt on every presigning role.
  #checkov:skip=CKV2_AWS_62:Nothing consumes events of the artifacts bucket; the pipeline learns of artifacts from its own events.
  #checkov:skip=CKV_AWS_18:Access logs need a separate log bucket that this module does not own; enable S3 server access logging there.
  bucket = var.artifacts_bucket_name
}

resource "aws_s3_bucket_public_access_block" "artifacts" {
  bucket                  = aws_s3_bucket.artifacts.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# Versioning guards the journal against overwrites; old versions of artifacts (a retry
# overwrites its deterministic key) are dropped after a day.
resource "aws_s3_bucket_versioning" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "artifacts" {
  bucket     = aws_s3_bucket.artifacts.id
  depends_on = [aws_s3_bucket_versioning.artifacts]

  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"
    filter {}
    # A worker killed mid-upload leaves parts that are billed until aborted.
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
    noncurrent_version_expiration {
      noncurrent_days = 1
    }
  }

  dynamic "rule" {
    for_each = toset(["outputs/zips/", "outputs/reports/"])
    content {
      id     = "expire-${replace(trimsuffix(rule.value, "/"), "/", "-")}"
      status = "Enabled"
      filter {
        prefix = rule.value
      }
      expiration {
        days = var.artifact_expiry_days
      }
    }
  }

  # Requests too large for a bus message are stored under requests/ until their job ends
  # (the worker deletes them then); this removes what a crashed job left, once no copy of
  # its command can still be waiting: 14 days, the dead-letter queues' retention.
  rule {
    id     = "expire-requests"
    status = "Enabled"
    filter {
      prefix = "requests/"
    }
    expiration {
      days = 14
    }
  }
}

# TLS only: a request over plain HTTP is refused.
data "aws_iam_policy_document" "artifacts_tls_only" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.artifacts.arn, "${aws_s3_bucket.artifacts.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "artifacts" {
  bucket     = aws_s3_bucket.artifacts.id
  policy     = data.aws_iam_policy_document.artifacts_tls_only.json
  depends_on = [aws_s3_bucket_public_access_block.artifacts]
}

# New objects in the input buckets notify the notifications queue (DESIGN §2), filtered by
# key so only markers and report sources wake ingest.
resource "aws_s3_bucket_notification" "inputs" {
  for_each = toset(var.input_buckets)
  bucket   = each.value

  dynamic "queue" {
    for_each = var.notification_filters
    content {
      id            = "artifact-pipeline-${queue.key}"
      queue_arn     = aws_sqs_queue.main["notifications"].arn
      events        = ["s3:ObjectCreated:*"]
      filter_prefix = queue.value.prefix
      filter_suffix = queue.value.suffix
    }
  }

  depends_on = [aws_sqs_queue_policy.notifications]
}

# Uploads (POST /v1/uploads) land under inbox/ of the uploads bucket, one of the input buckets;
# what was zipped or abandoned there expires.
resource "aws_s3_bucket_lifecycle_configuration" "uploads" {
  #checkov:skip=CKV_AWS_300:Unfinished multipart uploads are aborted after 1 day under inbox/ (the rule below); the rest of this input bucket is the operator's.
  count  = var.uploads_expiry_days > 0 ? 1 : 0
  bucket = local.uploads_bucket

  rule {
    id     = "expire-uploads"
    status = "Enabled"
    filter {
      prefix = "inbox/"
    }
    expiration {
      days = var.uploads_expiry_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}
