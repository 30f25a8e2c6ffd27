# One IAM role per service for its Kubernetes service account (IRSA), least privilege.
locals {
  services = toset(["ingest", "zipper", "reporter", "status"])
  # KEDA reads queue depth of the consumers it scales (chart keda.identityOwner=workload).
  keda_scaled   = toset(["zipper", "reporter", "status"])
  artifacts_arn = aws_s3_bucket.artifacts.arn
  queue_arn     = { for k, q in aws_sqs_queue.main : k => q.arn }
  dlq_arn       = { for k, q in aws_sqs_queue.dlq : k => q.arn }
  consume       = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"]
  produce       = ["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"]
}

data "aws_iam_policy_document" "trust" {
  for_each = local.services
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${var.kubernetes_namespace}:${var.helm_release_name}-${each.key}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
  dynamic "statement" {
    for_each = var.keda_operator_role_arn != "" && contains(tolist(local.keda_scaled), each.key) ? [1] : []
    content {
      actions = ["sts:AssumeRole"]
      principals {
        type        = "AWS"
        identifiers = [var.keda_operator_role_arn]
      }
    }
  }
}

resource "aws_iam_role" "service" {
  for_each           = local.services
  name               = "${var.name}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.trust[each.key].json
}

# ingest: publishes commands, consumes S3 notifications, presigns uploads into the inbox.
data "aws_iam_policy_document" "ingest" {
  statement {
    sid       = "PublishCommands"
    actions   = local.produce
    resources = [local.queue_arn["zip"], local.queue_arn["report"]]
  }
  statement {
    sid       = "ConsumeNotifications"
    actions   = local.consume
    resources = [local.queue_arn["notifications"]]
  }
  statement {
    sid       = "DeadLetterNotifications"
    actions   = local.produce
    resources = [local.dlq_arn["notifications"]]
  }
  statement {
    sid       = "PresignUploads"
    actions   = ["s3:PutObject"]
    resources = [for arn in local.input_bucket_arns : "${arn}/${var.upload_prefix}*"]
  }
}

# zipper: reads sources, streams the ZIP as a multipart upload under outputs/zips/, presigns it.
data "aws_iam_policy_document" "zipper" {
  statement {
    sid       = "ListSources"
    actions   = ["s3:ListBucket"]
    resources = local.input_bucket_arns
  }
  statement {
    sid       = "ReadSources"
    actions   = ["s3:GetObject"]
    resources = [for arn in local.input_bucket_arns : "${arn}/*"]
  }
  statement {
    sid       = "WriteZips"
    actions   = ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = ["${local.artifacts_arn}/outputs/zips/*"]
  }
  statement {
    sid       = "ConsumeZipCommands"
    actions   = local.consume
    resources = [local.queue_arn["zip"]]
  }
  statement {
    sid       = "PublishEventsAndDeadLetters"
    actions   = local.produce
    resources = [local.queue_arn["events"], local.dlq_arn["zip"]]
  }
}

# reporter: reads CSV sources, writes outputs/reports/, presigns them.
data "aws_iam_policy_document" "reporter" {
  statement {
    sid       = "ReadSources"
    actions   = ["s3:GetObject"]
    resources = [for arn in local.input_bucket_arns : "${arn}/*"]
  }
  statement {
    sid       = "WriteReports"
    actions   = ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = ["${local.artifacts_arn}/outputs/reports/*"]
  }
  statement {
    sid       = "ConsumeReportCommands"
    actions   = local.consume
    resources = [local.queue_arn["report"]]
  }
  statement {
    sid       = "PublishEventsAndDeadLetters"
    actions   = local.produce
    resources = [local.queue_arn["events"], local.dlq_arn["report"]]
  }
}

# status: projects events, presigns downloads (read only), appends the journal.
data "aws_iam_policy_document" "status" {
  statement {
    sid       = "ConsumeEvents"
    actions   = local.consume
    resources = [local.queue_arn["events"]]
  }
  statement {
    sid       = "DeadLetterEvents"
    actions   = local.produce
    resources = [local.dlq_arn["events"]]
  }
  statement {
    sid       = "PresignDownloads"
    actions   = ["s3:GetObject"]
    resources = ["${local.artifacts_arn}/outputs/zips/*", "${local.artifacts_arn}/outputs/reports/*"]
  }
  statement {
    sid       = "Journal"
    actions   = ["s3:PutObject", "s3:GetObject"]
    resources = ["${local.artifacts_arn}/${var.journal_prefix}*"]
  }
  statement {
    sid       = "ListJournal"
    actions   = ["s3:ListBucket"]
    resources = [local.artifacts_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.journal_prefix}*"]
    }
  }
}

locals {
  service_policies = {
    ingest   = data.aws_iam_policy_document.ingest.json
    zipper   = data.aws_iam_policy_document.zipper.json
    reporter = data.aws_iam_policy_document.reporter.json
    status   = data.aws_iam_policy_document.status.json
  }
}

resource "aws_iam_role_policy" "service" {
  for_each = local.services
  name     = "${var.name}-${each.key}"
  role     = aws_iam_role.service[each.key].id
  policy   = local.service_policies[each.key]
}

# With MSK Serverless every service connects, reads and writes its topics and groups.
data "aws_iam_policy_document" "kafka" {
  count = var.enable_msk_serverless ? 1 : 0
  statement {
    actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
    resources = [aws_msk_serverless_cluster.kafka[0].arn]
  }
  statement {
    actions = [
      "kafka-cluster:DescribeTopic", "kafka-cluster:CreateTopic", "kafka-cluster:ReadData", "kafka-cluster:WriteData",
      "kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup",
    ]
    resources = [
      "arn:${local.partition}:kafka:${var.region}:${local.account_id}:topic/${var.name}-kafka/*",
      "arn:${local.partition}:kafka:${var.region}:${local.account_id}:group/${var.name}-kafka/*",
    ]
  }
}

resource "aws_iam_role_policy" "kafka" {
  for_each = var.enable_msk_serverless ? local.services : toset([])
  name     = "${var.name}-${each.key}-kafka"
  role     = aws_iam_role.service[each.key].id
  policy   = data.aws_iam_policy_document.kafka[0].json
}
