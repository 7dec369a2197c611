{{- define "infra.labels" -}}
{{ include "junction-common.labels" (dict "root" .root "name" .name "version" .version) }}
app.kubernetes.io/component: infrastructure
{{- end }}

{{/* Infra pods stay out of the mesh (see docs/kubernetes.md, "RabbitMQ in the mesh"). */}}
{{- define "infra.podLabels" -}}
{{ include "infra.labels" . }}
sidecar.istio.io/inject: "false"
{{- end }}
