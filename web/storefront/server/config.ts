// The storefront server's settings: read once from the environment at start, validated, frozen.
// Nothing else reads process.env. A bad value is a ConfigError naming the variable (never its
// value: FAULT_ADMIN_TOKEN is a secret, and a URL may carry credentials).

/** The services whose faults the demo panel sets (their /admin/faults). */
export const FAULT_SERVICES = ['payment', 'inventory'] as const;
export type FaultService = (typeof FAULT_SERVICES)[number];

export interface StorefrontConfig {
  readonly port: number;
  readonly host: string;
  /** OTLP_TRACES_URL: where the browser's spans are relayed (none: browser tracing off). */
  readonly otlpTracesUrl: string | undefined;
  /** JAEGER_QUERY_URL: the Jaeger query origin of the waterfall (none: no waterfall). */
  readonly jaegerQueryUrl: string | undefined;
  /** JAEGER_UI_URL: the Jaeger UI people open from an order (none: no link). */
  readonly jaegerUiUrl: string | undefined;
  /** DEMO_PANEL: the fault panel and its proxy to the services' /admin/faults. */
  readonly demoPanel: DemoPanelConfig | undefined;
}

export interface DemoPanelConfig {
  readonly faultAdminToken: string;
  readonly faultUrls: Readonly<Record<FaultService, string>>;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

/** An unset or empty variable is the same: not set. */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function port(env: Env, name: string, fallback: number): number {
  const text = read(env, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65_535) {
    throw new ConfigError(`${name} must be a port number from 0 (any free port) to 65535`);
  }
  return value;
}

/** An http(s) URL, without a trailing slash (paths are appended to it). */
function url(env: Env, name: string): string | undefined {
  const text = read(env, name);
  if (text === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new ConfigError(`${name} must be an http or https URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http or https URL`);
  }
  return text.replace(/\/+$/, '');
}

function flag(env: Env, name: string): boolean {
  const text = read(env, name);
  if (text === undefined || text === 'false') return false;
  if (text === 'true') return true;
  throw new ConfigError(`${name} must be true or false`);
}

function demoPanel(env: Env): DemoPanelConfig | undefined {
  if (!flag(env, 'DEMO_PANEL')) return undefined;
  const faultAdminToken = read(env, 'FAULT_ADMIN_TOKEN');
  const payment = url(env, 'FAULT_PAYMENT_URL');
  const inventory = url(env, 'FAULT_INVENTORY_URL');
  const missing = [
    faultAdminToken === undefined ? 'FAULT_ADMIN_TOKEN' : undefined,
    payment === undefined ? 'FAULT_PAYMENT_URL' : undefined,
    inventory === undefined ? 'FAULT_INVENTORY_URL' : undefined,
  ].filter((name) => name !== undefined);
  if (faultAdminToken === undefined || payment === undefined || inventory === undefined) {
    throw new ConfigError(`DEMO_PANEL=true requires ${missing.join(', ')}`);
  }
  return Object.freeze({
    faultAdminToken,
    faultUrls: Object.freeze({ payment, inventory }),
  });
}

/** The settings from `env` (process.env in main.ts); throws ConfigError on a bad value. */
export function loadConfig(env: Env): StorefrontConfig {
  return Object.freeze({
    port: port(env, 'PORT', 3006),
    host: read(env, 'HOST') ?? '0.0.0.0',
    otlpTracesUrl: url(env, 'OTLP_TRACES_URL'),
    jaegerQueryUrl: url(env, 'JAEGER_QUERY_URL'),
    jaegerUiUrl: url(env, 'JAEGER_UI_URL'),
    demoPanel: demoPanel(env),
  });
}

/** What the start log line shows: every setting but the token. */
export function describeConfig(config: StorefrontConfig): Record<string, unknown> {
  return {
    port: config.port,
    host: config.host,
    otlpTracesUrl: config.otlpTracesUrl ?? null,
    jaegerQueryUrl: config.jaegerQueryUrl ?? null,
    jaegerUiUrl: config.jaegerUiUrl ?? null,
    demoPanel: config.demoPanel !== undefined,
    faultUrls: config.demoPanel?.faultUrls ?? null,
  };
}
