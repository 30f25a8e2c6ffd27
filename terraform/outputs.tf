# Named after the chart values they feed (docs/deployment.md shows the wiring).
output "aws_region" {
  description = "config.awsRegion"
  value       = var.region
}

output "artifacts_bucket" {
  description = "config.artifactsBucket"
  value       = aws_s3_bucket.artifacts.id
}

output "allowed_source_buckets" {
  description = "config.allowedSourceBuckets"
  value       = var.input_buckets
}

output "queue_name_prefix" {
  description = "config.queueNamePrefix"
  value       = var.queue_name_prefix
}

output "s3_notifications_queue" {
  description = "config.s3NotificationsQueue (S3_NOTIFICATIONS_QUEUE): without the prefix, which the services add from QUEUE_NAME_PREFIX"
  value       = "artifacts-s3-notifications"
}

output "sqs_queue_url_base" {
  description = "SQS_QUEUE_URL_BASE (config.sqsQueueUrlBase) and keda.sqsQueueUrlBase: the queue URLs without the queue name"
  value       = trimsuffix(aws_sqs_queue.main["zip"].id, "/${local.queues["zip"]}")
}

output "uploads_bucket" {
  description = "UPLOADS_BUCKET (config.uploadsBucket): where POST /v1/uploads presigns"
  value       = local.uploads_bucket
}

output "max_attempts" {
  description = "MAX_ATTEMPTS (config.maxAttempts): keep the services' value equal to the redrive policy's"
  value       = var.max_attempts
}

output "queue_urls" {
  description = "Every work queue's URL, for operators"
  value       = { for k, q in aws_sqs_queue.main : k => q.id }
}

output "redis_url_without_token" {
  description = "REDIS_URL for the chart's Secret, with <token> to replace by redis_auth_token"
  value       = "rediss://:<token>@${aws_elasticache_replication_group.redis.primary_endpoint_address}:6379"
}

output "kafka_bootstrap_brokers" {
  description = "config.kafkaBrokers (SASL/IAM), when enable_msk_serverless"
  value       = var.enable_msk_serverless ? split(",", aws_msk_serverless_cluster.kafka[0].bootstrap_brokers_sasl_iam) : []
}

output "ingest_role_arn" {
  description = "ingest.serviceAccount.roleArn"
  value       = aws_iam_role.service["ingest"].arn
}

output "zipper_role_arn" {
  description = "zipper.serviceAccount.roleArn"
  value       = aws_iam_role.service["zipper"].arn
}

output "reporter_role_arn" {
  description = "reporter.serviceAccount.roleArn"
  value       = aws_iam_role.service["reporter"].arn
}

output "status_role_arn" {
  description = "status.serviceAccount.roleArn"
  value       = aws_iam_role.service["status"].arn
}
