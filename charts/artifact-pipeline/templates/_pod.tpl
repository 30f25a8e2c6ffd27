{{/* The pod of one service, shared by its Deployment and (zipper) its ScaledJob. */}}
{{- define "ap.podSpec" -}}
{{- $v := index .root.Values .svc -}}
{{- $root := .root -}}
serviceAccountName: {{ include "ap.serviceAccountName" . }}
{{- /* No service calls the Kubernetes API. IRSA does not need the token either: EKS's webhook
projects its own web-identity token (AWS_WEB_IDENTITY_TOKEN_FILE) into the pod. */}}
automountServiceAccountToken: false
terminationGracePeriodSeconds: {{ include "ap.terminationGrace" . }}
securityContext:
  {{- toYaml $root.Values.podSecurityContext | nindent 2 }}
{{- with $root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
containers:
  - name: {{ .svc }}
    image: {{ printf "%s-%s:%s" $root.Values.image.repository .svc $root.Values.image.tag | quote }}
    imagePullPolicy: {{ $root.Values.image.pullPolicy }}
    ports:
      - name: http
        containerPort: {{ $v.port }}
        protocol: TCP
    env:
      {{- include "ap.env" . | trim | nindent 6 }}
    {{- with $root.Values.probes }}
    startupProbe:
      httpGet: {path: /healthz, port: http}
      {{- toYaml .startup | nindent 6 }}
    livenessProbe:
      httpGet: {path: /healthz, port: http}
      {{- toYaml .liveness | nindent 6 }}
    readinessProbe:
      httpGet: {path: /readyz, port: http}
      {{- toYaml .readiness | nindent 6 }}
    {{- end }}
    resources:
      {{- toYaml $v.resources | nindent 6 }}
    securityContext:
      {{- toYaml $root.Values.securityContext | nindent 6 }}
    volumeMounts:
      # readOnlyRootFilesystem: Node and the SDKs may still write temporary files.
      - name: tmp
        mountPath: /tmp
      {{- if and (eq .svc "ingest") $root.Values.secrets.keys.authUsersFile }}
      - name: users
        mountPath: /etc/artifact-pipeline/users
        readOnly: true
      {{- end }}
volumes:
  - name: tmp
    emptyDir: {}
  {{- if and (eq .svc "ingest") $root.Values.secrets.keys.authUsersFile }}
  - name: users
    secret:
      secretName: {{ $root.Values.secrets.existingSecret }}
      items:
        - key: {{ $root.Values.secrets.keys.authUsersFile }}
          path: users.json
  {{- end }}
{{- with $v.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
