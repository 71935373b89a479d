{{/* vim: set filetype=mustache: */}}

{{/* The fleet's workers, in a fixed order. */}}
{{- define "leadflow.workerNames" -}}
replies clicks bookings sequencer
{{- end -}}

{{/*
A worker's consumer group, exactly as the code names it (workers/topics.py group_id): the topic
prefix without trailing separators, "-", the worker ("leadflow." gives "leadflow-replies"). Not
configurable: the workers cannot be told another group, so KEDA must watch this one.
Context: dict "root" $ "worker" name.
*/}}
{{- define "leadflow.consumerGroup" -}}
{{- $stem := regexReplaceAll "[._-]+$" .root.Values.kafka.topicPrefix "" | default "leadflow" -}}
{{- printf "%s-%s" $stem .worker -}}
{{- end -}}

{{- define "leadflow.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "leadflow.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of one worker's objects: <fullname>-<worker>. Call with (dict "root" $ "worker" "replies"). */}}
{{- define "leadflow.workerFullname" -}}
{{- printf "%s-%s" (include "leadflow.fullname" .root | trunc 50 | trimSuffix "-") .worker -}}
{{- end -}}

{{- define "leadflow.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "leadflow.labels" -}}
helm.sh/chart: {{ include "leadflow.chart" . }}
{{ include "leadflow.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: leadflow
{{- end -}}

{{- define "leadflow.selectorLabels" -}}
app.kubernetes.io/name: {{ include "leadflow.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels of one worker's objects. Call with (dict "root" $ "worker" "replies"). */}}
{{- define "leadflow.workerLabels" -}}
{{ include "leadflow.labels" .root }}
app.kubernetes.io/component: {{ .worker }}
{{- end -}}

{{- define "leadflow.workerSelectorLabels" -}}
{{ include "leadflow.selectorLabels" .root }}
app.kubernetes.io/component: {{ .worker }}
{{- end -}}

{{- define "leadflow.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{/* ---------- Secrets ---------- */}}

{{- define "leadflow.secretName" -}}
{{- include "leadflow.fullname" . -}}
{{- end -}}

{{/* "true" when the chart must create its own Secret (values given, no existing Secret). */}}
{{- define "leadflow.createDatabaseSecret" -}}
{{- if and .Values.database.url (not .Values.database.existingSecret) -}}true{{- end -}}
{{- end -}}

{{- define "leadflow.createSaslSecret" -}}
{{- if and .Values.kafka.sasl.mechanism (not .Values.kafka.sasl.existingSecret) .Values.kafka.sasl.username -}}true{{- end -}}
{{- end -}}

{{- define "leadflow.createTrackingSecret" -}}
{{- if and .Values.tracking.secret (not .Values.tracking.existingSecret) -}}true{{- end -}}
{{- end -}}

{{- define "leadflow.createSecret" -}}
{{- if or (include "leadflow.createDatabaseSecret" .) (include "leadflow.createSaslSecret" .) (include "leadflow.createTrackingSecret" .) -}}true{{- end -}}
{{- end -}}

{{- define "leadflow.trackingConfigured" -}}
{{- if or .Values.tracking.existingSecret .Values.tracking.secret -}}true{{- end -}}
{{- end -}}

{{/* Secret name and key of LEADFLOW_TRACKING_SECRET. */}}
{{- define "leadflow.trackingSecretRef" -}}
{{- if .Values.tracking.existingSecret -}}
name: {{ .Values.tracking.existingSecret }}
key: {{ .Values.tracking.secretKey }}
{{- else -}}
name: {{ include "leadflow.secretName" . }}
key: tracking-secret
{{- end -}}
{{- end -}}

{{- define "leadflow.databaseConfigured" -}}
{{- if or .Values.database.existingSecret .Values.database.url -}}true{{- end -}}
{{- end -}}

{{/* Secret name and key of the database URL. */}}
{{- define "leadflow.databaseSecretRef" -}}
{{- if .Values.database.existingSecret -}}
name: {{ .Values.database.existingSecret }}
key: {{ .Values.database.urlKey }}
{{- else -}}
name: {{ include "leadflow.secretName" . }}
key: database-url
{{- end -}}
{{- end -}}

{{- define "leadflow.saslSecretName" -}}
{{- .Values.kafka.sasl.existingSecret | default (include "leadflow.secretName" .) -}}
{{- end -}}

{{- define "leadflow.saslUsernameKey" -}}
{{- if .Values.kafka.sasl.existingSecret -}}{{ .Values.kafka.sasl.usernameKey }}{{- else -}}kafka-sasl-username{{- end -}}
{{- end -}}

{{- define "leadflow.saslPasswordKey" -}}
{{- if .Values.kafka.sasl.existingSecret -}}{{ .Values.kafka.sasl.passwordKey }}{{- else -}}kafka-sasl-password{{- end -}}
{{- end -}}

{{/* Fails the render on contradictory values (the schema checks types and names). */}}
{{- define "leadflow.validate" -}}
{{- if and .Values.database.url .Values.database.existingSecret -}}
{{- fail "database: set either database.existingSecret or database.url, not both" -}}
{{- end -}}
{{- if and .Values.tracking.secret .Values.tracking.existingSecret -}}
{{- fail "tracking: set either tracking.existingSecret or tracking.secret, not both" -}}
{{- end -}}
{{- $sasl := .Values.kafka.sasl -}}
{{- if and $sasl.mechanism (include "leadflow.needsSharedSasl" .) (not $sasl.existingSecret) (or (not $sasl.username) (not $sasl.password)) -}}
{{- fail "kafka.sasl.mechanism is set: give kafka.sasl.existingSecret (recommended) or kafka.sasl.username and kafka.sasl.password, or a workers.<name>.kafkaSasl.existingSecret for every worker, setup.kafkaSasl.existingSecret and gateway.kafkaSasl.existingSecret" -}}
{{- end -}}
{{- if and (not $sasl.mechanism) (or $sasl.existingSecret $sasl.username $sasl.password) -}}
{{- fail "kafka.sasl credentials are set but kafka.sasl.mechanism is empty" -}}
{{- end -}}
{{- if and $sasl.mechanism .Values.keda.enabled (not .Values.keda.triggerAuthenticationRef) (not $sasl.existingSecret) (not $sasl.username) -}}
{{- fail "keda.enabled with SASL: KEDA's scaler needs credentials of its own, kafka.sasl.existingSecret (Describe on the groups and topics) or keda.triggerAuthenticationRef" -}}
{{- end -}}
{{- if and $sasl.existingSecret (or $sasl.username $sasl.password) -}}
{{- fail "kafka.sasl: set either existingSecret or username/password, not both" -}}
{{- end -}}
{{- if and $sasl.mechanism (not (has .Values.kafka.securityProtocol (list "SASL_PLAINTEXT" "SASL_SSL"))) -}}
{{- fail "kafka.sasl.mechanism is set: kafka.securityProtocol must be SASL_PLAINTEXT or SASL_SSL" -}}
{{- end -}}
{{- if and .Values.metrics.serviceMonitor.enabled (not .Values.metrics.service.enabled) -}}
{{- fail "metrics.serviceMonitor.enabled needs metrics.service.enabled" -}}
{{- end -}}
{{- $ga := .Values.gateway.autoscaling -}}
{{- if gt (int $ga.minReplicas) (int $ga.maxReplicas) -}}
{{- fail (printf "gateway.autoscaling: minReplicas (%v) is greater than maxReplicas (%v)" $ga.minReplicas $ga.maxReplicas) -}}
{{- end -}}
{{- range $name := splitList " " (include "leadflow.workerNames" .) -}}
{{- $w := index $.Values.workers $name -}}
{{- if gt (int $w.minReplicas) (int $w.maxReplicas) -}}
{{- fail (printf "workers.%s: minReplicas (%v) is greater than maxReplicas (%v)" $name $w.minReplicas $w.maxReplicas) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* ---------- Pod pieces ---------- */}}

{{/*
The SASL credential Secret of one component: its own (workers.<name>.kafkaSasl.existingSecret,
setup.kafkaSasl.existingSecret, gateway.kafkaSasl.existingSecret: one Kafka principal per
component, least privilege) or the shared kafka.sasl one. Context: dict "root" $ "component"
"replies"|...|"setup"|"gateway". YAML: name, usernameKey,
passwordKey.
*/}}
{{- define "leadflow.componentSasl" -}}
{{- $own := include "leadflow.ownSasl" . | fromYaml -}}
{{- if $own.existingSecret -}}
name: {{ $own.existingSecret }}
usernameKey: {{ $own.usernameKey | default "username" }}
passwordKey: {{ $own.passwordKey | default "password" }}
{{- else -}}
name: {{ include "leadflow.saslSecretName" .root }}
usernameKey: {{ include "leadflow.saslUsernameKey" .root }}
passwordKey: {{ include "leadflow.saslPasswordKey" .root }}
{{- end -}}
{{- end -}}

{{/* The component's own kafkaSasl values (YAML; empty when it has none). */}}
{{- define "leadflow.ownSasl" -}}
{{- $v := .root.Values -}}
{{- if eq .component "setup" -}}
{{- toYaml ($v.setup.kafkaSasl | default dict) -}}
{{- else if eq .component "gateway" -}}
{{- toYaml ($v.gateway.kafkaSasl | default dict) -}}
{{- else if .component -}}
{{- toYaml ((index $v.workers .component).kafkaSasl | default dict) -}}
{{- end -}}
{{- end -}}

{{/* "true" when some enabled component has no credential Secret of its own. */}}
{{- define "leadflow.needsSharedSasl" -}}
{{- $root := . -}}
{{- range $name := splitList " " (include "leadflow.workerNames" $root) -}}
{{- $w := index $root.Values.workers $name -}}
{{- if and $w.enabled (not ($w.kafkaSasl | default dict).existingSecret) -}}true{{- end -}}
{{- end -}}
{{- if and .Values.setup.enabled (not (.Values.setup.kafkaSasl | default dict).existingSecret) -}}true{{- end -}}
{{- if and .Values.gateway.enabled (not (.Values.gateway.kafkaSasl | default dict).existingSecret) -}}true{{- end -}}
{{- end -}}

{{/* Environment of every leadflow container. Call with (dict "root" $ "database" true|false "component" name). */}}
{{- define "leadflow.env" -}}
{{- $v := .root.Values -}}
- name: LEADFLOW_KAFKA_BOOTSTRAP_SERVERS
  value: {{ $v.kafka.bootstrapServers | quote }}
- name: LEADFLOW_TOPIC_PREFIX
  value: {{ $v.kafka.topicPrefix | quote }}
- name: LEADFLOW_METRICS_PORT
  value: {{ $v.metrics.port | quote }}
- name: LEADFLOW_LOG_LEVEL
  value: {{ $v.logLevel | quote }}
{{- with $v.kafka.securityProtocol }}
- name: LEADFLOW_KAFKA_SECURITY_PROTOCOL
  value: {{ . | quote }}
{{- end }}
{{- if $v.kafka.sasl.mechanism }}
- name: LEADFLOW_KAFKA_SASL_MECHANISM
  value: {{ $v.kafka.sasl.mechanism | quote }}
{{- $sasl := include "leadflow.componentSasl" . | fromYaml }}
- name: LEADFLOW_KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $sasl.name }}
      key: {{ $sasl.usernameKey }}
- name: LEADFLOW_KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $sasl.name }}
      key: {{ $sasl.passwordKey }}
{{- end }}
{{- if $v.kafka.tls.caSecret }}
- name: LEADFLOW_KAFKA_SSL_CAFILE
  value: {{ printf "/etc/leadflow/kafka-ca/%s" $v.kafka.tls.caKey | quote }}
{{- end }}
{{- if and .database (include "leadflow.databaseConfigured" .root) }}
- name: LEADFLOW_DATABASE_URL
  valueFrom:
    secretKeyRef:
      {{- include "leadflow.databaseSecretRef" .root | nindent 6 }}
{{- end }}
- name: LEADFLOW_MESSAGE_ID_DOMAIN
  value: {{ $v.tracking.messageIdDomain | quote }}
{{- if include "leadflow.trackingConfigured" .root }}
- name: LEADFLOW_TRACKING_SECRET
  valueFrom:
    secretKeyRef:
      {{- include "leadflow.trackingSecretRef" .root | nindent 6 }}
{{- end }}
{{- with $v.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "leadflow.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "leadflow.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "leadflow.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.kafka.tls.caSecret }}
- name: kafka-ca
  mountPath: /etc/leadflow/kafka-ca
  readOnly: true
{{- end }}
{{- if .Values.database.tls.caSecret }}
- name: database-ca
  mountPath: /etc/leadflow/db-ca
  readOnly: true
{{- end }}
{{- end -}}

{{- define "leadflow.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- if .Values.kafka.tls.caSecret }}
- name: kafka-ca
  secret:
    secretName: {{ .Values.kafka.tls.caSecret }}
    items:
      - key: {{ .Values.kafka.tls.caKey }}
        path: {{ .Values.kafka.tls.caKey }}
{{- end }}
{{- if .Values.database.tls.caSecret }}
- name: database-ca
  secret:
    secretName: {{ .Values.database.tls.caSecret }}
    items:
      - key: {{ .Values.database.tls.caKey }}
        path: {{ .Values.database.tls.caKey }}
{{- end }}
{{- end -}}

{{/* Pod-level scheduling and identity shared by the workers and the setup Job. */}}
{{- define "leadflow.podCommon" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.serviceAccountName }}
serviceAccountName: {{ . }}
{{- end }}
automountServiceAccountToken: false
enableServiceLinks: false
{{- with .Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
securityContext:
  {{- include "leadflow.podSecurityContext" . | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
volumes:
  {{- include "leadflow.volumes" . | nindent 2 }}
{{- end -}}

{{/* KEDA sasl mode for the kafka scaler, from the client's SASL mechanism. */}}
{{- define "leadflow.kedaSaslMode" -}}
{{- $m := .Values.kafka.sasl.mechanism -}}
{{- if eq $m "PLAIN" -}}plaintext{{- else if eq $m "SCRAM-SHA-256" -}}scram_sha256{{- else if eq $m "SCRAM-SHA-512" -}}scram_sha512{{- end -}}
{{- end -}}

{{- define "leadflow.kedaTls" -}}
{{- if has .Values.kafka.securityProtocol (list "SSL" "SASL_SSL") -}}true{{- end -}}
{{- end -}}

{{/* Whether the chart creates a TriggerAuthentication (KEDA on, SASL or TLS in use, none given). */}}
{{- define "leadflow.createTriggerAuth" -}}
{{- if and .Values.keda.enabled (not .Values.keda.triggerAuthenticationRef) (or .Values.kafka.sasl.mechanism (include "leadflow.kedaTls" .)) -}}true{{- end -}}
{{- end -}}

{{- define "leadflow.triggerAuthName" -}}
{{- .Values.keda.triggerAuthenticationRef | default (printf "%s-kafka" (include "leadflow.fullname" .)) -}}
{{- end -}}
