// libs/contracts and proto/: the service's .proto files (its gRPC API, its events), the code
// generated from them, its namespace (`shippingV1`), and per published event a routing key, a
// zod schema, a type, an example and its entry in EVENTS (what consumers subscribe to). (Its entry in GRPC_SERVICES is generated from topology.yaml.)
import { join } from 'node:path';
import { generateFiles, type Tree } from '@nx/devkit';
import { camelCase, type EventNames } from '../names.mts';
import { EVENT_CONTRACTS_FILE, EVENTS_FILE, EXAMPLES_FILE, type ServicePlan } from '../plan.mts';
import {
  addNamedImport,
  addNamespaceExport,
  addProperty,
  appendStatements,
  declares,
  propertyKeys,
  removeNamedImport,
  removeNamespaceExport,
  removeProperty,
  removeStatements,
} from '../ts-source.mts';
import { regenerateContracts } from './codegen.mts';

const CONTRACTS = 'libs/contracts/src';
const INDEX_FILE = `${CONTRACTS}/index.ts`;

const protoDir = (protoName: string): string => `proto/junction/${protoName}/v1`;

function schemaStatements(plan: ServicePlan, event: EventNames): string {
  return `
/** Published by ${plan.name} when it has recorded an event it consumes (the cause). */
export const ${event.schema} = z.object({
  ...envelope(ROUTING_KEYS.${event.property}),
  causeMessageId: z.string().min(1).max(200),
  causeType: z.string().min(1).max(64),
});

export type ${event.type} = z.output<typeof ${event.schema}>;
`;
}

function exampleProperty(plan: ServicePlan, event: EventNames): string {
  const cause = plan.consumes[0]?.key ?? 'order.placed';
  return `[ROUTING_KEYS.${event.property}]: {
    messageId: '${event.key}:${cause}:order-1',
    type: ROUTING_KEYS.${event.property},
    occurredAt: '2026-11-21T10:00:00.000Z',
    causeMessageId: '${cause}:order-1',
    causeType: '${cause}',
  } satisfies ${event.type}`;
}

function addEvents(tree: Tree, plan: ServicePlan): void {
  for (const event of plan.publishes) {
    addProperty(tree, EVENTS_FILE, 'ROUTING_KEYS', `${event.property}: '${event.key}'`);
    appendStatements(tree, EVENTS_FILE, schemaStatements(plan, event));
    addNamedImport(tree, EXAMPLES_FILE, './events', event.type, { typeOnly: true });
    addProperty(tree, EXAMPLES_FILE, 'EVENT_EXAMPLES', exampleProperty(plan, event));
    addNamedImport(tree, EVENT_CONTRACTS_FILE, './events', event.schema);
    addProperty(
      tree,
      EVENT_CONTRACTS_FILE,
      'EVENTS',
      `${event.property}: { routingKey: ROUTING_KEYS.${event.property}, schema: ${event.schema} }`,
    );
  }
}

export function addToContracts(tree: Tree, plan: ServicePlan, templates: string): void {
  const substitutions = { ...plan, tmpl: '' };
  const dir = protoDir(plan.protoName);
  if (plan.grpc) generateFiles(tree, join(templates, 'proto-grpc'), dir, substitutions);
  if (plan.publishes.length > 0)
    generateFiles(tree, join(templates, 'proto-events'), dir, substitutions);
  if (!plan.grpc && plan.publishes.length === 0) return;
  generateFiles(tree, join(templates, 'contracts'), CONTRACTS, substitutions);
  addNamespaceExport(tree, INDEX_FILE, plan.namespace, `./${plan.name}`);
  addEvents(tree, plan);
  regenerateContracts(tree);
}

/** The events a service publishes: the messages of its events.proto that ROUTING_KEYS names. */
function publishedBy(tree: Tree, protoName: string): { property: string; message: string }[] {
  const proto = tree.read(`${protoDir(protoName)}/events.proto`, 'utf8') ?? '';
  const keys = propertyKeys(tree, EVENTS_FILE, 'ROUTING_KEYS');
  return [...proto.matchAll(/^message (\w+) \{/gm)]
    .map((match) => ({ message: match[1] ?? '', property: camelCase(match[1] ?? '') }))
    .filter((event) => keys.includes(event.property));
}

export function removeFromContracts(
  tree: Tree,
  names: { name: string; protoName: string; namespace: string },
): void {
  for (const event of publishedBy(tree, names.protoName)) {
    const type = `${event.message}Event`;
    removeProperty(tree, EVENTS_FILE, 'ROUTING_KEYS', event.property);
    removeStatements(tree, EVENTS_FILE, [`${event.property}Schema`, type]);
    removeProperty(tree, EXAMPLES_FILE, 'EVENT_EXAMPLES', `[ROUTING_KEYS.${event.property}]`);
    removeProperty(tree, EVENT_CONTRACTS_FILE, 'EVENTS', event.property);
    removeNamedImport(tree, EVENT_CONTRACTS_FILE, './events', `${event.property}Schema`);
    if (!declares(tree, EVENTS_FILE, type))
      removeNamedImport(tree, EXAMPLES_FILE, './events', type);
  }
  removeNamespaceExport(tree, INDEX_FILE, names.namespace);
  const touched = [`proto/junction/${names.protoName}`, `${CONTRACTS}/${names.name}.ts`].filter(
    (path) => tree.exists(path),
  );
  for (const path of touched) tree.delete(path);
  if (touched.length > 0) regenerateContracts(tree);
}
