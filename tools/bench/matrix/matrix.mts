// The transport matrix: GetItem over REST, gRPC and AMQP request-reply, through Junction and
// against the raw floor, at each payload size, serial and at concurrency 32; then the bytes on
// the wire of one call of each. Each client warms up until its rolling p50 is stable; then, in
// every round, the cells run in a random order and each cell's two implementations in ABBA or
// BAAB order, so the machine's drift over a round hits both alike (report/intervals.mts).
import { performance } from 'node:perf_hooks';
import { closedLoop } from './closed-loop.mts';
import {
  bootstrapInterval,
  type Interval,
  roundOrder,
  roundRatio,
  shuffled,
} from '../report/intervals.mts';
import { BENCH_SKU } from './item-lookup.mts';
import { type CdfPoint, type LatencySummary, ratio, Samples, settled } from '../report/stats.mts';
import {
  type GetItemEndpoints,
  IMPLEMENTATIONS,
  type Implementation,
  openClient,
  type Transport,
  type GetItemClient,
  TRANSPORTS,
} from './transports.mts';
import { CountingProxy, countWireBytes, type WireBytes } from './wire-bytes.mts';

export interface MatrixSettings {
  readonly sizes: readonly number[];
  readonly concurrencies: readonly number[];
  /** Rounds: in each, every cell once, in a random order, floor and Junction in ABBA or BAAB. */
  readonly rounds: number;
  /** The longest warm-up of a client before its rolling p50 must have settled. */
  readonly warmupMs: number;
  /** Measured time of one slot (one implementation, once) of a round. */
  readonly durationMs: number;
  /** Sequential calls counted for the bytes on the wire. */
  readonly wireCalls: number;
}

export interface CellKey {
  readonly transport: Transport;
  readonly paddingBytes: number;
  readonly concurrency: number;
}

export interface MatrixCell extends CellKey {
  readonly implementation: Implementation;
  /** Every measured slot of every round, pooled. */
  readonly latency: LatencySummary;
  /** Calls per second. */
  readonly throughput: number;
  readonly errors: number;
  readonly firstError?: string;
  readonly cdf: CdfPoint[];
  /** How long the client ran before its rolling p50 settled (nothing of it is counted). */
  readonly warmupMs: number;
  /** Whether it settled, or ran out of warm-up time. */
  readonly warmedUp: boolean;
}

/** Junction ÷ floor for one cell: above 1 is slower (latency) — below 1 is fewer calls/s. */
export interface CellRatio extends CellKey {
  readonly p50: number;
  readonly p99: number;
  readonly throughput: number;
  /** Junction's p50 ÷ the floor's, per round (ABBA), with its bootstrap 95 % interval. */
  readonly p50Interval: Interval;
}

export interface WireCell extends WireBytes {
  readonly transport: Transport;
  readonly implementation: Implementation;
  readonly paddingBytes: number;
}

export interface MatrixResult {
  readonly cells: MatrixCell[];
  readonly ratios: CellRatio[];
  readonly wire: WireCell[];
  /** The cells' order in each round (transport/size/concurrency), as they ran. */
  readonly order: string[][];
}

export type Endpoints = Readonly<Record<Implementation, GetItemEndpoints>>;

/** One implementation in one cell: its client (kept open for the whole matrix) and samples. */
interface Arm {
  readonly implementation: Implementation;
  readonly client: GetItemClient;
  readonly samples: Samples;
  errors: number;
  firstError: string | undefined;
  warmupMs: number;
  warmedUp: boolean;
  /** The p50 of each slot, per round. */
  readonly slotP50s: number[][];
}

interface Cell {
  readonly key: CellKey;
  readonly arms: Readonly<Record<Implementation, Arm>>;
}

const WARMUP_CHUNK_MS = 200;
/** Consecutive warm-up chunks whose p50s must agree within STABLE_SPREAD to count as warm. */
const STABLE_CHUNKS = 3;
const STABLE_SPREAD = 1.1;

export function cellName(key: CellKey): string {
  return `${key.transport}/${String(key.paddingBytes)}/c${String(key.concurrency)}`;
}

export async function runMatrix(
  endpoints: Endpoints,
  settings: MatrixSettings,
  random: () => number,
  log: (line: string) => void,
): Promise<MatrixResult> {
  const keys = TRANSPORTS.flatMap((transport) =>
    settings.sizes.flatMap((paddingBytes) =>
      settings.concurrencies.map((concurrency) => ({ transport, paddingBytes, concurrency })),
    ),
  );
  const cells: Cell[] = [];
  try {
    for (const key of keys) cells.push(await openCell(endpoints, key, settings.rounds));
    const order: string[][] = [];
    for (let round = 0; round < settings.rounds; round += 1) {
      const visits = shuffled(cells, random);
      order.push(visits.map((cell) => cellName(cell.key)));
      for (const cell of visits) await measureRound(cell, round, settings, random);
      log(`matrix round ${String(round + 1)}/${String(settings.rounds)} done`);
    }
    const results = cells.map((cell) => summarizeCell(cell, settings));
    for (const { ratio: r } of results) {
      log(
        `${r.transport.padEnd(4)} ${String(r.paddingBytes).padStart(6)} B  c${String(r.concurrency).padEnd(2)}  ` +
          `junction ÷ floor p50 ×${String(r.p50Interval.estimate)} [${String(r.p50Interval.low)}, ${String(r.p50Interval.high)}]`,
      );
    }
    return {
      cells: results.flatMap((r) => r.cells),
      ratios: results.map((r) => r.ratio),
      wire: await measureWire(endpoints, settings),
      order,
    };
  } finally {
    await Promise.all(
      cells.flatMap((cell) => Object.values(cell.arms).map((arm) => arm.client.close())),
    );
  }
}

