terraform {
  required_version = ">= 1.6.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = var.tags
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  # SQS names follow DESIGN §4: logical topic with "." replaced by "-", dead letters in <queue>-dlq.
  queues = {
    zip           = "${var.queue_name_prefix}artifacts-commands-zip"
    report        = "${var.queue_name_prefix}artifacts-commands-report"
    events        = "${var.queue_name_prefix}artifacts-events"
    notifications = "${var.queue_name_prefix}artifacts-s3-notifications"
  }
  input_bucket_arns  = [for b in var.input_buckets : "arn:${local.partition}:s3:::${b}"]
  uploads_bucket     = var.uploads_bucket != "" ? var.uploads_bucket : var.input_buckets[0]
  uploads_bucket_arn = "arn:${local.partition}:s3:::${local.uploads_bucket}"
  # Must equal REDRIVE_MARGIN in packages/shared/src/aws-permissions.ts (checked by test/ops).
  redrive_margin = 3
}
