// Where a person reaches Junction in the cluster: the same public URL as the local run
// (http://localhost:8080, the ingress gateway, with the storefront under its prefix), the Jaeger
// UI and the RabbitMQ UI, and which in-cluster Service each local port is forwarded to.
import { loadTopology } from '@junction/topology';
import { SERVICES } from '../local/topology.mts';
import type { UpFlags } from './up-args.mts';

export const GATEWAY_PORT = 8080;
export const GATEWAY_URL = `http://localhost:${String(GATEWAY_PORT)}`;
export const JAEGER_URL = 'http://localhost:16686';
export const RABBITMQ_URL = 'http://localhost:15672';
/** The storefront, on the gateway under its prefix (topology.yaml web.storefront.prefix). */
export const STOREFRONT_URL = `${GATEWAY_URL}${loadTopology().web.storefront?.prefix ?? '/shop/'}`;

/** One `kubectl port-forward`: a Service port made local on 127.0.0.1. */
export interface Forward {
  readonly what: string;
  readonly namespace: string;
  readonly service: string;
  readonly port: number;
  readonly localPort: number;
}

/** The local ports cluster:up needs free, and what it forwards to each. */
export function forwards(flags: Pick<UpFlags, 'noMesh'>): Forward[] {
  const ui: Forward[] = [
    { what: 'Jaeger UI', namespace: 'junction', service: 'jaeger', port: 16686, localPort: 16686 },
    {
      what: 'RabbitMQ UI',
      namespace: 'junction',
      service: 'rabbitmq',
      port: 15672,
      localPort: 15672,
    },
  ];
  if (!flags.noMesh) {
    // The istio/gateway chart names the Service after the release (skaffold.yaml, config istio).
    const gateway = {
      what: 'the app (gateway)',
      namespace: 'istio-ingress',
      service: 'istio-ingressgateway',
      port: 80,
      localPort: GATEWAY_PORT,
    };
    return [gateway, ...ui];
  }
  const services = Object.entries(SERVICES).map(([name, ports]) => ({
    what: name,
    namespace: 'junction',
    service: name,
    port: ports.http,
    localPort: ports.http,
  }));
  return [...services, ...ui];
}

/** The base URL of the public REST routes: the gateway, or without the mesh inventory itself. */
export function catalogUrl(flags: Pick<UpFlags, 'noMesh'>): string {
  const inventory = SERVICES.inventory?.http ?? 3005;
  return `${flags.noMesh ? `http://localhost:${String(inventory)}` : GATEWAY_URL}/inventory/items`;
}
