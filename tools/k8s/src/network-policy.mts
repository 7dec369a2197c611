// Ingress verdicts of rendered NetworkPolicies, as a CNI that enforces them decides: a pod no
// policy selects admits everything; a selected pod admits a connection only when some ingress
// rule of a policy selecting it lists the port (or no ports) and the source (or no sources).
// Written here because the checks need the verdict on the declared call graph offline, with no
// cluster to ask; it covers what the chart renders (podSelector matchLabels, numeric ports,
// same-namespace sources) and refuses anything else rather than guess.
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { workloads } from './objects.mts';
import { type KubeObject } from './repo.mts';

type Labels = Readonly<Record<string, string>>;

export interface Connection {
  /** The connecting pod's labels; undefined: a source that is no pod of the release. */
  readonly from: Labels | undefined;
  /** The workload (Deployment name) connected to. */
  readonly to: string;
  readonly port: number;
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

  verdict(connection: Connection): IngressVerdict {
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
}
