{{/*
The hardened pod/container security contexts every Junction workload uses.
Pod level: non-root with a fixed uid/gid, RuntimeDefault seccomp.
Container level: read-only root filesystem, no privilege escalation, every capability dropped.
Call with (dict "uid" <int>) — the uid the image runs as (10001 for our services).
*/}}
{{- define "junction-common.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid }}
runAsGroup: {{ .uid }}
fsGroup: {{ .uid }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "junction-common.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid }}
runAsGroup: {{ .uid }}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* The writable scratch space that goes with a read-only root filesystem. */}}
{{- define "junction-common.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .sizeLimit | default "64Mi" }}
{{- end }}

{{- define "junction-common.tmpVolumeMount" -}}
- name: tmp
  mountPath: /tmp
{{- end }}
