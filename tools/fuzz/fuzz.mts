// The input fuzzer: generated malformed bodies, headers and params for every public route, and
// generated (typed and raw-byte) requests for every gRPC method. Any 5xx, INTERNAL/UNKNOWN or a
// dead service is a finding.
//   npm run fuzz -- [--requests 20000] [--seed N]         (starts its own local topology)
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  credentials,
  type GrpcObject,
  loadPackageDefinition,
  makeGenericClientConstructor,
  Metadata,
  type ServiceDefinition,
  status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { HttpJson, rabbitmqUrl, Shopper } from '@junction/testkit';
import {
  authorization,
  body,
  bytes,
  jsonValue,
  nastyNumber,
  NASTY_STRINGS,
  pick,
  random,
  type Rng,
  segment,
} from './generators.mts';

export interface FuzzTarget {
  httpUrl(service: string): string;
  grpcTarget(service: string): string;
  /** A valid access token, so authenticated code paths are reached too. */
  readonly token: string;
}

export interface Finding {
  readonly request: string;
  readonly outcome: string;
}

export interface FuzzReport {
  readonly seed: number;
  readonly http: number;
  readonly grpc: number;
  readonly byStatus: Record<string, number>;
  readonly findings: Finding[];
}

const ROOT = join(import.meta.dirname, '..', '..');

const ROUTES: readonly {
  service: string;
  method: string;
  path: (rng: Rng) => string;
  body: boolean;
}[] = [
  { service: 'auth', method: 'POST', path: () => '/auth/register', body: true },
  { service: 'auth', method: 'POST', path: () => '/auth/login', body: true },
  { service: 'auth', method: 'POST', path: () => '/auth/refresh', body: true },
  { service: 'auth', method: 'POST', path: () => '/auth/logout', body: true },
  { service: 'auth', method: 'GET', path: () => '/.well-known/jwks.json', body: false },
  { service: 'user', method: 'GET', path: () => '/users/me', body: false },
  { service: 'inventory', method: 'GET', path: () => '/inventory/items', body: false },
  {
    service: 'inventory',
    method: 'GET',
    path: (rng) => `/inventory/items/${segment(rng)}`,
    body: false,
  },
  { service: 'payment', method: 'GET', path: (rng) => `/payments/${segment(rng)}`, body: false },
  { service: 'orders', method: 'POST', path: () => '/orders', body: true },
  { service: 'orders', method: 'GET', path: () => '/orders', body: false },
  { service: 'orders', method: 'GET', path: (rng) => `/orders/${segment(rng)}`, body: false },
  {
    service: 'orders',
    method: 'GET',
    path: (rng) => `/orders/${segment(rng)}/events`,
    body: false,
  },
];

const GRPC: readonly {
  service: 'user' | 'inventory' | 'payment';
  name: string;
  methods: readonly string[];
}[] = [
  { service: 'user', name: 'UserService', methods: ['createUser', 'getUser', 'verifyCredentials'] },
  { service: 'inventory', name: 'InventoryService', methods: ['getItem', 'reserve', 'release'] },
  { service: 'payment', name: 'PaymentService', methods: ['charge', 'refund'] },
];

async function fuzzHttp(rng: Rng, target: FuzzTarget): Promise<{ label: string; outcome: number }> {
  const route = pick(rng, ROUTES);
  const path = route.path(rng);
  const headers: Record<string, string> = {};
  const auth = authorization(rng, target.token);
  if (auth !== undefined) headers.authorization = auth;
  if (rng() < 0.2) {
    // Raw UTF-8 bytes as a latin1 string: what a hostile client can put on the wire.
    const value = Buffer.from(pick(rng, NASTY_STRINGS).slice(0, 3000)).toString('latin1');
    // eslint-disable-next-line no-control-regex -- header values cannot carry CR, LF or NUL
    headers['idempotency-key'] = value.replace(/[\r\n\u0000]/g, '') || 'k';
  }
  let payload: string | undefined;
  if (route.body || rng() < 0.1) {
    const generated = body(rng);
    headers['content-type'] = generated.contentType;
    payload = generated.payload;
  }
  const method = rng() < 0.05 ? pick(rng, ['PUT', 'DELETE', 'PATCH']) : route.method;
  const label = `${method} ${route.service}${path.slice(0, 120)}`;
  try {
    const response = await fetch(target.httpUrl(route.service) + path, {
      method,
      headers,
      body: method === 'GET' ? undefined : payload,
      signal: AbortSignal.timeout(10_000),
    });
    // SSE streams of real orders stay open; a status is all we need.
    await response.body?.cancel();
    return { label, outcome: response.status };
  } catch (error) {
    const cause =
      error instanceof Error
        ? `${error.name}: ${error.message} ${(error.cause as Error | undefined)?.message ?? ''}`
        : String(error);
    return { label: `${label} [${cause}]`, outcome: -1 };
  }
}

