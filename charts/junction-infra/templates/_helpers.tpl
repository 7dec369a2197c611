{{- define "infra.labels" -}}
{{ include "junction-common.labels" (dict "root" .root "name" .name "version" .version) }}
app.kubernetes.io/component: infrastructure
{{- end }}

{{/* Infra pods stay out of the mesh (see docs/kubernetes.md, "RabbitMQ in the mesh"). */}}
{{- define "infra.podLabels" -}}
{{ include "infra.labels" . }}
sidecar.istio.io/inject: "false"
{{- end }}

{{/* A memory quantity in Mi or Gi ("512Mi", "1Gi") as a whole number of MiB. */}}
{{- define "infra.mebibytes" -}}
{{- if hasSuffix "Gi" . -}}
{{- mul (trimSuffix "Gi" . | atoi) 1024 -}}
{{- else if hasSuffix "Mi" . -}}
{{- trimSuffix "Mi" . | atoi -}}
{{- else -}}
{{- fail (printf "memory limit %q: write it in Mi or Gi" .) -}}
{{- end -}}
{{- end }}

{{/* GOMEMLIMIT for a Go program under a container memory limit: 85% of it, so the garbage
collector works harder before the kernel's OOM killer does. */}}
{{- define "infra.goMemLimit" -}}
{{- div (mul (include "infra.mebibytes" . | atoi) 85) 100 }}MiB
{{- end }}

{{/* The ports the collector, Jaeger and Prometheus listen on: the Services, the containers and the
${env:VAR}s of their configs (files/) all take them from here. */}}
{{- define "infra.ports" -}}
otelCollector: { otlpGrpc: 4317, otlpHttp: 4318, health: 13133, metrics: 8888, scrape: 8889 }
jaeger: { otlpGrpc: 4317, otlpHttp: 4318, queryHttp: 16686, queryGrpc: 16685, health: 13133, metrics: 8888 }
prometheus: { http: 9090 }
{{- end }}

{{/* Each service's passwords, by service and then `redis` / `rabbitmq` (for the stores it uses,
as files/service-access.json, generated from topology.yaml, lists them): read back from the
service's credentials Secret on upgrade (lookup), random at first install. Computed once per
rendering and kept in .Values, so the Secret, Redis's ACL file and RabbitMQ's definitions —
rendered by different templates — carry the same ones. */}}
{{- define "infra.servicePasswords" -}}
{{- if not (hasKey .Values "_servicePasswords") -}}
{{- $access := .Files.Get "files/service-access.json" | fromJson -}}
{{- $all := dict -}}
{{- range $name := concat (keys $access.redis) (keys $access.rabbitmq) | uniq | sortAlpha -}}
{{- $secret := include "infra.serviceCredentialsSecret" (dict "root" $ "name" $name) -}}
{{- $existing := include "junction-common.existingSecretData" (dict "root" $ "name" $secret) | fromYaml -}}
{{- $passwords := dict -}}
{{- range $store := list "redis" "rabbitmq" -}}
{{- if hasKey (index $access $store) $name -}}
{{- $key := printf "%s-password" $store -}}
{{- $password := randAlphaNum 32 -}}
{{- if and $existing (index $existing $key) -}}
{{- $password = index $existing $key | b64dec -}}
{{- end -}}
{{- $_ := set $passwords $store $password -}}
{{- end -}}
{{- end -}}
{{- $_ := set $all $name $passwords -}}
{{- end -}}
{{- $_ := set .Values "_servicePasswords" $all -}}
{{- end -}}
{{- toYaml .Values._servicePasswords -}}
{{- end }}

{{/* The name of a service's credentials Secret: <service><serviceCredentials.secretSuffix>. */}}
{{- define "infra.serviceCredentialsSecret" -}}
{{- printf "%s%s" .name .root.Values.serviceCredentials.secretSuffix -}}
{{- end }}
