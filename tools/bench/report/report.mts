// report.md: the run's numbers in tables, its charts, the machine it ran on. One run only.
import { type FaultRun } from '../checkout/fault-scenarios.mts';
import { bytes, counts, image, ms, num, table } from './markdown.mts';
import { type CellRatio, type MatrixCell, type WireCell } from '../matrix/matrix.mts';
import { type BenchResults } from './results.mts';
import { type Sweep } from '../checkout/saturation.mts';
import { CHECKOUT_MODES, type CheckoutMode } from '../load/open-loop.mts';
import { type SetupThroughput, type TracingSetup } from '../tracing/tracing-overhead.mts';
import { TRANSPORTS, type Transport } from '../matrix/transports.mts';

export function report(results: BenchResults, chartFiles: readonly string[]): string {
  return [
    header(results),
    targetsSection(results),
    loadSection(results),
    matrixSection(results),
    wireSection(results.matrix.wire),
    sweepSection(results, chartFiles),
    faultSection(results, chartFiles),
    ledgerSection(results),
    tracingSection(results),
  ].join('\n\n');
}

/** Above this share of the CPUs busy before the run, something else was working. */
const BUSY_SHARE = 0.25;

function header(results: BenchResults): string {
  const m = results.machine;
  const before = results.activityAtStart;
  return [
    `# Junction bench — run ${results.runId} (${results.settings.mode})`,
    `Started ${results.startedAt}, took ${String(Math.round(results.durationS))} s. Every number below comes from this run; every ratio compares two measurements taken back to back in it.`,
    table(
      ['machine', ''],
      [
        ['CPU', `${String(m.cpuCount)} × ${m.cpuModel}`],
        ['memory', `${String(m.memoryGiB)} GiB`],
        ['Node.js', m.node],
        ['RabbitMQ', `${m.rabbitmq} (${m.erlang})`],
        ['Redis', m.redis],
        [
          'load average (1 min) at start / end',
          `${num(m.loadAverageAtStart)} / ${num(results.loadAverageAtEnd)}`,
        ],
        ['CPUs busy in the 2 s before the run', `${num(before.busyShare * 100, 0)} %`],
        ['busiest processes then (% of one CPU)', before.busiest.join('; ') || '–'],
      ],
    ),
    disturbed(results),
    before.busyShare > BUSY_SHARE
      ? `> **The machine was busy when the run started** (${num(before.busyShare * 100, 0)} % of its CPUs, see above): other work shared the cores with this run. Absolute numbers are pessimistic and noisy; the Junction ÷ floor ratios, measured in alternating rounds, are the robust part. The load per part below shows whether it lasted.`
      : `> The machine was otherwise idle when the run started (${num(before.busyShare * 100, 0)} % of its CPUs busy). The load per part below shows whether it stayed so.`,
  ].join('\n\n');
}

function loadSection(results: BenchResults): string {
  const rows = results.machineLoad.phases.map((p) => [
    p.phase,
    `${num(p.fromS, 0)}–${num(p.toS, 0)} s`,
    `${num(p.meanLoad)} / ${num(p.maxLoad)}`,
  ]);
  return [
    `### Machine load per part of the run`,
    `The 1-minute load average (every 5 s) while each part ran; with ${String(results.machine.cpuCount)} CPUs, a value above ${String(results.machine.cpuCount)} means processes waited for a core — this run's own services and load included, so compare parts with each other, not with zero.`,
    table(['part', 'when', 'load average mean / max'], rows),
    image('machine-load.svg', 'machine load'),
  ].join('\n\n');
}

function disturbed(results: BenchResults): string {
  const { redisRestarted, brokerConnectionDropsAtS: drops } = results.disturbances;
  if (!redisRestarted && drops.length === 0) {
    return '> Redis and RabbitMQ stayed up for the whole run (no restart, no dropped connection).';
  }
  const phaseAt = (t: number): string =>
    results.machineLoad.phases.find((p) => t >= p.fromS && t <= p.toS)?.phase ?? 'between parts';
  const when = drops.map((t) => `${num(t, 0)} s (${phaseAt(t)})`).join(', ');
  const redis = redisRestarted ? 'Redis restarted during the run (its keys were lost). ' : '';
  const broker =
    drops.length === 0
      ? ''
      : `The services lost their RabbitMQ connection at ${when}: another process restarted the broker this run shares. Distrust the parts that ran then.`;
  return `> **Disturbed run**: ${redis}${broker}`;
}

