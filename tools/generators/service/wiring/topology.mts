// The local topology (tools/local/topology.mts SERVICES: who listens where for `npm start` and
// the e2e tests) and the README's ports table, which documents the same ports.
import { type Tree } from '@nx/devkit';
import ts from 'typescript';
import { type ServicePlan } from '../plan.mts';
import { addProperty, removeProperty } from '../ts-source.mts';

export const TOPOLOGY_FILE = 'tools/local/topology.mts';
const README = 'README.md';

export interface Ports {
  readonly http: number;
  readonly grpc?: number;
}

function numberOf(object: ts.ObjectLiteralExpression, key: string): number | undefined {
  for (const property of object.properties) {
    if (
      ts.isPropertyAssignment(property) &&
      ts.isIdentifier(property.name) &&
      property.name.text === key &&
      ts.isNumericLiteral(property.initializer)
    )
      return Number(property.initializer.text);
  }
  return undefined;
}

/** The ports of every service in SERVICES, as the local topology assigns them. */
export function localPorts(tree: Tree): Record<string, Ports> {
  const text = tree.read(TOPOLOGY_FILE, 'utf8') ?? '';
  const source = ts.createSourceFile(TOPOLOGY_FILE, text, ts.ScriptTarget.Latest, true);
  const ports: Record<string, Ports> = {};
  const visit = (node: ts.Node): void => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.name.text === 'SERVICES' &&
      node.initializer &&
      ts.isObjectLiteralExpression(node.initializer)
    ) {
      for (const property of node.initializer.properties) {
        if (!ts.isPropertyAssignment(property)) continue;
        if (!ts.isObjectLiteralExpression(property.initializer)) continue;
        const name = property.name;
        const key = ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : '';
        const http = numberOf(property.initializer, 'http');
        const grpc = numberOf(property.initializer, 'grpc');
        if (http !== undefined) ports[key] = grpc === undefined ? { http } : { http, grpc };
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return ports;
}

const objectKey = (name: string): string => (/^[a-z][a-zA-Z0-9]*$/.test(name) ? name : `'${name}'`);

function grpcCell(plan: ServicePlan): string {
  if (!plan.ports.grpc) return '—';
  return `${String(plan.ports.grpc)} \`junction.${plan.protoName}.v1.${plan.className}Service\``;
}

function restCell(plan: ServicePlan): string {
  return plan.rest ? `\`GET /${plan.name}/events\`, \`GET /${plan.name}/events/:messageId\`` : '—';
}

/** The rows of the README table under "## Ports (local run)": [first, after-last) line index. */
function portsTable(lines: readonly string[]): { start: number; end: number } {
  const heading = lines.findIndex((line) => line.startsWith('## Ports'));
  if (heading < 0) throw new Error(`${README} has no "## Ports" section`);
  const start = lines.findIndex((line, i) => i > heading && line.startsWith('|'));
  let end = start;
  while (end < lines.length && lines[end]?.startsWith('|')) end += 1;
  return { start, end };
}

export function addToTopology(tree: Tree, plan: ServicePlan): void {
  const grpc = plan.ports.grpc ? `, grpc: ${String(plan.ports.grpc)}` : '';
  addProperty(
    tree,
    TOPOLOGY_FILE,
    'SERVICES',
    `${objectKey(plan.name)}: { http: ${String(plan.ports.http)}${grpc} }`,
  );
  const lines = (tree.read(README, 'utf8') ?? '').split('\n');
  const { end } = portsTable(lines);
  const row = `| ${plan.name} | ${String(plan.ports.http)} | ${grpcCell(plan)} | ${restCell(plan)} |`;
  lines.splice(end, 0, row);
  tree.write(README, lines.join('\n'));
}

export function removeFromTopology(tree: Tree, name: string): void {
  removeProperty(tree, TOPOLOGY_FILE, 'SERVICES', name);
  const lines = (tree.read(README, 'utf8') ?? '').split('\n');
  const { start, end } = portsTable(lines);
  const kept = lines.filter(
    (line, i) => i < start || i >= end || line.split('|')[1]?.trim() !== name,
  );
  tree.write(README, kept.join('\n'));
}
