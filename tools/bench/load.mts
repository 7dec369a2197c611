// npm run load -- --target <url> --rate <orders/s> --duration <s> [--mix blocking:queued] ...
//
// Open-loop checkout load against a running Junction (the cluster's gateway, or a local run):
// registers its own users, places orders at a fixed rate, follows queued ones to their end, and
// prints a summary. Every option has an environment fallback, so it runs as a container too.
import { type LoadCommand, parseLoadCommand, UsageError } from './load/load-command.mts';
import { type LoadSummary, summarize } from './load/load-summary.mts';
import { HttpJson, OpenLoopLoad, Shopper } from './load/open-loop.mts';

/** Who the load registers as. */
const LOAD_SHOPPER = { label: 'load', displayName: 'Load generator' };

const USAGE = `Usage: npm run load -- --target <url> [options]

Places orders at a fixed rate (open loop: arrivals do not wait for answers), blocking and/or
queued, against a running Junction; registers its own users; follows queued orders over their
events stream until they are terminal; prints accept and completion latency, confirmed orders
per second and errors.

  --target <url>          base URL serving /auth and /orders (the gateway)   env LOAD_TARGET
  --auth-url <url>        where /auth is served, if not the target          env LOAD_AUTH_URL
  --orders-url <url>      where /orders is served, if not the target        env LOAD_ORDERS_URL
  --rate <n>              orders per second (default 10)                    env LOAD_RATE
  --duration <s>          seconds of arrivals (default 30)                  env LOAD_DURATION
  --mix <b:q>             blocking:queued shares (default 1:1)               env LOAD_MIX
  --sku <sku>             what to order (default JNC-MUG)                   env LOAD_SKU
  --payment-method <pm>   pm_card_ok (default) or pm_card_declined          env LOAD_PAYMENT_METHOD
  --users <n>             users to register and rotate (default 4)          env LOAD_USERS
  --max-in-flight <n>     unanswered orders at once (default 2000)          env LOAD_MAX_IN_FLIGHT
  --json                  print the summary as JSON                         env LOAD_JSON=1
  -h, --help              show this help

Local run (npm start):
  npm run load -- --auth-url http://127.0.0.1:3001 --orders-url http://127.0.0.1:3003 --rate 20 --duration 10
Cluster (gateway port-forwarded):
  npm run load -- --target http://127.0.0.1:8080 --rate 50 --duration 60 --mix 0:1

SIGINT/SIGTERM end the arrivals early; orders in flight are still followed, then it prints.
Exit code: 0, or 1 when no order was accepted, 2 for a usage error.
`;

export function formatSummary(summary: LoadSummary): string {
  const lines = [
    `offered ${String(summary.offeredPerSecond)} orders/s for ${String(summary.durationS)} s (generator lag ≤ ${String(summary.maxSendLagMs)} ms)`,
  ];
  for (const path of summary.paths) {
    const a = path.acceptLatency;
    const c = path.completionLatency;
    lines.push(
      `${path.mode}: sent ${String(path.sent)}, accepted ${String(path.accepted)}, confirmed ${String(path.confirmed)} (${String(path.confirmedPerSecond)}/s in the window), error rate ${(path.errorRate * 100).toFixed(2)} %`,
      `  accept     ms  p50 ${String(a.p50)}  p90 ${String(a.p90)}  p99 ${String(a.p99)}  max ${String(a.max)}`,
      `  completion ms  p50 ${String(c.p50)}  p90 ${String(c.p90)}  p99 ${String(c.p99)}  max ${String(c.max)}`,
    );
    if (Object.keys(path.errors).length > 0) lines.push(`  errors: ${JSON.stringify(path.errors)}`);
    if (Object.keys(path.rejected).length > 0)
      lines.push(`  rejected: ${JSON.stringify(path.rejected)}`);
    if (path.unobserved > 0)
      lines.push(`  accepted but never seen terminal: ${String(path.unobserved)}`);
  }
  return lines.join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  let command: LoadCommand | undefined;
  try {
    command = parseLoadCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof TypeError)) throw error;
    process.stderr.write(`load: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (!command) {
    process.stdout.write(USAGE);
    return 0;
  }
  const http = new HttpJson();
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      stop.abort();
    });
  try {
    const targets = command.targets;
    const shoppers = await Promise.all(
      Array.from({ length: command.users }, () =>
        Shopper.register(http, targets.authUrl, LOAD_SHOPPER),
      ),
    );
    const run = await new OpenLoopLoad(http, targets, shoppers).run(command.plan, stop.signal);
    const summary = summarize(run);
    process.stdout.write(
      command.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatSummary(summary)}\n`,
    );
    return summary.paths.some((path) => path.accepted > 0) ? 0 : 1;
  } finally {
    http.close();
  }
}

if (import.meta.main) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`load: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