const SIZE: Readonly<Record<number, string>> = { 64: '64 B', 4096: '4 KiB', 262144: '256 KiB' };
const size = (b: number): string => SIZE[b] ?? `${String(b)} B`;

function latencies(cell: MatrixCell | undefined): string[] {
  if (!cell) return ['–', '–'];
  const l = cell.latency;
  const errors = cell.errors > 0 ? ` (${String(cell.errors)} errors)` : '';
  return [
    `${ms(l.p50)} / ${ms(l.p90)} / ${ms(l.p99)} / ${ms(l.max)}`,
    `${num(cell.throughput, 0)}${errors}`,
  ];
}

function matrixSection(results: BenchResults): string {
  const { cells, ratios } = results.matrix;
  const rounds = results.settings.matrix;
  const parts = [
    `## Transport matrix: GetItem, Junction against the raw floor`,
    `The same read (two Redis reads + N bytes of padding) served by inventory through Junction's stack (NestJS + Fastify, gRPC via @nestjs/microservices, AMQP via libs/messaging's RpcServer) and by a raw server in its own process (node:http, @grpc/grpc-js, amqplib; no framework, validation, logging or telemetry), called by the same client. Closed loop: 1 call in flight (serial) or 32. Each cell alternates floor and Junction ${String(rounds.rounds)} × ${String(rounds.durationMs / 1000)} s. Latency in ms as p50 / p90 / p99 / max. Ratios are Junction ÷ floor: above 1 = slower (latency), below 1 = fewer calls/s.`,
  ];
  for (const transport of TRANSPORTS) {
    const rows = ratios.filter((r) => r.transport === transport).map((r) => matrixRow(cells, r));
    parts.push(
      `### ${transport.toUpperCase()}`,
      table(
        [
          'payload',
          'in flight',
          'Junction ms',
          'Junction calls/s',
          'floor ms',
          'floor calls/s',
          '× p50',
          '× p99',
          '× calls/s',
        ],
        rows,
      ),
    );
  }
  parts.push(
    TRANSPORTS.flatMap((t) =>
      rounds.concurrencies.map((c) =>
        image(`cdf-${t}-c${String(c)}.svg`, `${t} CDF c${String(c)}`),
      ),
    ).join('\n'),
  );
  return parts.join('\n\n');
}

function matrixRow(cells: readonly MatrixCell[], r: CellRatio): string[] {
  const find = (implementation: string): MatrixCell | undefined =>
    cells.find(
      (c) =>
        c.implementation === implementation &&
        c.transport === r.transport &&
        c.paddingBytes === r.paddingBytes &&
        c.concurrency === r.concurrency,
    );
  return [
    size(r.paddingBytes),
    String(r.concurrency),
    ...latencies(find('junction')),
    ...latencies(find('floor')),
    num(r.p50),
    num(r.p99),
    num(r.throughput),
  ];
}

function wireSection(wire: readonly WireCell[]): string {
  const find = (t: Transport, impl: string, p: number): WireCell | undefined =>
    wire.find((w) => w.transport === t && w.implementation === impl && w.paddingBytes === p);
  const sizes = [...new Set(wire.map((w) => w.paddingBytes))];
  const rows = TRANSPORTS.flatMap((t) =>
    sizes.map((p) => {
      const j = find(t, 'junction', p);
      const f = find(t, 'floor', p);
      const total = j ? j.request + j.response : Number.NaN;
      return [
        t.toUpperCase(),
        size(p),
        j ? `${bytes(j.request)} / ${bytes(j.response)}` : '–',
        f ? `${bytes(f.request)} / ${bytes(f.response)}` : '–',
        num(total / p),
      ];
    }),
  );
  return [
    `## Bytes on the wire per call`,
    `Counted by a TCP proxy between client and server (for AMQP: between the client and the broker; the server's leg is about the same size), after connection setup. JSON carries the padding as base64 (4/3 of the bytes), protobuf as raw bytes.`,
    table(
      [
        'transport',
        'payload',
        'Junction request / response',
        'floor request / response',
        'Junction wire ÷ payload',
      ],
      rows,
    ),
  ].join('\n\n');
}

