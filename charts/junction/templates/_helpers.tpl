{{/*
The effective settings of one service: serviceDefaults overlaid with services.<name>.
Call with (dict "root" $ "name" $name "svc" $svc); returns YAML (use fromYaml).
*/}}
{{- define "junction.settings" -}}
{{- $merged := mergeOverwrite (deepCopy .root.Values.serviceDefaults) (deepCopy .svc) -}}
{{- toYaml $merged -}}
{{- end }}

{{/* Labels of one service's objects. */}}
{{- define "junction.labels" -}}
{{ include "junction-common.labels" (dict "root" .root "name" .name "version" "v1") }}
app.kubernetes.io/component: service
{{- end }}

{{/* In-cluster DNS name of a service. */}}
{{- define "junction.host" -}}
{{ .name }}.{{ .root.Release.Namespace }}.svc.cluster.local
{{- end }}

{{/* SPIFFE principal of a service's ServiceAccount (what AuthorizationPolicies match on). */}}
{{- define "junction.principal" -}}
cluster.local/ns/{{ .root.Release.Namespace }}/sa/{{ .name }}
{{- end }}

{{/* Fails rendering when a gRPC client names a service that has no gRPC port. */}}
{{- define "junction.grpcTarget" -}}
{{- $target := index .root.Values.services .target | default dict -}}
{{- if not $target.grpc -}}
{{- fail (printf "services.%s.grpcClients.%s: service %q does not serve gRPC (or is not defined)" .name .env .target) -}}
{{- end -}}
{{ .target }}:{{ $target.grpc.port }}
{{- end }}
