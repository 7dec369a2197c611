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

{{/* Labels of a web app's objects (topology.yaml `web`). */}}
{{- define "junction.webLabels" -}}
{{ include "junction-common.labels" (dict "root" .root "name" .name "version" "v1") }}
app.kubernetes.io/component: web
{{- end }}

{{/*
Fails rendering when a web app's demo panel is on but cannot work: it names no service, or one
whose fault injection is off (its /admin/faults then answers 404). Call with
(dict "root" $ "name" $name "app" $app "settings" $s).
*/}}
{{- define "junction.webDemoTargetsOn" -}}
{{- if .settings.demoPanel -}}
{{- if not .app.demo -}}
{{- fail (printf "%s.demoPanel: web.%s.demo names no service" .name .name) -}}
{{- end -}}
{{- range .app.demo -}}
{{- $target := index $.root.Values.services . | default dict -}}
{{- if not (and $target.faults $target.faults.enabled) -}}
{{- fail (printf "%s.demoPanel needs services.%s.faults.enabled=true (its /admin/faults is off without it)" $.name .) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end }}

{{/*
A web app's environment (web/storefront/README.md lists the variables): its port on every
interface, the collector's OTLP/HTTP traces URL for the browser's spans, Jaeger's query API, and
with the demo panel on, the HTTP origin of each service it sets. Call with
(dict "root" $ "name" $name "app" $app "settings" $s).
*/}}
{{- define "junction.webConfigData" -}}
PORT: {{ .app.httpPort | quote }}
HOST: "0.0.0.0"
OTLP_TRACES_URL: {{ printf "%s/v1/traces" (trimSuffix "/" .root.Values.infra.otlpEndpoint) | quote }}
JAEGER_QUERY_URL: {{ .settings.jaegerQueryUrl | quote }}
{{- with .settings.jaegerUiUrl }}
JAEGER_UI_URL: {{ . | quote }}
{{- end }}
DEMO_PANEL: {{ ternary "true" "false" (.settings.demoPanel | default false) | quote }}
{{- if .settings.demoPanel }}
{{- range .app.demo }}
{{- $target := index $.root.Values.services . }}
{{ printf "FAULT_%s_URL" (upper . | replace "-" "_") }}: {{ printf "http://%s:%v" (include "junction.host" (dict "root" $.root "name" .)) $target.httpPort | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The web apps whose demo panel sets this service's faults (demoPanel on, the service in their
`demo`), as a list of names. Call with (dict "root" $ "name" $name).
*/}}
{{- define "junction.demoCallers" -}}
{{- $callers := list -}}
{{- range $app, $web := .root.Values.web -}}
{{- $s := index $.root.Values $app | default dict -}}
{{- if and $s.enabled $s.demoPanel (has $.name $web.demo) -}}
{{- $callers = append $callers $app -}}
{{- end -}}
{{- end -}}
{{- toJson $callers -}}
{{- end }}
