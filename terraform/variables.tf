variable "region" {
  description = "AWS region of every resource; the chart's config.awsRegion."
  type        = string
  default     = "us-east-1"
  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "region must be an AWS region such as us-east-1."
  }
}

variable "name" {
  description = "Prefix of resource names (IAM roles, Redis, dashboards)."
  type        = string
  default     = "artifact-pipeline"
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 lower-case letters, digits or -, starting with a letter."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = { project = "artifact-pipeline" }
}

variable "artifacts_bucket_name" {
  description = "Bucket the zipper and reporter write to (ARTIFACTS_BUCKET)."
  type        = string
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.artifacts_bucket_name))
    error_message = "artifacts_bucket_name must be a valid S3 bucket name (3-63 lower-case letters, digits, . and -)."
  }
}

variable "artifact_expiry_days" {
  description = "Days after which objects under outputs/zips/ and outputs/reports/ expire; keep at least DOWNLOAD_URL_TTL_SECONDS (1 day by default)."
  type        = number
  default     = 7
  validation {
    condition     = var.artifact_expiry_days >= 1 && var.artifact_expiry_days <= 3650
    error_message = "artifact_expiry_days must be from 1 to 3650."
  }
}

variable "input_buckets" {
  description = "Existing buckets whose new objects start jobs; each gets a notification to the notifications queue (this replaces any other notification configuration on them) and is readable by zipper and reporter (ALLOWED_SOURCE_BUCKETS)."
  type        = list(string)
  validation {
    condition     = length(var.input_buckets) > 0 && alltrue([for b in var.input_buckets : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", b))])
    error_message = "input_buckets must hold at least one valid S3 bucket name."
  }
}

variable "uploads_bucket" {
  description = "UPLOADS_BUCKET: the input bucket POST /v1/uploads presigns into (under inbox/); must be one of input_buckets, so it is notified and readable. Empty = the first of input_buckets."
  type        = string
  default     = ""
  validation {
    condition     = var.uploads_bucket == "" || contains(var.input_buckets, var.uploads_bucket)
    error_message = "uploads_bucket must be one of input_buckets (it needs their notification and read grants)."
  }
}

variable "uploads_expiry_days" {
  description = "Days after which objects under inbox/ of the uploads bucket expire (and unfinished multipart uploads are aborted); 0 leaves the bucket's lifecycle alone. This replaces any other lifecycle configuration of that bucket."
  type        = number
  default     = 7
  validation {
    condition     = var.uploads_expiry_days >= 0 && var.uploads_expiry_days <= 3650
    error_message = "uploads_expiry_days must be from 0 to 3650."
  }
}

variable "notification_filters" {
  description = "Key filters of the S3 notification, one per ingest rule (INGEST_RULES): a marker for ZIPs, .csv for reports by default."
  type = list(object({
    prefix = string
    suffix = string
  }))
  default = [
    { prefix = "inbox/", suffix = "_READY" },
    { prefix = "reports/", suffix = ".csv" },
  ]
  validation {
    condition     = length(var.notification_filters) > 0 && alltrue([for f in var.notification_filters : f.prefix != "" || f.suffix != ""])
    error_message = "each notification filter needs a prefix or a suffix (S3 would otherwise notify for every key)."
  }
}

variable "queue_name_prefix" {
  description = "QUEUE_NAME_PREFIX: prepended to every queue name, to run several environments in one account."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{0,40}$", var.queue_name_prefix))
    error_message = "queue_name_prefix must be at most 40 letters, digits, - or _."
  }
}

variable "max_attempts" {
  description = "MAX_ATTEMPTS of the services (default 5): the redrive policy moves a message to its DLQ after max_attempts + 3 receives (REDRIVE_MARGIN in packages/shared/src/aws-permissions.ts); the services dead-letter on their last attempt themselves."
  type        = number
  default     = 5
  validation {
    condition     = var.max_attempts >= 1 && var.max_attempts <= 97
    error_message = "max_attempts must be from 1 to 97."
  }
}

variable "visibility_timeout_seconds" {
  description = "Initial visibility of a received message; workers extend it with a heartbeat while a job runs."
  type        = number
  default     = 300
  validation {
    condition     = var.visibility_timeout_seconds >= 30 && var.visibility_timeout_seconds <= 43200
    error_message = "visibility_timeout_seconds must be from 30 to 43200."
  }
}

variable "vpc_id" {
  description = "VPC of the EKS cluster, for Redis and MSK."
  type        = string
  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123abcd."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets in at least two availability zones (Multi-AZ Redis, MSK Serverless)."
  type        = list(string)
  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "give at least two private subnets in different availability zones."
  }
}

variable "client_security_group_ids" {
  description = "Security groups of the pods (EKS nodes or pod security groups) allowed to reach Redis and Kafka."
  type        = list(string)
  validation {
    condition     = length(var.client_security_group_ids) > 0
    error_message = "give at least one client security group."
  }
}

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.t4g.small"
}

variable "redis_auth_token" {
  description = "Redis AUTH token (16-128 printable characters, no @ / \" or space); goes into REDIS_URL in the chart's Secret."
  type        = string
  sensitive   = true
  validation {
    condition     = can(regex("^[!#-.0-?A-~]{16,128}$", var.redis_auth_token))
    error_message = "redis_auth_token must be 16-128 printable characters without @, /, \" or spaces."
  }
}

variable "enable_msk_serverless" {
  description = "Create an MSK Serverless cluster for BUS=kafka (IAM authentication)."
  type        = bool
  default     = false
}

variable "oidc_provider_arn" {
  description = "ARN of the EKS cluster's IAM OIDC provider (IRSA)."
  type        = string
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/.+$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be an IAM OIDC provider ARN."
  }
}

variable "oidc_issuer" {
  description = "The cluster's OIDC issuer without https:// (oidc.eks.<region>.amazonaws.com/id/<id>)."
  type        = string
  validation {
    condition     = !startswith(var.oidc_issuer, "https://") && length(var.oidc_issuer) > 0
    error_message = "oidc_issuer must be given without the https:// scheme."
  }
}

variable "kubernetes_namespace" {
  description = "Namespace of the Helm release."
  type        = string
  default     = "artifact-pipeline"
}

variable "helm_release_name" {
  description = "Helm release name; service accounts are <release>-<service>."
  type        = string
  default     = "artifact-pipeline"
}

variable "keda_operator_role_arn" {
  description = "Role of the KEDA operator; with the chart's keda.identityOwner=workload it assumes the services' roles to read queue depth. Empty = not trusted."
  type        = string
  default     = ""
}

variable "oldest_message_alarm_minutes" {
  description = "Alarm when the oldest message of a work queue is older than this many minutes."
  type        = number
  default     = 15
  validation {
    condition     = var.oldest_message_alarm_minutes >= 1 && var.oldest_message_alarm_minutes <= 1440
    error_message = "oldest_message_alarm_minutes must be from 1 to 1440."
  }
}

variable "alarm_actions" {
  description = "SNS topic ARNs notified by the alarms."
  type        = list(string)
  default     = []
}
