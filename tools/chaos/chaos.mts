// npm run chaos -- [--quick] [--only <name,...>] [--list]
//
// Breaks the local topology under an open-loop load of queued and blocking orders, one
// scenario at a time, then checks the books in Redis and on the broker (never the services'
// own counters) and prints a Markdown results table. See docs/reliability.md.
import { parseArgs } from 'node:util';
import { BROKER_HOST } from '@junction/testkit';
import { reachable } from '../local/topology.mts';
import { type FailedRun, resultsTable } from './report.mts';
import { ensureBrokerRunning } from './rabbitmq.mts';
import { prepareChaosInfrastructure, removeChaosInfrastructure } from './infrastructure.mts';
import { runScenario, type ScenarioResult } from './runner.mts';
import { type Scenario } from './scenario.mts';
import { SCENARIOS } from './scenarios.mts';
import { CHAOS_REDIS_URL, CHAOS_VHOST } from './settings.mts';

const USAGE = `Usage: npm run chaos -- [options]

Runs the five services as local processes (ports +400, Redis db 11, RabbitMQ vhost
${CHAOS_VHOST}) and, scenario by scenario, breaks something while orders arrive at a fixed
rate; then checks the books: every accepted order terminal, stock conserved, one capture per
confirmed order, queues empty, parking holding exactly the injected poison. Needs RabbitMQ with
rabbitmqctl and Redis on localhost, and redis-server on PATH. The RabbitMQ scenario restarts the
machine's broker (stop_app/start_app).

Options:
  --quick             CI size: 20 orders/s for 6 s instead of 30 orders/s for 10 s
  --only <names>      only these scenarios (comma-separated names, see --list)
  --list              list the scenarios and exit
  -h, --help          show this help
`;

const RUN_LIMIT_MS = 30 * 60_000;

function selectedScenarios(only: string | undefined): Scenario[] {
  if (only === undefined) return [...SCENARIOS];
  const names = only.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown.length > 0) throw new Error(`unknown scenario: ${unknown.join(', ')} (see --list)`);
  return SCENARIOS.filter((scenario) => names.includes(scenario.name));
}

async function preflight(): Promise<void> {
  if (!(await reachable(`amqp://${BROKER_HOST}`)))
    throw new Error(
      `RabbitMQ is not reachable on ${BROKER_HOST} (start it: rabbitmq-server -detached)`,
    );
  if (!(await reachable(CHAOS_REDIS_URL)))
    throw new Error(
      `Redis is not reachable at ${CHAOS_REDIS_URL} (start it: redis-server --daemonize yes)`,
    );
}

async function runAll(
  scenarios: readonly Scenario[],
  quick: boolean,
): Promise<(ScenarioResult | FailedRun)[]> {
  const results: (ScenarioResult | FailedRun)[] = [];
  await prepareChaosInfrastructure();
  try {
    for (const scenario of scenarios) {
      process.stdout.write(`▶ ${scenario.title}\n`);
      const started = Date.now();
      try {
        const result = await runScenario(scenario, { quick });
        results.push(result);
        const verdict = result.violations.length === 0 ? 'books OK' : 'BOOKS BROKEN';
        process.stdout.write(
          `  ${verdict} in ${(result.durationMs / 1000).toFixed(0)} s — ${result.notes.join('; ')}\n`,
        );
        for (const violation of result.violations) process.stdout.write(`  ✗ ${violation}\n`);
        if (result.violations.length > 0) process.stdout.write(`  logs: ${result.logsDir}\n`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        results.push({ title: scenario.title, error: message, durationMs: Date.now() - started });
        process.stdout.write(`  ✗ the scenario could not run: ${message}\n`);
      }
    }
  } finally {
    await ensureBrokerRunning();
    await removeChaosInfrastructure();
  }
  return results;
}

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.list) {
    for (const s of SCENARIOS)
      process.stdout.write(`${s.name.padEnd(18)} ${s.inCi ? '[ci] ' : '     '}${s.title}\n`);
    return 0;
  }
  const scenarios = selectedScenarios(values.only);
  await preflight();
  const results = await runAll(scenarios, values.quick);
  process.stdout.write(
    `\n${resultsTable(results)}\n\nRun on ${new Date().toISOString()}${values.quick ? ' (--quick)' : ''}.\n`,
  );
  const failed = results.filter((r) => 'error' in r || r.violations.length > 0);
  return failed.length === 0 ? 0 : 1;
}

setTimeout(() => {
  process.stderr.write(`chaos: gave up after ${RUN_LIMIT_MS / 60_000} min\n`);
  process.exit(2);
}, RUN_LIMIT_MS).unref();
process.once('SIGINT', () => {
  process.stderr.write('chaos: interrupted; restoring the broker and removing the vhost\n');
  void ensureBrokerRunning()
    .then(removeChaosInfrastructure)
    .finally(() => process.exit(130));
});

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`chaos: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
