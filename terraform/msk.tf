# Optional Kafka for BUS=kafka. MSK Serverless only speaks SASL/IAM: the services' Kafka
# client must support that mechanism to use it (docs/deployment.md).
resource "aws_security_group" "msk" {
  #checkov:skip=CKV2_AWS_5:Attached to aws_msk_serverless_cluster.kafka below; checkov does not follow the count-indexed reference.
  count       = var.enable_msk_serverless ? 1 : 0
  name        = "${var.name}-msk"
  description = "MSK Serverless for artifact-pipeline: reachable from the service pods only"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "msk" {
  for_each                     = var.enable_msk_serverless ? toset(var.client_security_group_ids) : toset([])
  security_group_id            = aws_security_group.msk[0].id
  description                  = "Kafka SASL/IAM from the artifact-pipeline pods"
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
}

resource "aws_msk_serverless_cluster" "kafka" {
  count        = var.enable_msk_serverless ? 1 : 0
  cluster_name = "${var.name}-kafka"

  vpc_config {
    subnet_ids         = var.private_subnet_ids
    security_group_ids = [aws_security_group.msk[0].id]
  }

  client_authentication {
    sasl {
      iam {
        enabled = true
      }
    }
  }
}
