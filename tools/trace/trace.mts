// npm run trace -- <orderId|traceId> [--jaeger http://127.0.0.1:16686] [--lookback 24h] [--json]
//
// Fetches a checkout's trace from Jaeger's api/v3 and prints it as a waterfall, every hop marked
// blocking or queued, with queue waits. See docs/tracing.md. Node builtins only.
import { parseArgs } from 'node:util';
import { parseJaegerResponse, spansOf, type Span } from './otlp.mts';
import { traceSearchQuery, type TraceSearch, uiSearchQuery } from './search.mts';
import { renderWaterfall, toJson, traceViews } from './waterfall.mts';

const USAGE = `Usage: npm run trace -- <orderId|traceId> [options]

Prints a trace from Jaeger as a waterfall: each span's service, name, kind, start offset and
duration, with every hop between services marked "blocking" (the caller waited on a gRPC call)
or "queued" (a message waited in RabbitMQ, for the time shown).

  <traceId>   32 hex digits, as shown in Jaeger
  <orderId>   an order id (the Location of POST /orders): found through the span attribute
              order.id on the orders service (with span links, one trace per hop; all are shown)

Options:
  --jaeger <url>      Jaeger query base URL (default: $JAEGER_URL or http://127.0.0.1:16686)
  --lookback <time>   how far back to search for an order, e.g. 90m, 24h, 7d (default: 24h)
  --json              print JSON instead: { traces: [{ traceId, checkoutPath, hops, spans }] }
  -h, --help          show this help
`;

const TRACE_ID = /^[0-9a-f]{32}$/i;
const ORDER_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

class UsageError extends Error {}

interface Options {
  readonly target: string;
  readonly jaeger: string;
  readonly lookbackMs: number;
  readonly json: boolean;
}

function options(argv: readonly string[]): Options | undefined {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      jaeger: { type: 'string' },
      lookback: { type: 'string', default: '24h' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return undefined;
  const [target, ...extra] = positionals;
  if (target === undefined) throw new UsageError('name an order id or a trace id');
  if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra.join(' ')}`);
  if (!TRACE_ID.test(target) && !ORDER_ID.test(target)) {
    throw new UsageError(`not an order id or a trace id: ${target}`);
  }
  const jaeger = (values.jaeger ?? process.env.JAEGER_URL ?? 'http://127.0.0.1:16686').replace(
    /\/+$/,
    '',
  );
  if (!/^https?:\/\//.test(jaeger)) throw new UsageError(`--jaeger must be an http(s) URL`);
  return { target, jaeger, lookbackMs: duration(values.lookback), json: values.json };
}

function duration(text: string): number {
  const match = /^(\d+)(s|m|h|d)$/.exec(text);
  if (!match) throw new UsageError(`--lookback must look like 90m, 24h or 7d: ${text}`);
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    match[2] as 's' | 'm' | 'h' | 'd'
  ];
  return Number(match[1]) * unit;
}

async function getJson(url: string): Promise<{ status: number; body: string }> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    const reason =
      error instanceof Error
        ? error.cause instanceof Error
          ? error.cause.message
          : error.message
        : String(error);
    throw new Error(`cannot reach Jaeger at ${new URL(url).origin}: ${reason}`);
  }
  return { status: response.status, body: await response.text() };
}

/** GET /api/v3/traces/{traceId}: the whole trace, as OTLP/JSON in {"result": …}. */
async function traceById(jaeger: string, traceId: string): Promise<Span[]> {
  const { status, body } = await getJson(`${jaeger}/api/v3/traces/${traceId.toLowerCase()}`);
  if (status === 404) return [];
  if (status !== 200)
    throw new Error(
      `Jaeger answered ${String(status)} for trace ${traceId}: ${body.slice(0, 200)}`,
    );
  return spansOf(parseJaegerResponse(body));
}

/**
 * The traces of an order: api/v3 search on the orders service for the span attribute order.id,
 * in both spellings of the parameters (search.mts). Jaeger before 2.19 ignores query.attributes
 * and answers with the service's latest traces, so the answer is checked; if it holds no span
 * of the order, the search falls back to the one the Jaeger UI sends (/api/traces?tags=), and
 * fetches the traces it names.
 */
async function tracesOfOrder(jaeger: string, orderId: string, lookbackMs: number): Promise<Span[]> {
  const now = Date.now();
  const search: TraceSearch = {
    service: 'orders',
    attributes: { 'order.id': orderId },
    startTimeMin: new Date(now - lookbackMs),
    startTimeMax: new Date(now + 60_000),
    depth: 20,
  };
  const { status, body } = await getJson(
    `${jaeger}/api/v3/traces?${traceSearchQuery(search).toString()}`,
  );
  if (status === 200) {
    const spans = spansOf(parseJaegerResponse(body));
    const matching = new Set(
      spans.filter((s) => s.attributes['order.id'] === orderId).map((s) => s.traceId),
    );
    if (matching.size > 0) return spans.filter((span) => matching.has(span.traceId));
  } else if (status !== 404) {
    throw new Error(`Jaeger answered ${String(status)} to the trace search: ${body.slice(0, 200)}`);
  }
  const fallback = await getJson(`${jaeger}/api/traces?${uiSearchQuery(search).toString()}`);
  if (fallback.status !== 200) return [];
  const { data } = JSON.parse(fallback.body) as { data?: { traceID?: string }[] | null };
  const ids = [
    ...new Set((data ?? []).map((trace) => trace.traceID ?? '').filter((id) => TRACE_ID.test(id))),
  ];
  return (await Promise.all(ids.map((id) => traceById(jaeger, id)))).flat();
}

async function main(argv: readonly string[]): Promise<number> {
  let parsed: Options | undefined;
  try {
    parsed = options(argv);
  } catch (error) {
    process.stderr.write(
      `trace: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`,
    );
    return 2;
  }
  if (!parsed) {
    process.stdout.write(USAGE);
    return 0;
  }
  const { target, jaeger, lookbackMs, json } = parsed;
  const byTraceId = TRACE_ID.test(target);
  const spans = byTraceId
    ? await traceById(jaeger, target)
    : await tracesOfOrder(jaeger, target, lookbackMs);
  if (spans.length === 0) {
    process.stderr.write(
      byTraceId
        ? `trace: no trace ${target} in Jaeger at ${jaeger}\n`
        : `trace: no trace of order ${target} in Jaeger at ${jaeger} (last ${String(lookbackMs / 3_600_000)} h)\n`,
    );
    return 1;
  }
  const views = traceViews(spans);
  if (json) {
    process.stdout.write(`${JSON.stringify({ traces: views.map(toJson) }, null, 2)}\n`);
  } else {
    process.stdout.write(`${views.map((view) => renderWaterfall(view).join('\n')).join('\n\n')}\n`);
  }
  return 0;
}

// `npm run trace -- … | head` closes the pipe early; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`trace: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