type Callback = (error: { code: number; details?: string } | null) => void;
type Unary = (request: unknown, metadata: Metadata, options: object, callback: Callback) => void;
type Client = Record<string, Unary> & { close(): void };

interface GrpcApiClients {
  /** Encodes generated JS values with the real message types. */
  readonly typed: Client;
  /** The same methods with identity serializers: raw bytes on the wire. */
  readonly raw: Client;
}

function grpcClients(target: FuzzTarget): Map<string, GrpcApiClients> {
  const clients = new Map<string, GrpcApiClients>();
  for (const api of GRPC) {
    const definition = loadSync(`junction/${api.service}/v1/${api.service}.proto`, {
      includeDirs: [join(ROOT, 'proto')],
      keepCase: false,
      enums: String,
      defaults: true,
    });
    const pkg = loadPackageDefinition(definition) as unknown as Record<string, GrpcObject>;
    const v1 = (pkg.junction?.[api.service] as GrpcObject).v1 as GrpcObject;
    const Typed = v1[api.name] as unknown as (new (target: string, creds: unknown) => Client) & {
      service: ServiceDefinition;
    };
    const rawDefinition = Object.fromEntries(
      Object.entries(Typed.service).map(([name, method]) => [
        name,
        {
          ...method,
          requestSerialize: (value: Buffer) => value,
          responseDeserialize: (value: Buffer) => value,
        },
      ]),
    ) as ServiceDefinition;
    const Raw = makeGenericClientConstructor(rawDefinition, api.name) as unknown as new (
      target: string,
      creds: unknown,
    ) => Client;
    const insecure = credentials.createInsecure();
    clients.set(api.service, {
      typed: new Typed(target.grpcTarget(api.service), insecure),
      raw: new Raw(target.grpcTarget(api.service), insecure),
    });
  }
  return clients;
}

/** A request of roughly the right shape, with hostile values. */
function grpcRequest(rng: Rng): unknown {
  const value = jsonValue(rng);
  const base = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
  const strings = () => pick(rng, NASTY_STRINGS).slice(0, 1000);
  return {
    ...base,
    ...(rng() < 0.6
      ? { orderId: strings(), sku: strings(), email: strings(), password: strings() }
      : {}),
    ...(rng() < 0.5
      ? {
          amountCents: Math.trunc(nastyNumber(rng)) % 2 ** 31,
          lines: [{ sku: strings(), quantity: Math.trunc(nastyNumber(rng)) % 2 ** 31 }],
        }
      : {}),
  };
}

const BAD_GRPC = new Set<number>([
  status.INTERNAL,
  status.UNKNOWN,
  status.DATA_LOSS,
  status.UNIMPLEMENTED,
]);

async function fuzzGrpc(
  rng: Rng,
  clients: Map<string, GrpcApiClients>,
): Promise<{ label: string; outcome: string }> {
  const api = pick(rng, GRPC);
  const method = pick(rng, api.methods);
  const client = clients.get(api.service);
  if (!client) throw new Error(`no client for ${api.service}`);
  const rawBytes = rng() < 0.3;
  const fn = rawBytes ? client.raw[method] : client.typed[method];
  if (!fn) throw new Error(`${api.service} has no ${method}`);
  const request = rawBytes ? bytes(rng) : grpcRequest(rng);
  const label = `${api.service}.${method}(${rawBytes ? 'raw bytes' : 'typed'})`;
  const outcome = await new Promise<string>((resolve) => {
    try {
      fn.call(
        rawBytes ? client.raw : client.typed,
        request,
        new Metadata(),
        { deadline: Date.now() + 10_000 },
        (error) => {
          if (error && /serialization failure/i.test(error.details ?? '')) {
            // grpc-js could not encode the value on this side (wrong JS type for a field): not sent.
            resolve('NOT_SENT');
          } else resolve(error ? (status[error.code] ?? String(error.code)) : 'OK');
        },
      );
    } catch {
      // The client could not even encode the value (wrong JS type for the field): not sent.
      resolve('NOT_SENT');
    }
  });
  return { label, outcome };
}

