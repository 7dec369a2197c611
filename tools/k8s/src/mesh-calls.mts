// Calls between Junction's workloads as the destination's sidecar sees them (caller principal,
// port, method, path), and the verdict of the rendered AuthorizationPolicies on each.
import { type Call, type Topology, type Route } from '@junction/topology';
import { evaluate, type MeshRequest, type Verdict } from './authorization.mts';
import { type KubeObject } from './repo.mts';
import { workloads } from './objects.mts';

/** Who makes a call: a service of the topology, the ingress gateway, or any other principal. */
export type Caller =
  | { readonly service: string }
  | { readonly gateway: true }
  | { readonly principal?: string; readonly label: string };

export interface MeshCall {
  readonly caller: Caller;
  readonly callee: string;
  readonly port: number;
  readonly method: string;
  readonly path: string;
}

export interface GatewayIdentity {
  readonly namespace: string;
  readonly serviceAccount: string;
}

export const describeCaller = (caller: Caller): string =>
  'service' in caller ? caller.service : 'gateway' in caller ? 'the ingress gateway' : caller.label;

export const describeCall = (call: MeshCall): string =>
  `${describeCaller(call.caller)} → ${call.callee}:${String(call.port)} ${call.method} ${call.path}`;

/** A concrete request path for a route (`{id}` → a sample segment). */
export const samplePath = (route: Pick<Route, 'path'>): string =>
  route.path.replace(/\{[^}]+\}/g, 'sample-1');

/** The requests topology.yaml declares: every call edge and every public route from the gateway. */
export function declaredCalls(topology: Topology): MeshCall[] {
  const grpcCalls = (call: Call): MeshCall[] => {
    const api = topology.services[call.to]?.grpc;
    if (!api) return [];
    return call.grpc.map((method) => ({
      caller: { service: call.from },
      callee: call.to,
      port: api.port,
      method: 'POST',
      path: `/${api.service}/${method}`,
    }));
  };
  const httpCalls = (call: Call): MeshCall[] =>
    call.http.map((route) => ({
      caller: { service: call.from },
      callee: call.to,
      port: topology.services[call.to]?.http ?? 0,
      method: route.method,
      path: samplePath(route),
    }));
  const publicRoutes = Object.values(topology.services).flatMap((s) =>
    s.routes.map((route) => ({
      caller: { gateway: true as const },
      callee: s.name,
      port: s.http,
      method: route.method,
      path: samplePath(route),
    })),
  );
  return [...topology.calls.flatMap((c) => [...grpcCalls(c), ...httpCalls(c)]), ...publicRoutes];
}

/** Evaluates calls against one rendering of the charts (the app chart's namespace). */
export class MeshPolicy {
  private readonly labels = new Map<string, Record<string, string>>();
  private readonly principals = new Map<string, string>();
  private readonly objects: readonly KubeObject[];
  private readonly gateway: GatewayIdentity;
  private readonly namespace: string;

  constructor(objects: readonly KubeObject[], gateway: GatewayIdentity, namespace = 'junction') {
    this.objects = objects;
    this.gateway = gateway;
    this.namespace = namespace;
    for (const w of workloads([...objects])) {
      if (w.object.kind !== 'Deployment') continue;
      const name = w.object.metadata.name;
      this.labels.set(name, w.podMeta.labels ?? {});
      const sa = w.pod.serviceAccountName ?? 'default';
      this.principals.set(
        name,
        `cluster.local/ns/${w.object.metadata.namespace ?? namespace}/sa/${sa}`,
      );
    }
  }

  private principal(caller: Caller): string | undefined {
    if ('service' in caller) {
      const principal = this.principals.get(caller.service);
      if (!principal) throw new Error(`no Deployment ${caller.service} in the rendering`);
      return principal;
    }
    if ('gateway' in caller) {
      return `cluster.local/ns/${this.gateway.namespace}/sa/${this.gateway.serviceAccount}`;
    }
    return caller.principal;
  }

  request(call: MeshCall): MeshRequest {
    const labels = this.labels.get(call.callee);
    if (!labels) throw new Error(`no Deployment ${call.callee} in the rendering`);
    const principal = this.principal(call.caller);
    return {
      namespace: this.namespace,
      labels,
      ...(principal ? { principal, sourceNamespace: principal.split('/')[2] } : {}),
      port: call.port,
      method: call.method,
      path: call.path,
    };
  }

  verdict(call: MeshCall): Verdict {
    return evaluate(this.objects, this.request(call));
  }
}
