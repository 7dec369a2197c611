import { GrpcClient, type ObservedDependencies } from '@junction/platform';
import { type OrdersConfig } from '../../../config';

/** What GrpcClient takes as a service definition (a generated `…ServiceService`). */
type ServiceDefinition = ConstructorParameters<typeof GrpcClient>[1];

/**
 * Orders' gRPC client of a peer: the configured deadline on every call, the peer's state
 * observed. Retries only the methods topology.yaml marks idempotent (GrpcClient's default).
 */
export function peerClient<S extends ServiceDefinition>(
  peer: string,
  definition: S,
  target: string,
  config: OrdersConfig,
  observed: ObservedDependencies,
): GrpcClient<S> {
  return new GrpcClient(peer, definition, target, { deadlineMs: config.grpcDeadlineMs, observed });
}
