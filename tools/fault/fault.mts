// npm run fault -- <payment|inventory> [--latency <ms>] [--error-rate <0..1>] [--operation <op>]
//                                      [--clear] [--redis <url>]
//
// Sets the injected faults of a running service, in its Redis keyspace: every replica re-reads
// them within a second (libs/platform/src/faults). See docs/tracing.md. Node builtins + ioredis.
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';

/** The services with a FaultInjector, and the operations that call it. */
const OPERATIONS: Readonly<Record<string, readonly string[]>> = {
  payment: ['charge', 'refund'],
  inventory: ['reserve', 'release', 'getItem'],
};

const USAGE = `Usage: npm run fault -- <service> [options]

Injects latency and errors into payment or inventory at runtime, for every replica (within 1 s),
without a restart. With no option it shows the current settings.

  <service>              payment (operations: charge, refund)
                         inventory (operations: reserve, release, getItem)
Options:
  --latency <ms>         added latency in milliseconds (0..600000)
  --error-rate <0..1>    share of calls that fail with "unavailable" (0.25 = one in four)
  --operation <op>       only this operation (default: every operation of the service)
  --clear                remove the runtime settings (of --operation, or all of them); the
                         service falls back to FAULT_LATENCY_MS / FAULT_ERROR_RATE from its env
  --redis <url>          the services' Redis (default: $REDIS_URL or redis://127.0.0.1:6379)
  -h, --help             show this help

Examples:
  npm run fault -- payment --latency 300 --error-rate 0
  npm run fault -- inventory --operation reserve --error-rate 0.5
  npm run fault -- payment --clear
`;

class UsageError extends Error {}

interface Command {
  readonly service: string;
  readonly operation?: string;
  readonly latencyMs?: number;
  readonly errorRate?: number;
  readonly clear: boolean;
  readonly redisUrl: string;
}

function command(argv: readonly string[]): Command | undefined {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      latency: { type: 'string' },
      'error-rate': { type: 'string' },
      operation: { type: 'string' },
      clear: { type: 'boolean', default: false },
      redis: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return undefined;
  const [service, ...extra] = positionals;
  if (service === undefined) throw new UsageError('name a service: payment or inventory');
  if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra.join(' ')}`);
  const operations = OPERATIONS[service];
  if (!operations) throw new UsageError(`no faults in "${service}": payment or inventory`);
  if (values.operation !== undefined && !operations.includes(values.operation)) {
    throw new UsageError(
      `${service} has no operation "${values.operation}" (${operations.join(', ')})`,
    );
  }
  const latencyMs = number(values.latency, '--latency', 0, 600_000, true);
  const errorRate = number(values['error-rate'], '--error-rate', 0, 1, false);
  if (values.clear && (latencyMs !== undefined || errorRate !== undefined)) {
    throw new UsageError('--clear cannot be combined with --latency or --error-rate');
  }
  const redisUrl = values.redis ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\//.test(redisUrl)) throw new UsageError('--redis must be a redis:// URL');
  return {
    service,
    clear: values.clear,
    redisUrl,
    ...(values.operation !== undefined ? { operation: values.operation } : {}),
    ...(latencyMs !== undefined ? { latencyMs } : {}),
    ...(errorRate !== undefined ? { errorRate } : {}),
  };
}

function number(
  text: string | undefined,
  name: string,
  min: number,
  max: number,
  integer: boolean,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (
    text.trim() === '' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    throw new UsageError(
      `${name} must be ${integer ? 'a whole number' : 'a number'} from ${String(min)} to ${String(max)}: ${text}`,
    );
  }
  return value;
}

/** Field names shared with libs/platform/src/faults/fault-settings.ts. */
function fieldsOf(operation: string | undefined): { latency: string; errorRate: string } {
  const prefix = operation === undefined ? '' : `${operation}.`;
  return { latency: `${prefix}latency_ms`, errorRate: `${prefix}error_rate` };
}

function describe(service: string, stored: Record<string, string>): string {
  const lines = [`${service}: runtime faults (on top of FAULT_LATENCY_MS / FAULT_ERROR_RATE)`];
  const scopes: (string | undefined)[] = [undefined, ...(OPERATIONS[service] ?? [])];
  for (const scope of scopes) {
    const fields = fieldsOf(scope);
    const latency = stored[fields.latency];
    const errorRate = stored[fields.errorRate];
    if (latency === undefined && errorRate === undefined) continue;
    const parts = [
      latency === undefined ? undefined : `latency ${latency} ms`,
      errorRate === undefined ? undefined : `error rate ${errorRate}`,
    ].filter((part): part is string => part !== undefined);
    lines.push(`  ${(scope ?? 'every operation').padEnd(16)} ${parts.join(', ')}`);
  }
  if (lines.length === 1) lines.push('  none set');
  return lines.join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  let parsed: Command | undefined;
  try {
    parsed = command(argv);
  } catch (error) {
    process.stderr.write(
      `fault: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`,
    );
    return 2;
  }
  if (!parsed) {
    process.stdout.write(USAGE);
    return 0;
  }
  const redis = new Redis(parsed.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    try {
      await redis.connect();
    } catch (error) {
      throw new Error(
        `cannot reach Redis at ${parsed.redisUrl}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    // The services' keys are prefixed with their name (libs/platform/src/redis/redis.provider.ts).
    const key = `${parsed.service}:fault`;
    const fields = fieldsOf(parsed.operation);
    if (parsed.clear) {
      if (parsed.operation === undefined) await redis.del(key);
      else await redis.hdel(key, fields.latency, fields.errorRate);
    } else {
      const update: Record<string, string> = {};
      if (parsed.latencyMs !== undefined) update[fields.latency] = String(parsed.latencyMs);
      if (parsed.errorRate !== undefined) update[fields.errorRate] = String(parsed.errorRate);
      if (Object.keys(update).length > 0) await redis.hset(key, update);
    }
    const changed =
      parsed.clear || parsed.latencyMs !== undefined || parsed.errorRate !== undefined;
    process.stdout.write(`${describe(parsed.service, await redis.hgetall(key))}\n`);
    if (changed) process.stdout.write('every replica applies this within 1 s\n');
    return 0;
  } finally {
    redis.disconnect();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`fault: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
