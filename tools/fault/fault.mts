// npm run fault -- <payment|inventory> [--latency <ms>] [--error-rate <0..1>] [--operation <op>]
//                                      [--clear] [--url <base URL>] [--token <token>]
//
// Sets the injected faults of a running service through its operator endpoint /admin/faults
// (libs/platform/src/faults/fault-admin.controller.ts): the service writes them, every replica
// applies them within a second. See docs/tracing.md.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { portsOf, ROOT } from '../local/topology.mts';

/** The services with a FaultInjector, and the operations that call it. */
const OPERATIONS: Readonly<Record<string, readonly string[]>> = {
  payment: ['charge', 'refund'],
  inventory: ['reserve', 'release', 'getItem'],
};

const USAGE = `Usage: npm run fault -- <service> [options]

Injects latency and errors into payment or inventory at runtime, for every replica (within 1 s),
without a restart, through the service's /admin/faults (it needs FAULT_INJECTION=true and
FAULT_ADMIN_TOKEN, which \`npm start\` sets). With no option it shows the current settings.

  <service>              payment (operations: charge, refund)
                         inventory (operations: reserve, release, getItem)
Options:
  --latency <ms>         added latency in milliseconds (0..600000)
  --error-rate <0..1>    share of calls that fail with "unavailable" (0.25 = one in four)
  --operation <op>       only this operation (default: every operation of the service)
  --clear                remove the runtime settings (of --operation, or all of them); the
                         service falls back to FAULT_LATENCY_MS / FAULT_ERROR_RATE from its env
  --url <base URL>       the service's HTTP address (default: http://127.0.0.1:<its port>, as
                         npm start runs it; in a cluster, a kubectl port-forward to a pod)
  --token <token>        the operator token (default: $FAULT_ADMIN_TOKEN, else the one npm
                         start generated in .local/fault-admin-token)
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
  readonly url: string;
  readonly token: string;
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
      url: { type: 'string' },
      token: { type: 'string' },
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
  const url = values.url ?? `http://127.0.0.1:${String(portsOf(service).http)}`;
  if (!/^https?:\/\/[^/]+\/?$/.test(url)) {
    throw new UsageError(`--url must be an http(s) base URL such as http://127.0.0.1:3004: ${url}`);
  }
  const token = values.token ?? process.env.FAULT_ADMIN_TOKEN ?? devToken();
  if (token === undefined) {
    throw new UsageError('no operator token: pass --token or set FAULT_ADMIN_TOKEN');
  }
  return {
    service,
    clear: values.clear,
    url: url.replace(/\/$/, ''),
    token,
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

/** The token `npm start` generated (tools/local/topology.mts devFaultAdminToken), if any. */
function devToken(): string | undefined {
  const path = join(ROOT, '.local', 'fault-admin-token');
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}

/** What /admin/faults answers (FaultAdminReport of libs/platform). */
interface Report {
  readonly service: string;
  readonly operations: readonly string[];
  readonly defaults: { readonly latencyMs: number; readonly errorRate: number };
  readonly runtime: Readonly<Record<string, string>>;
}

function describe(report: Report): string {
  const { latencyMs, errorRate } = report.defaults;
  const lines = [
    `${report.service}: runtime faults (on top of FAULT_LATENCY_MS=${String(latencyMs)} / FAULT_ERROR_RATE=${String(errorRate)})`,
  ];
  for (const scope of [undefined, ...report.operations]) {
    const prefix = scope === undefined ? '' : `${scope}.`;
    const latency = report.runtime[`${prefix}latency_ms`];
    const rate = report.runtime[`${prefix}error_rate`];
    if (latency === undefined && rate === undefined) continue;
    const parts = [
      latency === undefined ? undefined : `latency ${latency} ms`,
      rate === undefined ? undefined : `error rate ${rate}`,
    ].filter((part): part is string => part !== undefined);
    lines.push(`  ${(scope ?? 'every operation').padEnd(16)} ${parts.join(', ')}`);
  }
  if (lines.length === 1) lines.push('  none set');
  return lines.join('\n');
}

/** One call to /admin/faults; a refusal is an error with the service's own message. */
async function call(parsed: Command): Promise<Report> {
  const endpoint = `${parsed.url}/admin/faults`;
  const changes =
    parsed.latencyMs !== undefined || parsed.errorRate !== undefined
      ? {
          method: 'PUT',
          body: JSON.stringify({
            ...(parsed.operation !== undefined ? { operation: parsed.operation } : {}),
            ...(parsed.latencyMs !== undefined ? { latencyMs: parsed.latencyMs } : {}),
            ...(parsed.errorRate !== undefined ? { errorRate: parsed.errorRate } : {}),
          }),
        }
      : parsed.clear
        ? { method: 'DELETE' }
        : { method: 'GET' };
  const query =
    changes.method === 'DELETE' && parsed.operation !== undefined
      ? `?operation=${encodeURIComponent(parsed.operation)}`
      : '';
  let response: Response;
  try {
    response = await fetch(endpoint + query, {
      ...changes,
      headers: {
        authorization: `Bearer ${parsed.token}`,
        ...('body' in changes ? { 'content-type': 'application/json' } : {}),
      },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new Error(
      `cannot reach ${parsed.service} at ${parsed.url}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const body = (await response.json().catch(() => undefined)) as
    (Report & { message?: string }) | undefined;
  if (!response.ok) {
    throw new Error(
      `${parsed.service} answered ${String(response.status)}: ${body?.message ?? response.statusText}`,
    );
  }
  if (!body)
    throw new Error(`${parsed.service} answered ${String(response.status)} without a body`);
  return body;
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
  const report = await call(parsed);
  const changed = parsed.clear || parsed.latencyMs !== undefined || parsed.errorRate !== undefined;
  process.stdout.write(`${describe(report)}\n`);
  if (changed) process.stdout.write('every replica applies this within 1 s\n');
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`fault: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
