# Queue health at a glance and alarms for what needs a person: anything in a DLQ, and work
# waiting longer than oldest_message_alarm_minutes. Job outcomes come from the services'
# Prometheus metrics (Grafana dashboard); here they show as the events queue's throughput.
locals {
  queue_metric = { for k, v in local.queues : k => [
    ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", v],
    [".", "ApproximateNumberOfMessagesNotVisible", ".", "."],
  ] }
}

resource "aws_cloudwatch_dashboard" "pipeline" {
  dashboard_name = var.name
  dashboard_body = jsonencode({
    widgets = concat(
      [for i, k in keys(local.queues) : {
        type = "metric", x = (i % 2) * 12, y = floor(i / 2) * 6, width = 12, height = 6
        properties = {
          title   = "Queue depth: ${local.queues[k]}", region = var.region, stat = "Maximum", period = 60
          metrics = local.queue_metric[k]
        }
      }],
      [{
        type = "metric", x = 0, y = 12, width = 12, height = 6
        properties = {
          title   = "Age of oldest message (s)", region = var.region, stat = "Maximum", period = 60
          metrics = [for k, v in local.queues : ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", v]]
        }
        },
        {
          type = "metric", x = 12, y = 12, width = 12, height = 6
          properties = {
            title   = "Dead-letter queue depth", region = var.region, stat = "Maximum", period = 60
            metrics = [for k, v in local.queues : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "${v}-dlq"]]
          }
        },
        {
          type = "metric", x = 0, y = 18, width = 24, height = 6
          properties = {
            title = "Job outcomes: lifecycle events published and commands completed (messages/min)", region = var.region, stat = "Sum", period = 60
            metrics = [
              ["AWS/SQS", "NumberOfMessagesSent", "QueueName", local.queues["events"]],
              [".", "NumberOfMessagesDeleted", ".", local.queues["zip"]],
              [".", "NumberOfMessagesDeleted", ".", local.queues["report"]],
              [".", "NumberOfMessagesSent", ".", "${local.queues["zip"]}-dlq"],
              [".", "NumberOfMessagesSent", ".", "${local.queues["report"]}-dlq"],
            ]
          }
      }]
    )
  })
}

resource "aws_cloudwatch_metric_alarm" "dlq_not_empty" {
  for_each            = local.queues
  alarm_name          = "${each.value}-dlq-not-empty"
  alarm_description   = "Messages in ${each.value}-dlq: a job failed for good or a message could not be read."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = "${each.value}-dlq" }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "oldest_message" {
  for_each            = local.queues
  alarm_name          = "${each.value}-oldest-message"
  alarm_description   = "A message in ${each.value} waited over ${var.oldest_message_alarm_minutes} min: consumers are down, stuck or too few."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = each.value }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.oldest_message_alarm_minutes * 60
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
}
