// The load CLI's options: each from its flag, else its environment variable (for containers),
// else its default.
import { parseArgs } from 'node:util';
import {
  CARDS,
  type CheckoutTargets,
  DEFAULT_SKU,
  type Mix,
  type OpenLoopPlan,
} from './open-loop.mts';

export class UsageError extends Error {}

export interface LoadCommand {
  readonly targets: CheckoutTargets;
  readonly plan: OpenLoopPlan;
  readonly users: number;
  readonly json: boolean;
}

/** Every valued flag and the environment variable it falls back to. */
const FLAGS = {
  target: 'LOAD_TARGET',
  'auth-url': 'LOAD_AUTH_URL',
  'orders-url': 'LOAD_ORDERS_URL',
  rate: 'LOAD_RATE',
  duration: 'LOAD_DURATION',
  mix: 'LOAD_MIX',
  sku: 'LOAD_SKU',
  'payment-method': 'LOAD_PAYMENT_METHOD',
  users: 'LOAD_USERS',
  'max-in-flight': 'LOAD_MAX_IN_FLIGHT',
} as const;

type Flag = keyof typeof FLAGS;
type Read = (flag: Flag) => string | undefined;

/** The command, or undefined for --help. Throws UsageError for a bad value. */
export function parseLoadCommand(argv: readonly string[]): LoadCommand | undefined {
  const valued = Object.fromEntries(
    Object.keys(FLAGS).map((flag) => [flag, { type: 'string' }]),
  ) as Record<Flag, { type: 'string' }>;
  const { values } = parseArgs({
    args: [...argv],
    options: {
      ...valued,
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return undefined;
  const read: Read = (flag) => {
    const value = values[flag];
    return typeof value === 'string' ? value : process.env[FLAGS[flag]];
  };
  return {
    targets: targetsOf(read),
    users: Math.round(positive(read('users') ?? '4', '--users', 1000)),
    json: values.json || process.env.LOAD_JSON === '1',
    plan: planOf(read),
  };
}

function targetsOf(read: Read): CheckoutTargets {
  const target = url(read('target'), '--target');
  const authUrl = url(read('auth-url'), '--auth-url') ?? target;
  const ordersUrl = url(read('orders-url'), '--orders-url') ?? target;
  if (authUrl === undefined || ordersUrl === undefined) {
    throw new UsageError('name the target: --target <url> (or --auth-url and --orders-url)');
  }
  return { authUrl, ordersUrl };
}

function planOf(read: Read): OpenLoopPlan {
  return {
    ratePerSecond: positive(read('rate') ?? '10', '--rate', 100_000),
    durationMs: positive(read('duration') ?? '30', '--duration', 86_400) * 1000,
    mix: mixOf(read('mix') ?? '1:1'),
    sku: read('sku') ?? DEFAULT_SKU,
    paymentMethod: read('payment-method') ?? CARDS.approved,
    maxInFlight: Math.round(positive(read('max-in-flight') ?? '2000', '--max-in-flight', 1e6)),
    requestTimeoutMs: 30_000,
    watchTimeoutMs: 120_000,
  };
}

function positive(text: string, name: string, max: number): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new UsageError(`${name} must be a number above 0 and at most ${String(max)}: ${text}`);
  }
  return value;
}

function mixOf(text: string): Mix {
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(text);
  const blocking = Number(match?.[1]);
  const queued = Number(match?.[2]);
  if (!match || blocking + queued <= 0) {
    throw new UsageError(`--mix must be like 1:1 or 0:1: ${text}`);
  }
  return { blocking, queued };
}

function url(text: string | undefined, name: string): string | undefined {
  if (text === undefined) return undefined;
  if (!/^https?:\/\/[^/]+/.test(text)) {
    throw new UsageError(`${name} must be an http(s) URL: ${text}`);
  }
  return text.replace(/\/+$/, '');
}