function sweepSection(results: BenchResults, chartFiles: readonly string[]): string {
  const parts = [
    `## Checkout: blocking against queued at increasing load`,
    `Open loop: orders arrive every 1/rate s whatever the answers do; latencies count from the due time. Accept = due → 201/202; completion = due → terminal status seen by the client (the 201 body, or the events stream). Confirmed/s counts orders confirmed during the last 80 % of the window (the first orders' travel time is not a shortfall). A step is saturated below 90 % of the offered rate confirmed, above 1 % not accepted, or above 2 s p99 accept. Generator lag = the longest an order was sent after its due time: the load runs on the same cores, and where it falls behind, the offered rate is partly its own limit.`,
  ];
  for (const sweep of results.checkout.sweeps) parts.push(sweepTable(sweep));
  parts.push(
    chartFiles
      .filter((f) => f.startsWith('load-') || f === 'throughput.svg')
      .map((f) => image(f, f))
      .join('\n'),
  );
  return parts.join('\n\n');
}

function sweepTable(sweep: Sweep): string {
  const rows = sweep.steps.map((s) => [
    String(s.offeredPerSecond),
    num(s.path.confirmedPerSecond, 1),
    `${ms(s.path.acceptLatency.p50)} / ${ms(s.path.acceptLatency.p99)}`,
    `${ms(s.path.completionLatency.p50)} / ${ms(s.path.completionLatency.p99)}`,
    `${num(s.path.errorRate * 100, 1)} %`,
    String(s.peakBacklog),
    `${num(s.settleMs / 1000, 1)} s`,
    String(s.ledger.notTerminal),
    `${String(s.maxSendLagMs)} ms`,
    s.saturated ? '**saturated**' : '',
  ]);
  const saturated = sweep.steps.some((s) => s.saturated);
  return [
    `### ${sweep.mode} (kept up to ${String(sweep.kneePerSecond)} orders/s${saturated ? '' : ', the highest rate tried: not saturated'})`,
    table(
      [
        'offered/s',
        'confirmed/s',
        'accept p50 / p99 ms',
        'completion p50 / p99 ms',
        'not accepted',
        'peak backlog',
        'settled after',
        'not terminal',
        'generator lag',
        '',
      ],
      rows,
    ),
  ].join('\n\n');
}

function faultSection(results: BenchResults, chartFiles: readonly string[]): string {
  const f = results.settings.faults;
  const rows = results.checkout.faults.map((run) => faultRow(run));
  return [
    `## Checkout under payment faults`,
    `Each path alone at ${String(results.checkout.faultRatePerSecond)} orders/s (${String(Math.round(f.shareOfKnee * 100))} % of the lower sweep knee, within ${String(f.minRate)}–${String(f.maxRate)}) for ${String(f.durationMs / 1000)} s; the fault starts at ${String(f.faultFromMs / 1000)} s and ends at ${String(f.faultUntilMs / 1000)} s (latency: +${String(f.latencyMs)} ms on every payment operation through \`npm run fault\`, applied by the services within 1 s; outage: payment SIGKILLed, then started again and waited for until ready; none: the control run, same rate and length, no fault). "Last failure due at" = the due time of the last order not accepted or not confirmed. "Drained" (queued) = from the repair (fault cleared, payment restarting) to the first queue sample back at the pre-fault depth; "settled" = every accepted order terminal and the queues empty, counted from the last arrival.`,
    table(
      [
        'fault',
        'path',
        'accepted / sent',
        'accept p50 / p99 ms',
        'completion p50 / p99 ms',
        'rejected',
        'not accepted',
        'last failure due at',
        'peak backlog',
        'drained after',
        'settled after',
        'lost',
      ],
      rows,
    ),
    `Timelines, in s after the load started: ${results.checkout.faults
      .filter((run) => run.events.length > 0)
      .map(timeline)
      .join(
        '; ',
      )}. Before each run the bench waited until a blocking checkout confirmed again (${results.checkout.faults.map((run) => `${num(run.healthyAfterMs / 1000, 1)} s`).join(', ')}).`,
    chartFiles
      .filter((file) => file.startsWith('fault-'))
      .map((file) => image(file, file))
      .join('\n'),
  ].join('\n\n');
}

function faultRow(run: FaultRun): string[] {
  const p = run.path;
  return [
    run.kind,
    run.mode,
    `${String(p.accepted)} / ${String(p.sent)}`,
    `${ms(p.acceptLatency.p50)} / ${ms(p.acceptLatency.p99)}`,
    `${ms(p.completionLatency.p50)} / ${ms(p.completionLatency.p99)}`,
    counts(p.rejected),
    counts(p.errors),
    run.lastFailureMs === null ? 'none failed' : `${num(run.lastFailureMs / 1000, 1)} s`,
    String(run.peakBacklog),
    drained(run),
    `${num(run.settleMs / 1000, 1)} s${run.settled ? '' : ' (timed out)'}`,
    String(run.ledger.notTerminal),
  ];
}

