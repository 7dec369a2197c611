// report.md: the run's numbers in tables, its charts, the machine it ran on. One run only.
import { type FaultRun } from '../checkout/fault-scenarios.mts';
import { bytes, counts, image, ms, num, table } from './markdown.mts';
import { type CellRatio, type MatrixCell, type WireCell } from '../matrix/matrix.mts';
import { type BenchResults } from './results.mts';
import { type Bisection, type Trial } from '../checkout/saturation.mts';
import { type Interval } from './intervals.mts';
import { TRACING_SETUPS } from '../tracing/fixed-rate-cost.mts';
import { TRANSPORTS, type Transport } from '../matrix/transports.mts';

export function report(results: BenchResults, chartFiles: readonly string[]): string {
  return [
    header(results),
    targetsSection(results),
    loadSection(results),
    matrixSection(results),
    wireSection(results.matrix.wire),
    saturationSection(results, chartFiles),
    fixedRateSection(results),
    relaySection(results),
    faultSection(results, chartFiles),
    ledgerSection(results),
    profileSection(results),
  ].join('\n\n');
}

/** Above this share of the CPUs busy before the run, something else was working. */
const BUSY_SHARE = 0.25;

function header(results: BenchResults): string {
  const m = results.machine;
  const before = results.activityAtStart;
  return [
    `# Junction bench — run ${results.runId} (${results.settings.mode})`,
    `Started ${results.startedAt}, took ${String(Math.round(results.durationS))} s (seed ${String(results.seed)}: \`npm run bench -- --seed ${String(results.seed)}\` runs the same order). Every number below comes from this run; every ratio compares two measurements taken in counterbalanced (ABBA or BAAB) rounds in it.`,
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
  const phases = results.machineLoad.phases;
  const names = [...new Set(phases.flatMap((p) => Object.keys(p.cpuS)))];
  const rows = phases.map((p) => [
    p.phase,
    `${num(p.fromS, 0)}–${num(p.toS, 0)} s`,
    `${num(p.meanLoad)} / ${num(p.maxLoad)}`,
    ...names.map((name) => num(p.cpuS[name], 1)),
  ]);
  return [
    `### Machine load and CPU per part of the run`,
    `The 1-minute load average (every 5 s) while each part ran, and the CPU time (utime + stime from /proc, read every second) each process spent in it, in CPU-s; with ${String(results.machine.cpuCount)} CPUs, a load above ${String(results.machine.cpuCount)} means processes waited for a core — this run's own services and load included, so compare parts with each other, not with zero.`,
    table(['part', 'when', 'load mean / max', ...names.map((n) => `${n} CPU-s`)], rows),
    image('machine-load.svg', 'machine load'),
  ].join('\n\n');
}

/** "1.23 [1.10, 1.31]": an estimate and its 95 % interval. */
function interval(i: Interval): string {
  return `${num(i.estimate)} [${num(i.low)}, ${num(i.high)}]`;
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
    `The same read (two Redis reads + N bytes of padding) served by inventory through Junction's stack (NestJS + Fastify, gRPC via @nestjs/microservices, AMQP via libs/messaging's RpcServer) and by a raw server in its own process (node:http, @grpc/grpc-js, amqplib; no framework, validation, logging or telemetry), called by the same client. The gRPC floor decodes and encodes with the same library path as Junction's server (@grpc/proto-loader on the same .proto with the same options). Closed loop: 1 call in flight (serial) or 32. Each client first warms up until the p50s of its last 3 chunks of 0.2 s agree within 10 % (at most ${String(rounds.warmupMs / 1000)} s); then ${String(rounds.rounds)} rounds, each visiting every cell once in a random order and running the cell's floor and Junction in ABBA or BAAB order, ${String(rounds.durationMs / 1000)} s per slot. Latency in ms as p50 / p90 / p99 / max, pooled over the rounds. Ratios are Junction ÷ floor: above 1 = slower (latency), below 1 = fewer calls/s; "× p50 per round" is the geometric mean of the rounds' ratios with its bootstrap 95 % interval.`,
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
          '× p50 per round [95 %]',
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
    interval(r.p50Interval),
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

function saturationSection(results: BenchResults, chartFiles: readonly string[]): string {
  const sat = results.checkout.saturation;
  const st = results.settings.saturation;
  const parts = [
    `## Checkout: the sustained rate of each path`,
    `Open loop: orders arrive every 1/rate s whatever the answers do; latencies count from the due time. Accept = due → 201/202; completion = due → terminal status seen by the client (the 201 body, or the events stream). A trial offers one rate for ${String(st.trialMs / 1000)} s; it is **steady** when the path confirms ≥ 90 % of the offered rate over the arrival window (confirmations counted after its first fifth), ≤ 1 % is not accepted, the median completion latency of the last third of the orders is within 1.5× (+10 ms) of the first third's, and the backlog — orders' outbox *and* the saga's queues — does not grow (least-squares slope over the second half ≤ 2 % of the offered rate per second). The coarse search grows the rate ×${String(st.growth)} from ${String(st.startRate)}/s until a trial is not steady, then bisects ${String(st.coarseSteps)} times; then ${String(st.rounds)} rounds repeat it, each running both paths in ABBA or BAAB order, each search ${String(st.roundSteps)} bisection steps between ${String(st.bracket[0])}× the coarse sustained rate and ${String(st.bracket[1])}× the coarse failing one (a search none of whose trials was steady steps down by 0.85× until one is). CPU-ms/checkout = CPU of the five services, RabbitMQ and Redis over the trial (until settled) ÷ orders confirmed.`,
    table(
      ['path', 'sustained per search (orders/s)', 'median'],
      sat.sustained.map((s) => [s.mode, s.perSearch.join(', ') || '–', num(s.median, 0)]),
    ),
    `Queued ÷ blocking sustained rate, per round: **${interval(sat.queuedOverBlocking)}** (rounds: ${sat.queuedOverBlocking.rounds.map((r) => num(r)).join(', ')}).`,
  ];
  for (const search of sat.coarse) parts.push(trialTable(`${search.mode}, coarse search`, search));
  parts.push(
    `The repeated searches' trials are in results.json (\`checkout.saturation.rounds\`).`,
    chartFiles
      .filter((f) => f === 'throughput.svg' || f === 'load-paths.svg')
      .map((f) => image(f, f))
      .join('\n'),
  );
  return parts.join('\n\n');
}

function trialTable(title: string, search: Bisection): string {
  const rows = search.trials.map((t: Trial) => [
    String(t.offeredPerSecond),
    num(t.path.confirmedPerSecond, 1),
    `${ms(t.path.acceptLatency.p50)} / ${ms(t.path.acceptLatency.p99)}`,
    `${ms(t.completionP50.first)} → ${ms(t.completionP50.last)}`,
    `${num(t.backlog.slopePerSecond, 1)}/s (peak ${String(t.backlog.peak)})`,
    `${num(t.path.errorRate * 100, 1)} %`,
    `${num(t.settleMs / 1000, 1)} s`,
    num(t.cpu.countedMsPerCheckout),
    `${String(t.maxSendLagMs)} ms`,
    t.steady ? 'steady' : `**not steady**: ${t.why.join('; ')}`,
  ]);
  return [
    `### ${title} (sustained ${String(search.sustainedPerSecond)} orders/s)`,
    table(
      [
        'offered/s',
        'confirmed/s',
        'accept p50 / p99 ms',
        'completion p50 first → last third ms',
        'backlog growth',
        'not accepted',
        'settled after',
        'CPU-ms/checkout',
        'generator lag',
        '',
      ],
      rows,
    ),
  ].join('\n\n');
}

function fixedRateSection(results: BenchResults): string {
  const f = results.fixedRate;
  const fs = results.settings.fixedRate;
  const names = [...new Set(f.setups.flatMap((s) => Object.keys(s.perCheckout)))];
  const loops = [...new Set(f.setups.flatMap((s) => Object.keys(s.eventLoop)))];
  const label = (setup: string): string =>
    setup === 'all'
      ? 'every trace'
      : setup === 'sampled'
        ? `${num(f.sampleRatio * 100, 0)} % sampled`
        : 'off';
  const rows = TRACING_SETUPS.flatMap((setup) =>
    f.setups
      .filter((s) => s.setup === setup)
      .map((s) => [
        s.mode,
        label(setup),
        `**${num(s.countedMsPerCheckout)}**`,
        ...names.map((name) => num(s.perCheckout[name])),
        `${ms(s.acceptP50)} / ${ms(s.completionP50)}`,
        num(s.exportedBytesPerCheckout, 0),
      ]),
  );
  const eluRows = f.setups.map((s) => [
    s.mode,
    label(s.setup),
    ...loops.map((name) => `${num((s.eventLoop[name] ?? Number.NaN) * 100, 0)} %`),
  ]);
  return [
    `## CPU per checkout at a fixed rate, and what tracing costs`,
    `Both paths at ${String(f.ratePerSecond)} orders/s (${String(Math.round(fs.shareOfSustained * 100))} % of the lower sustained rate), open loop, ${String(fs.measureMs / 1000)} s per slot after a warm-up that runs until the accept p50s of the last ${String(fs.stableChunks)} chunks of ${String(fs.warmupChunkMs / 1000)} s agree (at most ${String(fs.maxWarmupMs / 1000)} s). Tracing off (no SDK loaded), every trace exported (OTLP/HTTP protobuf to a local sink), or ${label('sampled')} (parent-based trace-id ratio). ${String(fs.rounds)} rounds; each runs the three setups in a random order and then in reverse, each slot on freshly started services, the paths in opposite orders in a setup's two slots. CPU-ms per confirmed checkout from /proc (utime + stime) over the slot until every order was terminal; **counted** = the five services + RabbitMQ + Redis. The load generator and the trace sink are reported, not counted. Medians over the slots.`,
    table(
      [
        'path',
        'tracing',
        'counted CPU-ms',
        ...names.map((n) => n),
        'accept / completion p50 ms',
        'exported bytes/checkout',
      ],
      rows,
    ),
    `Event-loop utilisation per service (active ÷ (active + idle) over the slot, medians):`,
    table(['path', 'tracing', ...loops], eluRows),
    `Ratios per round with 95 % intervals — queued ÷ blocking, tracing off: **${interval(f.queuedOverBlocking)}**; every trace ÷ off: blocking ${interval(f.tracing.all.blocking)}, queued ${interval(f.tracing.all.queued)}; ${label('sampled')} ÷ off: blocking ${interval(f.tracing.sampled.blocking)}, queued ${interval(f.tracing.sampled.queued)}.`,
    image('cpu-per-checkout.svg', 'CPU per checkout by process'),
  ].join('\n\n');
}

function relaySection(results: BenchResults): string {
  const r = results.relays;
  return [
    `## Two relays, one outbox`,
    `A second orders replica beside the first; queued orders at ${String(r.ratePerSecond)}/s, all through the first replica's HTTP port, for ${String(r.windows.length)} windows of ${String(r.windowMs / 1000)} s. A queue of the bench's own, bound to every event, counts orders' events by the AMQP app-id of the process that published them, and any messageId seen twice. On this 2-core machine a second replica cannot add throughput; the claim is balance and each relay's rate.`,
    table(
      ['relay (service/host/pid)', 'published', 'per second', 'share'],
      r.relays.map((relay) => [
        relay.appId,
        String(relay.published),
        num(relay.perSecond, 1),
        `${num(relay.share * 100, 1)} %`,
      ]),
    ),
    `${String(r.published)} events published for ${String(r.confirmed)} confirmed orders; **${String(r.duplicates)} published twice**. The busier relay's share per window: ${interval(r.busierShare)}.`,
    image('relays.svg', 'events per relay per window'),
  ].join('\n\n');
}

function profileSection(results: BenchResults): string {
  const p = results.profiles;
  const parts = [
    `## Where the CPU goes: profiles`,
    `V8's sampling profiler (\`node --cpu-prof\`) in every service while one path ran alone at ${String(p.ratePerSecond)} orders/s for ${String(p.durationMs / 1000)} s, on freshly started services, once with tracing off and once with ${String(Math.round(p.sampleRatio * 100))} % of the traces sampled; the numbers count only the samples taken while the load ran (the profile also holds start-up and shutdown). The profiles are in [profiles/](profiles/) (gzipped .cpuprofile: open in Chrome DevTools or speedscope after gunzip). Tracing off, per service, the frames with the most self time, as a share of the profile's busy (non-idle) time.`,
  ];
  for (const profile of p.profiles.filter((s) => s.tracing === 'off')) {
    parts.push(
      `### ${profile.mode}: ${profile.service} (${String(profile.busyMs)} ms busy, [profile](${profile.file}))`,
      table(
        ['frame', 'self ms', 'share'],
        profile.top.map((f) => [
          f.frame.replace(/\|/g, '\\|'),
          num(f.selfMs, 1),
          `${num(f.share * 100, 1)} %`,
        ]),
      ),
    );
  }
  parts.push(telemetrySection(p));
  return parts.join('\n\n');
}

/** Per path and service: busy time off and sampled, and what of it was telemetry's own code. */
function telemetrySection(p: BenchResults['profiles']): string {
  const perCheckout = (ms: number, checkouts: number): string =>
    checkouts > 0 ? num(ms / checkouts, 3) : '–';
  const rows = p.profiles
    .filter((s) => s.tracing === 'sampled')
    .map((s) => {
      const off = p.profiles.find(
        (o) => o.tracing === 'off' && o.mode === s.mode && o.service === s.service,
      );
      return [
        s.mode,
        `${s.service} ([profile](${s.file}))`,
        off ? perCheckout(off.busyMs, off.checkouts) : '–',
        perCheckout(s.busyMs, s.checkouts),
        perCheckout(s.telemetry.ms, s.checkouts),
        `${num(s.telemetry.share * 100, 1)} %`,
        s.telemetry.by
          .slice(0, 4)
          .map((g) => `${g.name} ${perCheckout(g.ms, s.checkouts)}`)
          .join(', ') || '–',
      ];
    });
  return [
    `### Tracing at ${String(Math.round(p.sampleRatio * 100))} %: telemetry's own code`,
    `Busy ms per order placed, with tracing off and sampled, and of the sampled run the time whose innermost frame outside V8 and Node was telemetry's own code (the OpenTelemetry packages, their require hook, libs/platform's telemetry), put under the innermost instrumentation on its stack, else under the package it ran in. Busy time is wall time with the thread not idle (it includes waiting for the CPU on a busy machine), so off → sampled is a profile's view of the tracing cost, not the CPU the fixed-rate part measures.`,
    table(
      [
        'path',
        'service',
        'busy ms/order, off',
        'busy ms/order, sampled',
        'telemetry ms/order',
        'of busy',
        'where (ms/order)',
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
    `Each path alone at ${String(results.checkout.faultRatePerSecond)} orders/s (${String(Math.round(f.shareOfSustained * 100))} % of the lower sustained rate, within ${String(f.minRate)}–${String(f.maxRate)}) for ${String(f.durationMs / 1000)} s; the queued path's control and +latency runs ${String(f.rounds)} times each in ABBA or BAAB rounds, the rest once; the fault starts at ${String(f.faultFromMs / 1000)} s and ends at ${String(f.faultUntilMs / 1000)} s (latency: +${String(f.latencyMs)} ms on every payment operation through \`npm run fault\`, applied by the services within 1 s; outage: payment SIGKILLed, then started again and waited for until ready; none: the control run, same rate and length, no fault). "Last failure due at" = the due time of the last order not accepted or not confirmed. "Drained" (queued) = from the repair (fault cleared, payment restarting) to the first queue sample back at the pre-fault depth; "settled" = every accepted order terminal and the queues empty, counted from the last arrival.`,
    table(
      [
        'fault',
        'path',
        'accepted / sent',
        'accept p50 / p99 ms',
        'fault-window accept p99 ms',
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
    `Queued accept p99 in the fault window, +latency ÷ control, per round: **${interval(results.checkout.faultWindowP99)}**.`,
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
    ms(run.windowAcceptLatency.p99),
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
  const trials = [results.checkout.saturation.coarse, ...results.checkout.saturation.rounds]
    .flat()
    .flatMap((search) => search.trials);
  const runs = [...trials, ...results.checkout.faults];
  const accepted = runs.reduce((n, r) => n + r.ledger.accepted, 0);
  const notTerminal = runs.reduce((n, r) => n + r.ledger.notTerminal, 0);
  return [
    `## Lost orders`,
    `Every order the client saw accepted, looked up in orders' Redis keyspace after its run settled: ${String(accepted)} accepted, **${String(notTerminal)} not terminal**. All orders in Redis (including those whose client got an error, which orders' sweeper of interrupted checkouts closes), ${num(results.checkout.allTerminalAfterMs / 1000, 1)} s after the last run: ${counts(results.checkout.ordersInRedis)}.`,
    `Queues after the checkout runs (\`rabbitmqctl list_queues\`, ready / unacked): ${results.checkout.queuesAfter.map((q) => `${q.name} ${String(q.messages)}/${String(q.unacked)}`).join(', ')}.`,
  ].join('\n\n');
}

function targetsSection(results: BenchResults): string {
  const rows = results.targets.map((v) => [
    v.target,
    v.basis,
    `${interval(v.interval)} (${v.direction} ${v.limit.toFixed(2)})`,
    v.outcome === 'pass'
      ? 'pass'
      : `**${v.outcome}**${v.missedBy > 0 ? `, estimate ${num(v.missedBy * 100, 0)} % ${v.direction === 'at most' ? 'over' : 'under'}` : ''}`,
  ]);
  return [
    `## Targets`,
    `Each ratio comes from ≥ 5 randomised ABBA rounds of this run (fewer in a quick run) as the geometric mean of the rounds' ratios with a bootstrap 95 % interval: **pass** when the whole interval clears the limit, **fail** when it misses it, **inconclusive** when it straddles it (or there were fewer than 5 rounds). The tables below have the details.`,
    table(['target', 'measured', 'ratio [95 % interval]', 'verdict'], rows),
    image('targets.svg', 'targets with their intervals'),
  ].join('\n\n');
}
