import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';

/**
 * Tells the http instrumentation which route matched (Fastify's route pattern, e.g.
 * `/orders/:id`), so the server span gets `http.route` and the semconv name `POST /orders`
 * instead of a bare `POST`. There is no Fastify instrumentation in use; this is the hook the
 * http instrumentation offers frameworks (RPC metadata in the request's context).
 */
export function recordHttpRoute(route: string | undefined): void {
  const metadata = getRPCMetadata(context.active());
  if (route && metadata?.type === RPCType.HTTP) metadata.route = route;
}
