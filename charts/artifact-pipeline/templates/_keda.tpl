{{/*
The KEDA trigger of one consumer, chosen by values.bus. KEDA requires every trigger
metadata value to be a string, so each one is quoted.
*/}}
{{- define "ap.trigger" -}}
{{- $v := index .root.Values .svc -}}
{{- $c := .root.Values.config -}}
{{- if eq .root.Values.bus "sqs" }}
- type: aws-sqs-queue
  authenticationRef:
    name: {{ include "ap.fullname" .root }}-aws
  metadata:
    queueURL: {{ include "ap.queueUrl" . | quote }}
    queueLength: {{ $v.keda.queueLength | toString | quote }}
    activationQueueLength: {{ $v.keda.activationQueueLength | toString | quote }}
    awsRegion: {{ $c.awsRegion | quote }}
    identityOwner: {{ .root.Values.keda.sqsIdentityOwner | quote }}
{{- else }}
- type: kafka
  metadata:
    bootstrapServers: {{ join "," $c.kafkaBrokers | quote }}
    {{- /* The bus prefixes every group: <TOPIC_PREFIX>artifact-pipeline.<group> (shared wiring.ts). */}}
    consumerGroup: {{ printf "%sartifact-pipeline.%s" $c.topicPrefix $v.kafkaConsumerGroup | quote }}
    topic: {{ printf "%s%s" $c.topicPrefix (include "ap.topic" .) | quote }}
    lagThreshold: {{ $v.keda.lagThreshold | toString | quote }}
    activationLagThreshold: {{ $v.keda.activationLagThreshold | toString | quote }}
    # A partition without a committed offset counts as lag: new work must wake a worker.
    offsetResetPolicy: "earliest"
{{- end }}
{{- end -}}
