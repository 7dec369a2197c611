// Verdicts of rendered NetworkPolicies, as a CNI that enforces them decides: a pod no policy
// selects (for that direction) admits everything; a selected pod admits a connection only when
// some ingress rule of a policy selecting it lists the port (or no ports) and the source (or no
// sources) — and, leaving a pod that an Egress policy selects, some egress rule lists the port
// and the destination. A connection between two pods needs both.
// Written here because the checks need the verdict on the declared call graph offline, with no
// cluster to ask; it covers what the chart renders (podSelector matchLabels, numeric ports,
// same-namespace ingress sources, egress destinations by pod and namespace labels) and refuses
// anything else rather than guess.
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { workloads } from './objects.mts';
import { type KubeObject } from './repo.mts';

type Labels = Readonly<Record<string, string>>;

export interface Connection {
  /** The connecting pod's labels; undefined: a source that is no pod of the release. */
  readonly from: Labels | undefined;
  /** The workload (Deployment or StatefulSet name, same namespace) connected to. */
  readonly to: string;
  readonly port: number;
}

/** A destination of an outgoing connection: its pod's labels, and its namespace's (absent: the source's). */
export interface Destination {
  readonly labels: Labels;
  readonly namespace?: Labels;
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP';
}

export interface IngressVerdict {
  readonly allowed: boolean;
  readonly reason: string;
}

const matches = (selector: Labels | undefined, labels: Labels): boolean =>
  Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);

export class NetworkPolicies {
  private readonly policies: (KubeObject & INetworkPolicy)[];
  private readonly podLabels = new Map<string, Labels>();

  constructor(objects: KubeObject[]) {
    this.policies = objects.filter((o) => o.kind === 'NetworkPolicy') as (KubeObject &
      INetworkPolicy)[];
    for (const w of workloads(objects)) {
      this.podLabels.set(w.object.metadata.name, w.podMeta.labels ?? {});
    }
    for (const policy of this.policies) check(policy);
  }

  get count(): number {
    return this.policies.length;
  }

  /** The pod labels of a workload of the rendering. */
  labelsOf(workload: string): Labels {
    const labels = this.podLabels.get(workload);
    if (!labels) throw new Error(`no workload ${workload} in the rendering`);
    return labels;
  }

  /** A connection between two pods (or from outside): admitted where it arrives and, from a pod, where it leaves. */
  verdict(connection: Connection): IngressVerdict {
    const ingress = this.ingress(connection);
    if (!ingress.allowed || connection.from === undefined) return ingress;
    const egress = this.egress(connection.from, {
      labels: this.labelsOf(connection.to),
      port: connection.port,
    });
    return egress.allowed ? ingress : egress;
  }

  /** Whether the policies selecting the source pod let it open a connection to `to`. */
  egress(from: Labels, to: Destination): IngressVerdict {
    const selecting = this.policies.filter(
      (p) =>
        (p.spec?.policyTypes ?? []).includes('Egress') &&
        matches(p.spec?.podSelector.matchLabels, from),
    );
    if (selecting.length === 0)
      return { allowed: true, reason: 'no egress policy selects the source' };
    const protocol = to.protocol ?? 'TCP';
    for (const policy of selecting) {
      for (const rule of policy.spec?.egress ?? []) {
        const portOk =
          rule.ports === undefined ||
          rule.ports.some((p) => p.port === to.port && (p.protocol ?? 'TCP') === protocol);
        const destinationOk =
          rule.to === undefined ||
          rule.to.some((peer) => {
            const namespaceOk =
              peer.namespaceSelector === undefined
                ? to.namespace === undefined
                : matches(peer.namespaceSelector.matchLabels, to.namespace ?? {});
            return namespaceOk && matches(peer.podSelector?.matchLabels, to.labels);
          });
        if (portOk && destinationOk)
          return { allowed: true, reason: `let out by ${policy.metadata.name}` };
      }
    }
    return {
      allowed: false,
      reason: `no egress rule of ${selecting.map((p) => p.metadata.name).join(', ')} lets it out`,
    };
  }

  private ingress(connection: Connection): IngressVerdict {
    const target = this.labelsOf(connection.to);
    const selecting = this.policies.filter(
      (p) =>
        (p.spec?.policyTypes ?? ['Ingress']).includes('Ingress') &&
        matches(p.spec?.podSelector.matchLabels, target),
    );
    if (selecting.length === 0) return { allowed: true, reason: 'no policy selects the pod' };
    for (const policy of selecting) {
      for (const rule of policy.spec?.ingress ?? []) {
        const portOk =
          rule.ports === undefined || rule.ports.some((p) => p.port === connection.port);
        const sourceOk =
          rule.from === undefined ||
          rule.from.some(
            (peer) =>
              connection.from !== undefined &&
              matches(peer.podSelector?.matchLabels, connection.from),
          );
        if (portOk && sourceOk)
          return { allowed: true, reason: `admitted by ${policy.metadata.name}` };
      }
    }
    return {
      allowed: false,
      reason: `no rule of ${selecting.map((p) => p.metadata.name).join(', ')} admits it`,
    };
  }
}

/** Only what the evaluator understands: anything else is an error, never a silent pass. */
function check(policy: KubeObject & INetworkPolicy): void {
  const name = `NetworkPolicy/${policy.metadata.name}`;
  const selector = policy.spec?.podSelector;
  if (selector?.matchExpressions) throw new Error(`${name}: matchExpressions not evaluated`);
  for (const rule of policy.spec?.ingress ?? []) {
    for (const peer of rule.from ?? []) {
      if (peer.ipBlock || peer.namespaceSelector || peer.podSelector?.matchExpressions)
        throw new Error(`${name}: only same-namespace podSelector matchLabels are evaluated`);
    }
    for (const port of rule.ports ?? []) {
      if (typeof port.port !== 'number' || port.endPort !== undefined)
        throw new Error(`${name}: only single numeric ports are evaluated`);
    }
  }
  for (const rule of policy.spec?.egress ?? []) {
    for (const peer of rule.to ?? []) {
      if (
        peer.ipBlock ||
        peer.podSelector?.matchExpressions ||
        peer.namespaceSelector?.matchExpressions
      )
        throw new Error(
          `${name}: only podSelector and namespaceSelector matchLabels are evaluated`,
        );
    }
    for (const port of rule.ports ?? []) {
      if (typeof port.port !== 'number' || port.endPort !== undefined)
        throw new Error(`${name}: only single numeric ports are evaluated`);
    }
  }
}
