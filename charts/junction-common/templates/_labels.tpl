{{/*
Labels shared by every Junction object. Call with (dict "root" $ "name" "<component>").
`app`/`version` are the labels Istio uses for telemetry; the rest are the recommended k8s labels.
*/}}
{{- define "junction-common.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}

{{- define "junction-common.labels" -}}
{{ include "junction-common.selectorLabels" . }}
app: {{ .name }}
version: {{ .version | default "v1" | quote }}
app.kubernetes.io/part-of: junction
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end }}
