{{/* Names, labels and the shared pod pieces of every service. */}}
{{- /*
The release name, as is: Terraform's IRSA trust policies name the service accounts
<release>-<service> (variable helm_release_name), so a shortened name would no longer match
and every AWS call would be denied. 40 characters leave room for "-reporter" and the
suffixes of the other objects within Kubernetes' 63.
*/}}
{{- define "ap.fullname" -}}
{{- if gt (len .Release.Name) 40 -}}
{{- fail (printf "release name %q is %d characters; at most 40 (the IRSA trust policies name the service accounts <release>-<service>: use the same, shorter name for helm_release_name in Terraform)" .Release.Name (len .Release.Name)) -}}
{{- end -}}
{{- .Release.Name -}}
{{- end -}}

{{- define "ap.name" -}}
{{- printf "%s-%s" (include "ap.fullname" .root) .svc -}}
{{- end -}}

{{- define "ap.selectorLabels" -}}
app.kubernetes.io/name: artifact-pipeline
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .svc }}
{{- end -}}

{{- define "ap.labels" -}}
{{ include "ap.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "ap.serviceAccountName" -}}
{{- $values := index .root.Values .svc -}}
{{- default (include "ap.name" .) $values.serviceAccount.name -}}
{{- end -}}

{{/* SHUTDOWN_GRACE_SECONDS of one service: its own override, else config's. */}}
{{- define "ap.graceSeconds" -}}
{{- $values := index .root.Values .svc -}}
{{- if kindIs "invalid" $values.shutdownGraceSeconds -}}
{{- .root.Values.config.shutdownGraceSeconds -}}
{{- else -}}
{{- $values.shutdownGraceSeconds -}}
{{- end -}}
{{- end -}}

{{/* SHUTDOWN_DELAY_SECONDS of an API service (serving on after SIGTERM); 0 for workers. */}}
{{- define "ap.shutdownDelay" -}}
{{- $values := index .root.Values .svc -}}
{{- $values.shutdownDelaySeconds | default 0 -}}
{{- end -}}

{{/* Kubernetes waits this long after SIGTERM before SIGKILL: the drain plus a margin (plus the serving delay of ingest and status). */}}
{{- define "ap.terminationGrace" -}}
{{- $values := index .root.Values .svc -}}
{{- add (include "ap.graceSeconds" . | int) $values.terminationGraceMarginSeconds (include "ap.shutdownDelay" . | int) -}}
{{- end -}}

{{/* SQS queue / Kafka topic names per logical topic (DESIGN §4: SQS replaces . by -). */}}
{{- define "ap.topic" -}}
{{- $topics := dict "zipper" "artifacts.commands.zip" "reporter" "artifacts.commands.report" "status" "artifacts.events" -}}
{{- index $topics .svc -}}
{{- end -}}

{{- define "ap.queueUrl" -}}
{{- printf "%s/%s%s" (trimSuffix "/" .root.Values.keda.sqsQueueUrlBase) .root.Values.config.queueNamePrefix (include "ap.topic" . | replace "." "-") -}}
{{- end -}}

{{/*
The variables of each service: only those whose part of the config it reads, and only its
own secrets (the workers never see AUTH_JWT_SECRET or WEBHOOK_SECRET). Both buses' names are
set, the bus being chosen at install. LOCAL_DATA_DIR and PUBLIC_BASE_URL are read by the
local (all-in-one) object store only, so no pod gets them. An empty value counts as unset
(docs/configuration.md), except S3_NOTIFICATIONS_QUEUE where "" disables.
test/ops/chart-env.test.ts checks these lists against what each service's code reads.
*/}}
{{- define "ap.envNames" -}}
{{- $common := list "BUS" "PORT" "AWS_REGION" "AWS_ENDPOINT_URL" "S3_FORCE_PATH_STYLE" "ARTIFACTS_BUCKET" "QUEUE_NAME_PREFIX" "KAFKA_BROKERS" "KAFKA_CLIENT_ID" "TOPIC_PREFIX" "LOG_LEVEL" "MAX_ATTEMPTS" "SHUTDOWN_GRACE_SECONDS" "JOB_RETENTION_DAYS" "REDIS_URL" "OTEL_SERVICE_NAME" "SQS_QUEUE_URL_BASE" "UPLOADS_BUCKET" -}}
{{- $own := dict
  "ingest" (list "ALLOWED_SOURCE_BUCKETS" "BUS_MAX_MESSAGE_BYTES" "AUTH_MODE" "AUTH_JWT_SECRET" "AUTH_JWKS_URL" "AUTH_MAX_TOKEN_LIFETIME_SECONDS" "AUTH_USERS_FILE" "HTTP_KEEP_ALIVE_SECONDS" "INGEST_RULES" "SOURCE_GRANTS" "S3_NOTIFICATIONS_QUEUE" "SHUTDOWN_DELAY_SECONDS")
  "status" (list "BUS_MAX_MESSAGE_BYTES" "AUTH_MODE" "AUTH_JWT_SECRET" "AUTH_JWKS_URL" "AUTH_MAX_TOKEN_LIFETIME_SECONDS" "DOWNLOAD_URL_TTL_SECONDS" "HTTP_KEEP_ALIVE_SECONDS" "SHUTDOWN_DELAY_SECONDS" "WEBHOOK_URL" "WEBHOOK_SECRET" "WEBHOOK_ALLOW_PRIVATE" "WEBHOOK_ALLOW_HTTP" "JOURNAL_PREFIX")
  "zipper" (list "ALLOWED_SOURCE_BUCKETS" "DOWNLOAD_URL_TTL_SECONDS" "INGEST_RULES" "SOURCE_GRANTS" "WORKER_CONCURRENCY")
  "reporter" (list "ALLOWED_SOURCE_BUCKETS" "DOWNLOAD_URL_TTL_SECONDS" "INGEST_RULES" "SOURCE_GRANTS" "WORKER_CONCURRENCY") -}}
{{- concat $common (index $own .svc) | toJson -}}
{{- end -}}

{{- define "ap.env" -}}
{{- $c := .root.Values.config -}}
{{- $s := .root.Values.secrets -}}
{{- $names := include "ap.envNames" . | fromJsonArray -}}
{{- if has "BUS" $names }}
- name: BUS
  value: {{ .root.Values.bus | quote }}
{{- end }}
{{- if has "PORT" $names }}
- name: PORT
  value: {{ (index .root.Values .svc).port | quote }}
{{- end }}
{{- if has "AWS_REGION" $names }}
- name: AWS_REGION
  value: {{ $c.awsRegion | quote }}
{{- end }}
{{- if has "AWS_ENDPOINT_URL" $names }}
- name: AWS_ENDPOINT_URL
  value: {{ $c.awsEndpointUrl | quote }}
{{- end }}
{{- if has "S3_FORCE_PATH_STYLE" $names }}
- name: S3_FORCE_PATH_STYLE
  value: {{ $c.s3ForcePathStyle | toString | quote }}
{{- end }}
{{- if has "ARTIFACTS_BUCKET" $names }}
- name: ARTIFACTS_BUCKET
  value: {{ $c.artifactsBucket | quote }}
{{- end }}
{{- if has "UPLOADS_BUCKET" $names }}
- name: UPLOADS_BUCKET
  value: {{ $c.uploadsBucket | default $c.artifactsBucket | quote }}
{{- end }}
{{- if has "SQS_QUEUE_URL_BASE" $names }}
- name: SQS_QUEUE_URL_BASE
  value: {{ .root.Values.keda.sqsQueueUrlBase | quote }}
{{- end }}
{{- if has "DOWNLOAD_URL_TTL_SECONDS" $names }}
- name: DOWNLOAD_URL_TTL_SECONDS
  value: {{ $c.downloadUrlTtlSeconds | toString | quote }}
{{- end }}
{{- if has "ALLOWED_SOURCE_BUCKETS" $names }}
- name: ALLOWED_SOURCE_BUCKETS
  value: {{ join "," $c.allowedSourceBuckets | quote }}
{{- end }}
{{- if has "S3_NOTIFICATIONS_QUEUE" $names }}
- name: S3_NOTIFICATIONS_QUEUE
  value: {{ $c.s3NotificationsQueue | quote }}
{{- end }}
{{- if has "QUEUE_NAME_PREFIX" $names }}
- name: QUEUE_NAME_PREFIX
  value: {{ $c.queueNamePrefix | quote }}
{{- end }}
{{- if has "KAFKA_BROKERS" $names }}
- name: KAFKA_BROKERS
  value: {{ join "," $c.kafkaBrokers | quote }}
{{- end }}
{{- if has "KAFKA_CLIENT_ID" $names }}
- name: KAFKA_CLIENT_ID
  value: {{ $c.kafkaClientId | quote }}
{{- end }}
{{- if has "TOPIC_PREFIX" $names }}
- name: TOPIC_PREFIX
  value: {{ $c.topicPrefix | quote }}
{{- end }}
{{- if has "BUS_MAX_MESSAGE_BYTES" $names }}
- name: BUS_MAX_MESSAGE_BYTES
  value: {{ $c.busMaxMessageBytes | toString | quote }}
{{- end }}
{{- if has "HTTP_KEEP_ALIVE_SECONDS" $names }}
- name: HTTP_KEEP_ALIVE_SECONDS
  value: {{ $c.httpKeepAliveSeconds | toString | quote }}
{{- end }}
{{- if has "AUTH_MODE" $names }}
- name: AUTH_MODE
  value: {{ $c.authMode | quote }}
{{- end }}
{{- if has "AUTH_JWKS_URL" $names }}
- name: AUTH_JWKS_URL
  value: {{ $c.authJwksUrl | quote }}
{{- end }}
{{- if has "AUTH_MAX_TOKEN_LIFETIME_SECONDS" $names }}
- name: AUTH_MAX_TOKEN_LIFETIME_SECONDS
  value: {{ $c.authMaxTokenLifetimeSeconds | toString | quote }}
{{- end }}
{{- if has "AUTH_USERS_FILE" $names }}
- name: AUTH_USERS_FILE
  value: {{ if $s.keys.authUsersFile }}/etc/artifact-pipeline/users/users.json{{ else }}""{{ end }}
{{- end }}
{{- if has "INGEST_RULES" $names }}
- name: INGEST_RULES
  value: {{ $c.ingestRules | quote }}
{{- end }}
{{- if has "SOURCE_GRANTS" $names }}
- name: SOURCE_GRANTS
  value: {{ $c.sourceGrants | default "" | quote }}
{{- end }}
{{- if has "WEBHOOK_URL" $names }}
- name: WEBHOOK_URL
  value: {{ $c.webhookUrl | quote }}
{{- end }}
{{- if has "WEBHOOK_ALLOW_PRIVATE" $names }}
- name: WEBHOOK_ALLOW_PRIVATE
  value: {{ $c.webhookAllowPrivate | toString | quote }}
{{- end }}
{{- if has "WEBHOOK_ALLOW_HTTP" $names }}
- name: WEBHOOK_ALLOW_HTTP
  value: {{ $c.webhookAllowHttp | toString | quote }}
{{- end }}
{{- if has "LOG_LEVEL" $names }}
- name: LOG_LEVEL
  value: {{ $c.logLevel | quote }}
{{- end }}
{{- if has "MAX_ATTEMPTS" $names }}
- name: MAX_ATTEMPTS
  value: {{ $c.maxAttempts | toString | quote }}
{{- end }}
{{- if has "WORKER_CONCURRENCY" $names }}
- name: WORKER_CONCURRENCY
  value: {{ $c.workerConcurrency | toString | quote }}
{{- end }}
{{- if has "SHUTDOWN_GRACE_SECONDS" $names }}
- name: SHUTDOWN_GRACE_SECONDS
  value: {{ include "ap.graceSeconds" . | quote }}
{{- end }}
{{- if has "SHUTDOWN_DELAY_SECONDS" $names }}
- name: SHUTDOWN_DELAY_SECONDS
  value: {{ include "ap.shutdownDelay" . | quote }}
{{- end }}
{{- if has "JOURNAL_PREFIX" $names }}
- name: JOURNAL_PREFIX
  value: {{ $c.journalPrefix | quote }}
{{- end }}
{{- if has "JOB_RETENTION_DAYS" $names }}
- name: JOB_RETENTION_DAYS
  value: {{ $c.jobRetentionDays | toString | quote }}
{{- end }}
{{- if has "REDIS_URL" $names }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ $s.existingSecret }}
      key: {{ $s.keys.redisUrl }}
{{- end }}
{{- if has "AUTH_JWT_SECRET" $names }}
- name: AUTH_JWT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $s.existingSecret }}
      key: {{ $s.keys.authJwtSecret }}
      optional: true
{{- end }}
{{- if has "WEBHOOK_SECRET" $names }}
- name: WEBHOOK_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $s.existingSecret }}
      key: {{ $s.keys.webhookSecret }}
      optional: true
{{- end }}
{{- if has "OTEL_SERVICE_NAME" $names }}
- name: OTEL_SERVICE_NAME
  value: {{ .svc | quote }}
{{- end }}
{{- end -}}
