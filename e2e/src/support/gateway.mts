// The local gateway in front of an e2e topology (same port offset), and an Api target that sends
// every request through it, so a test can drive the same calls direct and through the gateway.
import { loadTopology } from '@junction/topology';
import { type Gateway, GatewayPortError, startGateway } from '../../../tools/local/gateway.mts';
import { PORT_OFFSET } from './environment.mts';

export { type Gateway };

/** The gateway of an e2e run: gateway.port + E2E_PORT_OFFSET, in front of that run's services. */
export function startE2eGateway(): Promise<Gateway> {
  return startGateway({ portOffset: PORT_OFFSET });
}

/**
 * The gateway on the public port itself (topology.yaml's gateway.port, 8080), in front of the
 * e2e run's services, so documented commands run exactly as written; when something else holds
 * that port, the e2e run's own gateway port instead (`onPublicPort: false`).
 */
export async function startPublicGateway(): Promise<{ gateway: Gateway; onPublicPort: boolean }> {
  try {
    const gateway = await startGateway({
      portOffset: PORT_OFFSET,
      port: loadTopology().gateway.port,
    });
    return { gateway, onPublicPort: true };
  } catch (error) {
    if (!(error instanceof GatewayPortError) || error.code !== 'EADDRINUSE') throw error;
    return { gateway: await startE2eGateway(), onPublicPort: false };
  }
}

/** An Api target (support/api.mts) whose every service is the gateway. */
export function throughGateway(gateway: Gateway): { url(service: string, path: string): string } {
  return { url: (_service, path) => `${gateway.url}${path}` };
}
