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

{{/*
Where the load generator sends its checkouts, as LOAD_* environment variables: loadGenerator.target
if set; else, with the mesh, the ingress gateway's Service (the public entry, as for a shopper);
else the auth and orders Services directly.
*/}}
{{- define "junction.loadTargetEnv" -}}
{{- $lg := .Values.loadGenerator -}}
{{- $gw := .Values.mesh.gateway -}}
{{- if $lg.target -}}
- name: LOAD_TARGET
  value: {{ $lg.target | quote }}
{{- else if .Values.mesh.enabled -}}
- name: LOAD_TARGET
  value: {{ printf "http://%s.%s.svc.cluster.local:%v" $gw.service $gw.namespace $gw.port | quote }}
{{- else -}}
{{- range $env, $name := dict "LOAD_AUTH_URL" "auth" "LOAD_ORDERS_URL" "orders" }}
{{- $svc := index $.Values.services $name | default dict }}
{{- if not $svc.httpPort }}
{{- fail (printf "loadGenerator: no service %q to send /%s to; set loadGenerator.target" $name $name) }}
{{- end }}
- name: {{ $env }}
  value: {{ printf "http://%s:%v" (include "junction.host" (dict "root" $ "name" $name)) $svc.httpPort | quote }}
{{- end }}
{{- end -}}
{{- end }}

{{/* A topology route path (`/orders/{id}/events`) as an AuthorizationPolicy path template (`{*}` = one segment). */}}
{{- define "junction.policyPath" -}}
{{ regexReplaceAll "\\{[^}/]+\\}" . "{*}" }}
{{- end }}

{{/* A topology route path as an anchored RE2 regex for VirtualService matching (`{id}` = one segment;
topology.yaml allows only [A-Za-z0-9._~-] in literal segments, so `.` is the one character to escape). */}}
{{- define "junction.routeRegex" -}}
^{{ regexReplaceAll "\\{[^}/]+\\}" (replace "." "\\." .) "[^/]+" }}$
{{- end }}

{{/* The JWKS URL of the one service that signs access tokens (jwtSigner), for the verifiers. */}}
{{- define "junction.jwksUrl" -}}
{{- $signers := list -}}
{{- range $name, $svc := .Values.services }}{{ if $svc.jwtSigner }}{{ $signers = append $signers (dict "name" $name "port" $svc.httpPort) }}{{ end }}{{ end -}}
{{- if ne (len $signers) 1 -}}
{{- fail "services: token verifiers need exactly one service with jwtSigner: true" -}}
{{- end -}}
{{- $signer := first $signers -}}
http://{{ $signer.name }}:{{ $signer.port }}/.well-known/jwks.json
{{- end }}
