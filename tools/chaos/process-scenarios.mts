// Services that die (SIGKILL: no chance to finish anything) or are stopped (SIGTERM: the
// graceful drain) in the middle of the load, and come back.
import { type Placement } from './load.mts';
import { type Scenario, type ScenarioContext } from './scenario.mts';

type KillableService = 'inventory' | 'payment' | 'orders';

const KILL_LATENCY_MS = 100;

/**
 * SIGKILL one service at a third of the load and start it again at once. Latency injected on the
 * service (on payment, when orders is killed) keeps work in flight on both paths when it dies.
 */
export function killAndRestart(service: KillableService, inCi: boolean): Scenario {
  const slowed = service === 'orders' ? 'payment' : service;
  return {
    name: `kill-${service}`,
    title: `SIGKILL ${service} mid-load, restart`,
    inCi,
    env: { [slowed]: { FAULT_LATENCY_MS: String(KILL_LATENCY_MS) } },
    async disrupt(context) {
      await context.atLoadFraction(0.35);
      await context.stage.signal(service, 'SIGKILL');
      const readyMs = await context.stage.start(service);
      context.note(`${service} ready again after ${(readyMs / 1000).toFixed(1)} s`);
    },
  };
}

const DRAINED: readonly KillableService[] = ['inventory', 'payment', 'orders'];

/**
 * SIGTERM inventory, payment and orders in turn, each restarted, with latency injected so that
 * work is in flight when the signal lands. A graceful stop finishes that work: every request in
 * flight is answered, no ack is lost, and no message is handled twice.
 */
export const sigtermDrain: Scenario = {
  name: 'sigterm-drain',
  title: 'SIGTERM inventory, payment, orders mid-load (graceful drain), restart',
  inCi: false,
  env: {
    inventory: { FAULT_LATENCY_MS: '50', LOG_LEVEL: 'debug' },
    payment: { FAULT_LATENCY_MS: '150', LOG_LEVEL: 'debug' },
    orders: { LOG_LEVEL: 'debug' },
  },
  async disrupt(context) {
    for (const [i, service] of DRAINED.entries()) {
      await context.atLoadFraction(0.2 + 0.25 * i);
      const code = await context.stage.signal(service, 'SIGTERM');
      context.note(`${service} exited ${String(code)}`);
      await context.stage.start(service);
    }
    await context.loadDone;
    await context.settle();
    checkRequestsAnswered(context, await context.loadDone);
    checkMessagesSettledOnce(context);
  },
};

/** Requests in flight when a SIGTERM landed got an answer (refused later ones are fine). */
function checkRequestsAnswered(context: ScenarioContext, placements: readonly Placement[]): void {
  for (const exit of context.stage.exits.filter((e) => e.signal === 'SIGTERM')) {
    const at = exit.signalledAt - context.loadStartedAt;
    const dropped = placements.filter(
      (p) => p.sentAtMs < at && p.sentAtMs + (p.latencyMs ?? 0) > at && p.httpStatus === undefined,
    );
    if (dropped.length > 0) {
      const errors = [...new Set(dropped.map((p) => p.error))].join(', ');
      context.violation(
        `SIGTERM to ${exit.service}: ${dropped.length} requests in flight were dropped (${errors})`,
      );
    }
  }
}

/** No ack lost ("settle failed") and no message handled twice, by the services' debug logs. */
function checkMessagesSettledOnce(context: ScenarioContext): void {
  for (const [service, lines] of context.stage.logs) {
    const handled = new Map<string, number>();
    for (const entry of lines.map(parseLogLine)) {
      if (entry?.msg === 'settle failed') {
        context.violation(`${service}: an ack was lost in a graceful stop (${String(entry.err)})`);
      }
      if (entry?.msg === 'message handled' && typeof entry.messageId === 'string') {
        handled.set(entry.messageId, (handled.get(entry.messageId) ?? 0) + 1);
      }
    }
    const twice = [...handled].filter(([, count]) => count > 1).map(([id]) => id);
    if (twice.length > 0) {
      context.violation(
        `${service} handled ${twice.length} messages twice: ${twice.slice(0, 5).join(', ')}`,
      );
    }
  }
}

function parseLogLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
