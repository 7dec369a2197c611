/**
 * Where the runtime fault settings live: one hash in the service's own keyspace (`<service>:fault`
 * with the platform's key prefix), written by `npm run fault` (tools/fault/fault.mts) and read
 * by every replica. Fields: `latency_ms` and `error_rate` for the whole service, and
 * `<operation>.latency_ms` / `<operation>.error_rate` for one operation (they win).
 */
export const FAULT_KEY = 'fault';

/** Injected latency and error rate: the env defaults (PlatformConfig.faults) and each operation's. */
export interface Fault {
  readonly latencyMs: number;
  /** 0..1: the share of calls that fail with `unavailable`. */
  readonly errorRate: number;
}

/** The fault for one operation: operation fields, then service fields, then the env defaults. */
export function faultFor(
  operation: string,
  stored: Readonly<Record<string, string>>,
  defaults: Fault,
): Fault {
  return {
    latencyMs: pick(stored, operation, 'latency_ms', defaults.latencyMs, 600_000),
    errorRate: pick(stored, operation, 'error_rate', defaults.errorRate, 1),
  };
}

function pick(
  stored: Readonly<Record<string, string>>,
  operation: string,
  field: string,
  fallback: number,
  max: number,
): number {
  for (const raw of [stored[`${operation}.${field}`], stored[field]]) {
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    // A value the CLI would not write (garbage, negative) is ignored rather than trusted.
    if (Number.isFinite(value) && value >= 0) return Math.min(value, max);
  }
  return fallback;
}
