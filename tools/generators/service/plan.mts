// What `nx g @junction/tools:service` is asked for, checked against the workspace before any
// file is written: a valid, free name, known consumed events, new published events, free ports.
import { type Tree } from '@nx/devkit';
import { type EventNames, eventNames, type ServiceNames, serviceNames } from './names.mts';
import { propertyKeys, stringValues } from './ts-source.mts';
import type { Topology } from '@junction/topology';

/** The options of schema.json as Nx passes them. */
export interface ServiceOptions {
  readonly name: string;
  readonly rest?: boolean;
  readonly grpc?: boolean;
  /** Routing keys, comma- or space-separated (or repeated). */
  readonly consumes?: string | readonly string[];
  readonly publishes?: string | readonly string[];
  readonly skipFormat?: boolean;
}

export interface ServicePlan extends ServiceNames {
  readonly rest: boolean;
  readonly grpc: boolean;
  readonly consumes: readonly EventNames[];
  readonly publishes: readonly EventNames[];
  /** True when the service talks to RabbitMQ at all. */
  readonly messaging: boolean;
  readonly ports: { readonly http: number; readonly grpc?: number };
}

export const EVENTS_FILE = 'libs/contracts/src/events.ts';
export const EXAMPLES_FILE = 'libs/contracts/src/event-examples.ts';
export const EVENT_CONTRACTS_FILE = 'libs/contracts/src/event-contracts.ts';

/** Junction's own services: the generator never creates or removes these. */
export const REFERENCE_SERVICES = ['auth', 'user', 'orders', 'payment', 'inventory'];

/**
 * Names that are taken by something else in the same namespaces (npm workspaces, Kubernetes
 * objects of the charts, proto/ folders).
 */
const RESERVED = new Set([
  'platform',
  'messaging',
  'contracts',
  'tools',
  'e2e',
  'k8s',
  'k8s-checks',
  'junction',
  'junction-public',
  'gateway',
  'infra',
  'common',
  'redis',
  'rabbitmq',
  'jaeger',
  'otel-collector',
  'istio',
  'google',
]);

/** Words that cannot name a variable or parameter (the service's camelCase name is one). */
const KEYWORDS = new Set(
  (
    'await break case catch class const continue debugger default delete do else enum export ' +
    'extends false finally for function if implements import in instanceof interface let new ' +
    'null package private protected public return static super switch this throw true try ' +
    'typeof var void while with yield constructor prototype'
  ).split(' '),
);

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const WORD = '[a-z][a-z0-9]*(-[a-z0-9]+)*';
const ROUTING_KEY = new RegExp(`^${WORD}(\\.${WORD})+$`);

/** A problem with the options; Nx prints the message and writes nothing. */
export class GeneratorInputError extends Error {
  override readonly name = 'GeneratorInputError';
}

/** Rejects a name that is not a valid service name, with the rule in the message. */
export function checkServiceName(name: string): void {
  if (!NAME.test(name) || name.length < 2 || name.length > 30) {
    throw new GeneratorInputError(
      `"${name}" is not a valid service name: use 2 to 30 lower-case letters and digits, ` +
        'starting with a letter, words separated by "-" (e.g. shipping, gift-cards)',
    );
  }
  if (RESERVED.has(name) || KEYWORDS.has(name)) {
    throw new GeneratorInputError(`"${name}" is reserved in this workspace; choose another name`);
  }
}

export function routingKeys(value: string | readonly string[] | undefined): string[] {
  const items = typeof value === 'string' ? [value] : (value ?? []);
  const keys = items.flatMap((item) => item.split(/[\s,]+/)).filter(Boolean);
  return [...new Set(keys)];
}

