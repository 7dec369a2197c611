// When a deploy fails, say which pods are not ready and why — their containers' states, the
// pods' recent events and the last log lines of the containers that failed — instead of only
// skaffold's exit code. Reads kubectl's JSON through an injected Run (not-ready.test.mts).
import { parseJson, type Run } from './run.mts';

interface ContainerState {
  waiting?: { reason?: string; message?: string };
  terminated?: { reason?: string; exitCode?: number; message?: string };
  running?: object;
}

interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

interface Pod {
  metadata: { name: string; namespace: string };
  status?: {
    phase?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

interface KubeEvent {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  metadata?: { creationTimestamp?: string };
}

/** What to try for a waiting reason that has one obvious cause here. */
const HINTS: Readonly<Record<string, string>> = {
  ErrImageNeverPull:
    'the image is not in the kind node: skaffold did not load it (kube context kind-junction? see the preflight line on the containerd image store)',
  ImagePullBackOff:
    'the image could not be pulled: a junction-* image was not loaded into kind, or a public image is unreachable',
  ErrImagePull: 'the image could not be pulled (see ImagePullBackOff)',
  CrashLoopBackOff: 'the container keeps exiting: its last log lines below say why',
  CreateContainerConfigError:
    'a ConfigMap or Secret it reads is missing (was junction-infra deployed?)',
};

const isReady = (pod: Pod): boolean =>
  pod.status?.phase === 'Succeeded' ||
  (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** The pods of the namespaces that are neither Ready nor completed. */
export function notReadyPods(run: Run, context: string, namespaces: readonly string[]): Pod[] {
  return namespaces.flatMap((namespace) => {
    const list = parseJson(
      run('kubectl', ['--context', context, '-n', namespace, 'get', 'pods', '-o', 'json']),
    ) as { items?: Pod[] } | undefined;
    return (list?.items ?? []).filter((pod) => !isReady(pod));
  });
}

function describeState(status: ContainerStatus): string {
  const { waiting, terminated } = status.state ?? {};
  const last = status.lastState?.terminated;
  const parts: string[] = [];
  if (waiting)
    parts.push(`${waiting.reason ?? 'waiting'}${waiting.message ? `: ${waiting.message}` : ''}`);
  else if (terminated)
    parts.push(
      `terminated ${terminated.reason ?? ''} (exit ${String(terminated.exitCode ?? '?')})`,
    );
  else if (status.state?.running) parts.push('running, not ready');
  if (status.restartCount) parts.push(`restarted ${String(status.restartCount)}×`);
  if (last)
    parts.push(`last exit ${String(last.exitCode ?? '?')}${last.reason ? ` ${last.reason}` : ''}`);
  const hint = waiting?.reason ? HINTS[waiting.reason] : undefined;
  return `${parts.join('; ')}${hint ? `\n        → ${hint}` : ''}`;
}

/** A container whose own output explains the failure (it ran, and exited or keeps exiting). */
const hasLogs = (status: ContainerStatus): boolean =>
  !!status.state?.terminated ||
  !!status.lastState?.terminated ||
  status.state?.waiting?.reason === 'CrashLoopBackOff' ||
  (!!status.state?.running && status.ready === false);

function recentEvents(run: Run, context: string, pod: Pod, count: number): KubeEvent[] {
  const list = parseJson(
    run('kubectl', [
      '--context',
      context,
      '-n',
      pod.metadata.namespace,
      'get',
      'events',
      '--field-selector',
      `involvedObject.kind=Pod,involvedObject.name=${pod.metadata.name}`,
      '-o',
      'json',
    ]),
  ) as { items?: KubeEvent[] } | undefined;
  const when = (e: KubeEvent): string =>
    e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '';
  return [...(list?.items ?? [])].sort((a, b) => when(a).localeCompare(when(b))).slice(-count);
}

function lastLogLines(
  run: Run,
  context: string,
  pod: Pod,
  status: ContainerStatus,
  lines: number,
): string[] {
  const args = ['--context', context, '-n', pod.metadata.namespace, 'logs', pod.metadata.name];
  args.push('-c', status.name, `--tail=${String(lines)}`);
  // A container that restarted: its previous run is the one that failed.
  const previous = !!status.restartCount && !status.state?.terminated;
  const result = run('kubectl', previous ? [...args, '--previous'] : args);
  const text = result.ok ? result.stdout : result.out;
  return text
    .trimEnd()
    .split('\n')
    .filter((l) => l !== '');
}

export interface ReportOptions {
  readonly events?: number;
  readonly logLines?: number;
}

/** Why the pods of the namespaces are not ready, as lines to print; empty when all are. */
export function notReadyReport(
  run: Run,
  context: string,
  namespaces: readonly string[],
  options: ReportOptions = {},
): string[] {
  const pods = notReadyPods(run, context, namespaces);
  if (pods.length === 0) return [];
  const out = [`Not ready: ${String(pods.length)} pod${pods.length === 1 ? '' : 's'}`];
  for (const pod of pods) {
    const statuses = [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ];
    const unscheduled = pod.status?.conditions?.find(
      (c) => c.type === 'PodScheduled' && c.status === 'False',
    );
    out.push(`  ${pod.metadata.namespace}/${pod.metadata.name}: ${pod.status?.phase ?? 'Unknown'}`);
    if (unscheduled)
      out.push(
        `      not scheduled: ${unscheduled.reason ?? ''} ${unscheduled.message ?? ''}`.trimEnd(),
      );
    for (const status of statuses.filter((s) => !s.ready))
      out.push(`      ${status.name}: ${describeState(status)}`);
    const events = recentEvents(run, context, pod, options.events ?? 5);
    if (events.length > 0) out.push('      recent events:');
    for (const e of events)
      out.push(
        `        ${e.type ?? ''} ${e.reason ?? ''}${e.count && e.count > 1 ? ` (×${String(e.count)})` : ''}: ${e.message ?? ''}`,
      );
    for (const status of statuses.filter((s) => !s.ready && hasLogs(s))) {
      out.push(`      last log lines of ${status.name}:`);
      for (const line of lastLogLines(run, context, pod, status, options.logLines ?? 15))
        out.push(`        | ${line}`);
    }
  }
  return out;
}