function drained(run: FaultRun): string {
  if (run.mode === 'blocking' || run.kind === 'none') return '–';
  if (run.backlogDrainedMs === null) return 'not within the run';
  return `${num(run.backlogDrainedMs / 1000, 1)} s`;
}

function timeline(run: FaultRun): string {
  const events = run.events.map((e) => `${e.label} ${num(e.t / 1000, 1)}`).join(', ');
  return `${run.kind} ${run.mode}: ${events}`;
}

function ledgerSection(results: BenchResults): string {
  const runs = [...results.checkout.sweeps.flatMap((s) => s.steps), ...results.checkout.faults];
  const accepted = runs.reduce((n, r) => n + r.ledger.accepted, 0);
  const notTerminal = runs.reduce((n, r) => n + r.ledger.notTerminal, 0);
  return [
    `## Lost orders`,
    `Every order the client saw accepted, looked up in orders' Redis keyspace after its run settled: ${String(accepted)} accepted, **${String(notTerminal)} not terminal**. All orders in Redis (including those whose client got an error, which orders' sweeper of interrupted checkouts closes), ${num(results.checkout.allTerminalAfterMs / 1000, 1)} s after the last run: ${counts(results.checkout.ordersInRedis)}.`,
    `Queues after the checkout runs (\`rabbitmqctl list_queues\`, ready / unacked): ${results.checkout.queuesAfter.map((q) => `${q.name} ${String(q.messages)}/${String(q.unacked)}`).join(', ')}.`,
  ].join('\n\n');
}

function tracingSection(results: BenchResults): string {
  const t = results.tracing;
  const sampled = `${num(t.sampleRatio * 100, 0)} % sampled`;
  const setup = (name: TracingSetup): SetupThroughput | undefined =>
    t.setups.find((s) => s.setup === name);
  const cell = (name: TracingSetup, mode: CheckoutMode): string => {
    const path = setup(name)?.paths.find((p) => p.mode === mode);
    if (!path) return '–';
    const rounds =
      path.perRound.length > 1 ? ` [${path.perRound.map((r) => num(r, 0)).join(', ')}]` : '';
    return `${num(path.throughput, 1)}${rounds} (p50 ${ms(path.latency.p50)} ms)`;
  };
  const rows = CHECKOUT_MODES.map((mode) => [
    mode,
    cell('off', mode),
    cell('all', mode),
    cell('sampled', mode),
    num(t.ratios.all[mode]),
    num(t.ratios.sampled[mode]),
  ]);
  const exported = (['all', 'sampled'] as const)
    .map((name) => {
      const e = setup(name)?.exported;
      return e
        ? `${name === 'all' ? 'every trace' : sampled}: ${String(e.requests)} batches, ${bytes(e.bytes)}`
        : '';
    })
    .join('; ');
  return [
    `## Tracing overhead`,
    `Full checkouts per second, closed loop with ${String(t.concurrency)} shoppers (a queued checkout counts when its events stream shows it confirmed): tracing off (no SDK), every trace exported over OTLP/HTTP protobuf to a local sink, and ${sampled} (\`OTEL_TRACES_SAMPLER=parentbased_traceidratio\`, ARG ${String(t.sampleRatio)}). Each setup ran on freshly started services, ${String(t.rounds)} round(s) in alternating order (off, every trace, sampled; then the reverse; …); the numbers are the median of the rounds [each round], and the ratios compare medians. Exported — ${exported}.`,
    table(
      ['path', 'off: checkouts/s', 'every trace', sampled, 'every trace ÷ off', `${sampled} ÷ off`],
      rows,
    ),
  ].join('\n\n');
}

function targetsSection(results: BenchResults): string {
  const rows = results.targets.map((v) => [
    v.target,
    v.basis,
    `${Number.isFinite(v.measured) ? v.measured.toFixed(2) : '–'} (${v.direction} ${v.limit.toFixed(2)})`,
    v.passed
      ? 'pass'
      : `**fail**, ${num(v.missedBy * 100, 0)} % ${v.direction === 'at most' ? 'over' : 'under'}`,
  ]);
  return [
    `## Targets`,
    `Ratios of two measurements of this run (the tables below have the details).`,
    table(['target', 'measured', 'ratio', 'verdict'], rows),
  ].join('\n\n');
}