/** Runs `requests` fuzz requests (about 3/4 HTTP, 1/4 gRPC), `concurrency` at a time. */
export async function fuzz(
  target: FuzzTarget,
  options: { requests: number; seed: number; concurrency?: number },
): Promise<FuzzReport> {
  const clients = grpcClients(target);
  const byStatus: Record<string, number> = {};
  const findings: Finding[] = [];
  let http = 0;
  let grpc = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.requests) {
      const index = next;
      next += 1;
      // One generator per request, so any single finding replays from (seed, index).
      const rng = random(options.seed * 1_000_003 + index);
      if (rng() < 0.75) {
        const { label, outcome } = await fuzzHttp(rng, target);
        http += 1;
        const key = `http ${String(outcome)}`;
        byStatus[key] = (byStatus[key] ?? 0) + 1;
        if (outcome >= 500 || outcome < 0)
          findings.push({
            request: `#${String(index)} ${label}`,
            outcome: outcome < 0 ? 'no response' : String(outcome),
          });
      } else {
        const { label, outcome } = await fuzzGrpc(rng, clients);
        if (outcome === 'NOT_SENT') continue;
        grpc += 1;
        const key = `grpc ${outcome}`;
        byStatus[key] = (byStatus[key] ?? 0) + 1;
        if (BAD_GRPC.has(status[outcome as keyof typeof status])) {
          findings.push({ request: `#${String(index)} ${label}`, outcome });
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  } finally {
    for (const client of clients.values()) {
      client.typed.close();
      client.raw.close();
    }
  }
  return { seed: options.seed, http, grpc, byStatus, findings };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '20000' },
      seed: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(`usage: npm run fuzz -- [--requests N] [--seed N]

Starts the local topology (ports offset by 300, Redis db 10, the machine's RabbitMQ), registers a
user, then sends N generated malformed requests (bodies, headers, params) to every public REST
route and every gRPC method (typed values and raw bytes). Fails (exit 1) on any HTTP 5xx, gRPC
INTERNAL/UNKNOWN/DATA_LOSS/UNIMPLEMENTED, dropped connection or service crash, printing the
seed to replay it.`);
    process.exit(0);
  }
  const { startTopology, stopAll, portsOf } = await import('../local/topology.mts');
  const seed = Number(values.seed ?? Date.now() % 1_000_000);
  const offset = 300;
  const running = await startTopology({
    redisUrl: 'redis://127.0.0.1:6379/10',
    rabbitmqUrl: rabbitmqUrl('%2F'),
    portOffset: offset,
    env: { auth: { LOGIN_LIMIT_PER_IP: '1000000', REGISTER_LIMIT_PER_IP: '1000000' } },
    onLine: () => undefined,
  });
  try {
    const httpUrl = (service: string) =>
      `http://127.0.0.1:${String(portsOf(service, offset).http)}`;
    const token = await login(httpUrl('auth'));
    const report = await fuzz(
      {
        httpUrl,
        grpcTarget: (service) => `127.0.0.1:${String(portsOf(service, offset).grpc)}`,
        token,
      },
      { requests: Number(values.requests), seed },
    );
    const dead = running
      .filter((service) => service.process.exitCode !== null)
      .map((service) => service.name);
    console.log(
      JSON.stringify({ ...report, findings: report.findings.slice(0, 20), dead }, null, 2),
    );
    process.exitCode = report.findings.length === 0 && dead.length === 0 ? 0 : 1;
  } finally {
    await stopAll(running);
  }
}

/** Registers and logs in a throwaway user; returns its access token. */
export async function login(authUrl: string): Promise<string> {
  const http = new HttpJson();
  try {
    const shopper = await Shopper.register(http, authUrl, {
      label: 'fuzz',
      displayName: 'Fuzz',
      password: 'fuzzing is fun',
    });
    return shopper.accessToken;
  } finally {
    http.close();
  }
}
