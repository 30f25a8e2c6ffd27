# One IAM role per service for its Kubernetes service account (IRSA), least privilege.
locals {
  services = toset(["ingest", "zipper", "reporter", "status"])
  # KEDA reads queue depth of the consumers it scales (chart keda.identityOwner=workload).
  keda_scaled   = toset(["zipper", "reporter", "status"])
  artifacts_arn = aws_s3_bucket.artifacts.arn
  queue_arn     = { for k, q in aws_sqs_queue.main : k => q.arn }
  dlq_arn       = { for k, q in aws_sqs_queue.dlq : k => q.arn }
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

# Every role's policy comes from terraform/service-permissions.json, generated from the one
# table in packages/shared/src/aws-permissions.ts (docs/iam.md lists each action and why).
# Resources there are symbolic: queue:<q>, dlq:<q>, bucket:<b>, objects:<b>:<prefix>.
locals {
  permissions = jsondecode(file("${path.module}/service-permissions.json")).services
  bucket_arns = {
    artifacts = [local.artifacts_arn]
    inputs    = local.input_bucket_arns
    uploads   = [local.uploads_bucket_arn]
  }
}

data "aws_iam_policy_document" "service" {
  for_each = local.services
  dynamic "statement" {
    for_each = local.permissions[each.key]
    content {
      sid     = statement.value.sid
      actions = statement.value.actions
      resources = flatten([for r in statement.value.resources : (
        startswith(r, "queue:") ? [local.queue_arn[trimprefix(r, "queue:")]] :
        startswith(r, "dlq:") ? [local.dlq_arn[trimprefix(r, "dlq:")]] :
        startswith(r, "bucket:") ? local.bucket_arns[trimprefix(r, "bucket:")] :
        [for arn in local.bucket_arns[split(":", r)[1]] : "${arn}/${split(":", r)[2]}*"]
      )])
      dynamic "condition" {
        for_each = lookup(statement.value, "listPrefixes", null) == null ? [] : [statement.value.listPrefixes]
        content {
          test     = "StringLike"
          variable = "s3:prefix"
          values   = [for p in condition.value : "${p}*"]
        }
      }
    }
  }
}

resource "aws_iam_role_policy" "service" {
  for_each = local.services
  name     = "${var.name}-${each.key}"
  role     = aws_iam_role.service[each.key].id
  policy   = data.aws_iam_policy_document.service[each.key].json
}

# With MSK Serverless every service connects, reads and writes its topics and groups; topics are
# created by `artifacts provision` with the deployer's credentials, never by a service.
data "aws_iam_policy_document" "kafka" {
  count = var.enable_msk_serverless ? 1 : 0
  statement {
    actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
    resources = [aws_msk_serverless_cluster.kafka[0].arn]
  }
  statement {
    actions = [
      "kafka-cluster:DescribeTopic", "kafka-cluster:ReadData", "kafka-cluster:WriteData",
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
