{{/*
A ServiceAccount for one workload (every workload gets its own identity; the mesh
AuthorizationPolicies name these). Call with (dict "root" $ "name" "<component>").
*/}}
{{- define "junction-common.serviceAccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ .name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "junction-common.labels" . | nindent 4 }}
automountServiceAccountToken: false
{{- end }}

{{/*
A PodDisruptionBudget. maxUnavailable (not minAvailable) so a single-replica workload still
lets a node drain. Call with (dict "root" $ "name" "<component>" "maxUnavailable" 1).
*/}}
{{- define "junction-common.pdb" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ .name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "junction-common.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ .maxUnavailable | default 1 }}
  selector:
    matchLabels:
      {{- include "junction-common.selectorLabels" . | nindent 6 }}
{{- end }}

{{/*
Reuse a Secret's data across `helm upgrade` (lookup sees the live object; `helm template`
and the first install see nothing and generate). Returns the existing .data as YAML, or "".
Call with (dict "root" $ "name" "<secret>").
*/}}
{{- define "junction-common.existingSecretData" -}}
{{- $existing := lookup "v1" "Secret" .root.Release.Namespace .name -}}
{{- if and $existing $existing.data -}}
{{- toYaml $existing.data -}}
{{- end -}}
{{- end }}
