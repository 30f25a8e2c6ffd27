{{/* Names, labels and the shared pod pieces of every service. */}}
{{- define "ap.fullname" -}}
{{- printf "%s" .Release.Name | trunc 40 | trimSuffix "-" -}}
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

{{/* Kubernetes waits this long after SIGTERM before SIGKILL: the drain plus a margin. */}}
{{- define "ap.terminationGrace" -}}
{{- $values := index .root.Values .svc -}}
{{- add (include "ap.graceSeconds" . | int) $values.terminationGraceMarginSeconds -}}
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
Every variable loadConfig reads (packages/shared/src/config), on every service: config is
validated as a whole at start-up, so each service gets the same set. An empty value counts
as unset (docs/configuration.md), except S3_NOTIFICATIONS_QUEUE where "" disables.
test/ops/chart-env.test.ts checks this list against the config source.
*/}}
{{- define "ap.env" -}}
{{- $c := .root.Values.config -}}
{{- $s := .root.Values.secrets -}}
- name: BUS
  value: {{ .root.Values.bus | quote }}
- name: PORT
  value: {{ (index .root.Values .svc).port | quote }}
- name: AWS_REGION
  value: {{ $c.awsRegion | quote }}
- name: AWS_ENDPOINT_URL
  value: {{ $c.awsEndpointUrl | quote }}
- name: S3_FORCE_PATH_STYLE
  value: {{ $c.s3ForcePathStyle | toString | quote }}
- name: ARTIFACTS_BUCKET
  value: {{ $c.artifactsBucket | quote }}
- name: DOWNLOAD_URL_TTL_SECONDS
  value: {{ $c.downloadUrlTtlSeconds | toString | quote }}
- name: ALLOWED_SOURCE_BUCKETS
  value: {{ join "," $c.allowedSourceBuckets | quote }}
- name: S3_NOTIFICATIONS_QUEUE
  value: {{ $c.s3NotificationsQueue | quote }}
- name: QUEUE_NAME_PREFIX
  value: {{ $c.queueNamePrefix | quote }}
- name: KAFKA_BROKERS
  value: {{ join "," $c.kafkaBrokers | quote }}
- name: KAFKA_CLIENT_ID
  value: {{ $c.kafkaClientId | quote }}
- name: TOPIC_PREFIX
  value: {{ $c.topicPrefix | quote }}
- name: PUBLIC_BASE_URL
  value: {{ $c.publicBaseUrl | quote }}
- name: HTTP_KEEP_ALIVE_SECONDS
  value: {{ $c.httpKeepAliveSeconds | toString | quote }}
- name: AUTH_MODE
  value: {{ $c.authMode | quote }}
- name: AUTH_JWKS_URL
  value: {{ $c.authJwksUrl | quote }}
- name: AUTH_USERS_FILE
  value: {{ if $s.keys.authUsersFile }}/etc/artifact-pipeline/users/users.json{{ else }}""{{ end }}
- name: INGEST_RULES
  value: {{ $c.ingestRules | quote }}
- name: WEBHOOK_URL
  value: {{ $c.webhookUrl | quote }}
- name: WEBHOOK_ALLOW_PRIVATE
  value: {{ $c.webhookAllowPrivate | toString | quote }}
- name: WEBHOOK_ALLOW_HTTP
  value: {{ $c.webhookAllowHttp | toString | quote }}
- name: LOG_LEVEL
  value: {{ $c.logLevel | quote }}
- name: MAX_ATTEMPTS
  value: {{ $c.maxAttempts | toString | quote }}
- name: WORKER_CONCURRENCY
  value: {{ $c.workerConcurrency | toString | quote }}
- name: SHUTDOWN_GRACE_SECONDS
  value: {{ include "ap.graceSeconds" . | quote }}
- name: JOB_RETENTION_DAYS
  value: {{ $c.jobRetentionDays | toString | quote }}
- name: LOCAL_DATA_DIR
  value: {{ $c.localDataDir | quote }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ $s.existingSecret }}
      key: {{ $s.keys.redisUrl }}
- name: AUTH_JWT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $s.existingSecret }}
      key: {{ $s.keys.authJwtSecret }}
      optional: true
- name: WEBHOOK_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $s.existingSecret }}
      key: {{ $s.keys.webhookSecret }}
      optional: true
- name: OTEL_SERVICE_NAME
  value: {{ .svc | quote }}
{{- end -}}
