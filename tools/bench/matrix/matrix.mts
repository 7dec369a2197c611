// The transport matrix: GetItem over REST, gRPC and AMQP request-reply, through Junction and
// against the raw floor, at each payload size, serial and at concurrency 32; then the bytes on
// the wire of one call of each.
import { closedLoop } from './closed-loop.mts';
import { BENCH_SKU } from './item-lookup.mts';
import { type CdfPoint, type LatencySummary, ratio, Samples } from '../report/stats.mts';
import {
  type GetItemEndpoints,
  IMPLEMENTATIONS,
  type Implementation,
  openClient,
  type Transport,
  TRANSPORTS,
} from './transports.mts';
import { CountingProxy, countWireBytes, type WireBytes } from './wire-bytes.mts';

export interface MatrixSettings {
  readonly sizes: readonly number[];
  readonly concurrencies: readonly number[];
  /** Each cell alternates floor and Junction this many times, pooling the samples. */
  readonly rounds: number;
  readonly warmupMs: number;
  /** Measured time of one implementation in one round. */
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
  readonly latency: LatencySummary;
  /** Calls per second. */
  readonly throughput: number;
  readonly errors: number;
  readonly firstError?: string;
  readonly cdf: CdfPoint[];
}

/** Junction ÷ floor for one cell: above 1 is slower (latency) — below 1 is fewer calls/s. */
export interface CellRatio extends CellKey {
  readonly p50: number;
  readonly p99: number;
  readonly throughput: number;
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
}

export type Endpoints = Readonly<Record<Implementation, GetItemEndpoints>>;

export async function runMatrix(
  endpoints: Endpoints,
  settings: MatrixSettings,
  log: (line: string) => void,
): Promise<MatrixResult> {
  const cells: MatrixCell[] = [];
  const ratios: CellRatio[] = [];
  for (const transport of TRANSPORTS) {
    for (const paddingBytes of settings.sizes) {
      for (const concurrency of settings.concurrencies) {
        const key = { transport, paddingBytes, concurrency };
        const [floor, junction] = await measurePair(endpoints, key, settings);
        cells.push(floor, junction);
        const cellRatio = {
          ...key,
          p50: ratio(junction.latency.p50, floor.latency.p50),
          p99: ratio(junction.latency.p99, floor.latency.p99),
          throughput: ratio(junction.throughput, floor.throughput),
        };
        ratios.push(cellRatio);
        log(
          `${transport.padEnd(4)} ${String(paddingBytes).padStart(6)} B  c${String(concurrency).padEnd(2)}  ` +
            `junction p50 ${junction.latency.p50} ms, floor ${floor.latency.p50} ms (×${cellRatio.p50})`,
        );
      }
    }
  }
  return { cells, ratios, wire: await measureWire(endpoints, settings) };
}

/**
 * One cell for both implementations: floor and Junction take turns (`rounds` times each), so a
 * change in what else the machine is doing hits both alike; their samples are pooled.
 */
async function measurePair(
  endpoints: Endpoints,
  key: CellKey,
  settings: MatrixSettings,
): Promise<[MatrixCell, MatrixCell]> {
  const options = { sku: BENCH_SKU, paddingBytes: key.paddingBytes, concurrency: key.concurrency };
  const runs = await Promise.all(
    IMPLEMENTATIONS.map(async (implementation) => ({
      implementation,
      client: await openClient(key.transport, endpoints[implementation], options),
      samples: new Samples(),
      errors: 0,
      firstError: undefined as string | undefined,
    })),
  );
  try {
    for (let round = 0; round < settings.rounds; round++) {
      for (const run of runs) {
        const result = await closedLoop(() => run.client.call(), {
          concurrency: key.concurrency,
          warmupMs: round === 0 ? settings.warmupMs : 0,
          durationMs: settings.durationMs,
          samples: run.samples,
        });
        run.errors += result.errors;
        run.firstError ??= result.firstError;
      }
    }
  } finally {
    await Promise.all(runs.map((run) => run.client.close()));
  }
  const seconds = (settings.rounds * settings.durationMs) / 1000;
  const cells = runs.map((run) => cellOf(key, run, seconds));
  const floor = cells.find((cell) => cell.implementation === 'floor');
  const junction = cells.find((cell) => cell.implementation === 'junction');
  if (!floor || !junction) throw new Error('two implementations expected');
  return [floor, junction];
}

interface PairRun {
  readonly implementation: Implementation;
  readonly samples: Samples;
  readonly errors: number;
  readonly firstError: string | undefined;
}

function cellOf(key: CellKey, run: PairRun, seconds: number): MatrixCell {
  return {
    ...key,
    implementation: run.implementation,
    latency: run.samples.summary(),
    throughput: Math.round((run.samples.count / seconds) * 10) / 10,
    errors: run.errors,
    ...(run.firstError !== undefined ? { firstError: run.firstError } : {}),
    cdf: run.samples.cdf(),
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
