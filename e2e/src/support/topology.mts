import assert from 'node:assert/strict';
import {
  portsOf,
  type RunningService,
  startService,
  startTopology,
  stopAll,
  type TopologyOptions,
} from '../../../tools/local/topology.mts';
import { E2E_PLACE, PORT_OFFSET } from './environment.mts';

export { portsOf, stopAll, type RunningService };

/**
 * The services of the reference checkout, which the e2e tests start by default. A service added
 * with `nx g @junction/tools:service` is started by its own e2e spec (`only: [...]`), so it does
 * not change the traces and timings the checkout tests assert.
 */
export const REFERENCE_SERVICES = ['auth', 'user', 'orders', 'payment', 'inventory'] as const;

export interface E2eTopology {
  readonly services: RunningService[];
  readonly logs: Map<string, string[]>;
  url(service: string, path: string): string;
  grpcTarget(service: string): string;
  stop(): Promise<Record<string, number | null>>;
}

/** Starts the services (the reference five by default) from built output, collecting logs. */
export async function startE2eTopology(
  options: Partial<TopologyOptions> = {},
): Promise<E2eTopology> {
  const logs = new Map<string, string[]>();
  const services = await startTopology({
    ...E2E_PLACE,
    only: REFERENCE_SERVICES,
    onLine: (service, line) => {
      const lines = logs.get(service) ?? [];
      lines.push(line);
      logs.set(service, lines);
      if (process.env.E2E_VERBOSE) console.log(`${service.padEnd(9)} | ${line}`);
    },
    ...options,
  });
  return {
    services,
    logs,
    url: (service, path) => `http://127.0.0.1:${String(portsOf(service, PORT_OFFSET).http)}${path}`,
    grpcTarget: (service) => `127.0.0.1:${String(portsOf(service, PORT_OFFSET).grpc)}`,
    stop: () => stopAll(services),
  };
}

/** Asserts that every service of a stopped topology exited 0, naming each one's code otherwise. */
export function assertCleanExits(codes: Readonly<Record<string, number | null>>): void {
  assert.ok(
    Object.values(codes).every((code) => code === 0),
    JSON.stringify(codes),
  );
}

/**
 * Starts one service (again) on the e2e place, its logs dropped — e.g. after a test stopped it;
 * `options` moves it elsewhere (an unreachable Redis or broker).
 */
export function startQuietly(name: string, options: Partial<TopologyOptions> = {}): RunningService {
  return startService(name, { ...E2E_PLACE, onLine: () => undefined, ...options });
}

/**
 * The reference services, each exporting its spans as OTLP/JSON to `endpoint` (an OTLP
 * receiver's), in batches every 100 ms, with `env` added to each.
 */
export function startTracedE2eTopology(
  endpoint: string,
  env: Readonly<Record<string, string>> = {},
): Promise<E2eTopology> {
  const otel = {
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    ...env,
  };
  return startE2eTopology({
    env: Object.fromEntries(REFERENCE_SERVICES.map((service) => [service, otel])),
  });
}