async function openCell(endpoints: Endpoints, key: CellKey, rounds: number): Promise<Cell> {
  const options = { sku: BENCH_SKU, paddingBytes: key.paddingBytes, concurrency: key.concurrency };
  const arm = async (implementation: Implementation): Promise<Arm> => ({
    implementation,
    client: await openClient(key.transport, endpoints[implementation], options),
    samples: new Samples(),
    errors: 0,
    firstError: undefined,
    warmupMs: 0,
    warmedUp: false,
    slotP50s: Array.from({ length: rounds }, () => []),
  });
  return { key, arms: { floor: await arm('floor'), junction: await arm('junction') } };
}

/** One round of a cell: the two implementations in ABBA or BAAB order, each warmed up first. */
async function measureRound(
  cell: Cell,
  round: number,
  settings: MatrixSettings,
  random: () => number,
): Promise<void> {
  for (const implementation of roundOrder(IMPLEMENTATIONS, random)) {
    const arm = cell.arms[implementation];
    if (arm.warmupMs === 0) await warmUp(arm, cell.key.concurrency, settings.warmupMs);
    const slot = new Samples();
    const result = await closedLoop(() => arm.client.call(), {
      concurrency: cell.key.concurrency,
      warmupMs: 0,
      durationMs: settings.durationMs,
      samples: slot,
    });
    arm.samples.addAll(slot);
    arm.slotP50s[round]?.push(slot.quantile(0.5));
    arm.errors += result.errors;
    arm.firstError ??= result.firstError;
  }
}

/** Runs the client in short chunks until the p50s of the last few agree (or time runs out). */
async function warmUp(arm: Arm, concurrency: number, maxMs: number): Promise<void> {
  const started = performance.now();
  const p50s: number[] = [];
  for (;;) {
    const chunk = await closedLoop(() => arm.client.call(), {
      concurrency,
      warmupMs: 0,
      durationMs: WARMUP_CHUNK_MS,
    });
    p50s.push(chunk.samples.quantile(0.5));
    const stable = settled(p50s, STABLE_CHUNKS, STABLE_SPREAD);
    arm.warmupMs = Math.round(performance.now() - started);
    if (stable || arm.warmupMs >= maxMs) {
      arm.warmedUp = stable;
      return;
    }
  }
}

function summarizeCell(
  cell: Cell,
  settings: MatrixSettings,
): { cells: MatrixCell[]; ratio: CellRatio } {
  const seconds = (2 * settings.rounds * settings.durationMs) / 1000;
  const floor = cellOf(cell.key, cell.arms.floor, seconds);
  const junction = cellOf(cell.key, cell.arms.junction, seconds);
  const perRound = cell.arms.junction.slotP50s.map((p50s, round) =>
    roundRatio(p50s, cell.arms.floor.slotP50s[round] ?? []),
  );
  return {
    cells: [floor, junction],
    ratio: {
      ...cell.key,
      p50: ratio(junction.latency.p50, floor.latency.p50),
      p99: ratio(junction.latency.p99, floor.latency.p99),
      throughput: ratio(junction.throughput, floor.throughput),
      p50Interval: bootstrapInterval(perRound),
    },
  };
}

function cellOf(key: CellKey, arm: Arm, seconds: number): MatrixCell {
  return {
    ...key,
    implementation: arm.implementation,
    latency: arm.samples.summary(),
    throughput: Math.round((arm.samples.count / seconds) * 10) / 10,
    errors: arm.errors,
    ...(arm.firstError !== undefined ? { firstError: arm.firstError } : {}),
    cdf: arm.samples.cdf(),
    warmupMs: arm.warmupMs,
    warmedUp: arm.warmedUp,
  };
}

async function measureWire(endpoints: Endpoints, settings: MatrixSettings): Promise<WireCell[]> {
  const wire: WireCell[] = [];
  for (const transport of TRANSPORTS) {
    for (const implementation of IMPLEMENTATIONS) {
      for (const paddingBytes of settings.sizes) {
        const target = targetOf(endpoints[implementation], transport);
        const proxy = await CountingProxy.start(target.hostname, Number(target.port));
        const client = await openClient(
          transport,
          through(endpoints[implementation], transport, proxy.port),
          { sku: BENCH_SKU, paddingBytes, concurrency: 1 },
        );
        try {
          const bytes = await countWireBytes(proxy, () => client.call(), 5, settings.wireCalls);
          wire.push({ transport, implementation, paddingBytes, ...bytes });
        } finally {
          await client.close();
          await proxy.close();
        }
      }
    }
  }
  return wire;
}

/** The host and port a transport's client connects to (the broker, for AMQP). */
function targetOf(endpoints: GetItemEndpoints, transport: Transport): URL {
  switch (transport) {
    case 'rest':
      return new URL(endpoints.restUrl);
    case 'grpc':
      return new URL(`http://${endpoints.grpcTarget}`);
    case 'amqp':
      return new URL(endpoints.amqp.url);
  }
}

/** The same endpoints with one transport's connection going to `port` on loopback instead. */
function through(
  endpoints: GetItemEndpoints,
  transport: Transport,
  port: number,
): GetItemEndpoints {
  const moved = (url: string): string => {
    const copy = new URL(url);
    copy.hostname = '127.0.0.1';
    copy.port = String(port);
    return copy.toString();
  };
  switch (transport) {
    case 'rest':
      return { ...endpoints, restUrl: moved(endpoints.restUrl) };
    case 'grpc':
      return { ...endpoints, grpcTarget: `127.0.0.1:${String(port)}` };
    case 'amqp':
      return { ...endpoints, amqp: { ...endpoints.amqp, url: moved(endpoints.amqp.url) } };
  }
}