function checkFree(tree: Tree, topology: Topology, names: ServiceNames): void {
  if (REFERENCE_SERVICES.includes(names.name)) {
    throw new GeneratorInputError(
      `"${names.name}" is one of Junction's reference services (services/${names.name}); choose another name`,
    );
  }
  if (topology.web[names.name] || tree.exists(`web/${names.name}`)) {
    throw new GeneratorInputError(
      `"${names.name}" is a web app (web/${names.name}, topology.yaml web.${names.name}); choose another name`,
    );
  }
  const taken = [
    `services/${names.name}`,
    `proto/junction/${names.protoName}`,
    `libs/contracts/src/${names.name}.ts`,
  ].filter((path) => tree.exists(path));
  if (topology.services[names.name]) taken.push(`topology.yaml (services.${names.name})`);
  if (taken.length > 0) {
    throw new GeneratorInputError(
      `service "${names.name}" already exists (${taken.join(', ')}); choose another name, or ` +
        `remove it first: npx nx g @junction/tools:remove-service ${names.name}`,
    );
  }
}

function consumedEvents(tree: Tree, keys: readonly string[]): EventNames[] {
  const known = Object.values(stringValues(tree, EVENTS_FILE, 'ROUTING_KEYS'));
  const examples = propertyKeys(tree, EXAMPLES_FILE, 'EVENT_EXAMPLES');
  return keys.map((key) => {
    const event = eventNames(key);
    if (!known.includes(key)) {
      throw new GeneratorInputError(
        `--consumes ${key}: no such event; the known routing keys are ${known.join(', ')}`,
      );
    }
    if (!examples.includes(`[ROUTING_KEYS.${event.property}]`)) {
      throw new GeneratorInputError(
        `--consumes ${key}: ${EXAMPLES_FILE} has no example of it (the generated tests start from one); add it first`,
      );
    }
    return event;
  });
}

function publishedEvents(tree: Tree, keys: readonly string[], consumed: readonly string[]) {
  const known = stringValues(tree, EVENTS_FILE, 'ROUTING_KEYS');
  return keys.map((key) => {
    const event = eventNames(key);
    if (!ROUTING_KEY.test(key)) {
      throw new GeneratorInputError(
        `--publishes ${key}: a routing key is lower-case words separated by dots, e.g. shipment.created`,
      );
    }
    if (Object.values(known).includes(key) || known[event.property] !== undefined) {
      throw new GeneratorInputError(`--publishes ${key}: that event exists already`);
    }
    if (consumed.includes(key)) {
      throw new GeneratorInputError(`--publishes ${key}: a service does not consume its own event`);
    }
    return event;
  });
}

/**
 * The ports after the highest of topology.yaml (one HTTP, one gRPC if asked): the services' and
 * the web apps' HTTP ports share one range (the storefront's 3006 follows the services').
 */
function nextPorts(topology: Topology, grpc: boolean): ServicePlan['ports'] {
  const used = Object.values(topology.services);
  const webPorts = Object.values(topology.web).map((app) => app.http);
  const http = Math.max(3000, ...used.map((s) => s.http), ...webPorts) + 1;
  if (!grpc) return { http };
  return { http, grpc: Math.max(50050, ...used.map((s) => s.grpc?.port ?? 0)) + 1 };
}

/** The plan of the service `options` ask for, in the tree's workspace and its `topology`. */
export function planService(tree: Tree, topology: Topology, options: ServiceOptions): ServicePlan {
  checkServiceName(options.name);
  const names = serviceNames(options.name);
  checkFree(tree, topology, names);
  const consumed = routingKeys(options.consumes);
  const published = routingKeys(options.publishes);
  if (published.length > 0 && consumed.length === 0) {
    throw new GeneratorInputError(
      '--publishes needs --consumes: a generated service publishes its events from the consumers ' +
        'of the events it consumes (docs/extending.md, "Add an event", shows other ways)',
    );
  }
  const consumes = consumedEvents(tree, consumed);
  const publishes = publishedEvents(tree, published, consumed);
  const grpc = options.grpc ?? false;
  return {
    ...names,
    rest: options.rest ?? false,
    grpc,
    consumes,
    publishes,
    messaging: consumes.length > 0,
    ports: nextPorts(topology, grpc),
  };
}
