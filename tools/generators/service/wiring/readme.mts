// README.md's ports table ("## Ports (local run)"): a row for the service, for the people who
// read it (the ports themselves are topology.yaml's).
import { type Tree } from '@nx/devkit';
import { type ServicePlan } from '../plan.mts';

const README = 'README.md';

function grpcCell(plan: ServicePlan): string {
  if (!plan.ports.grpc) return '—';
  return `${String(plan.ports.grpc)} \`junction.${plan.protoName}.v1.${plan.className}Service\``;
}

function restCell(plan: ServicePlan): string {
  return plan.rest ? `\`GET /${plan.name}/events\`, \`GET /${plan.name}/events/:messageId\`` : '—';
}

/** The rows of the table under "## Ports": [first, after-last) line index. */
function portsTable(lines: readonly string[]): { start: number; end: number } {
  const heading = lines.findIndex((line) => line.startsWith('## Ports'));
  if (heading < 0) throw new Error(`${README} has no "## Ports" section`);
  const start = lines.findIndex((line, i) => i > heading && line.startsWith('|'));
  let end = start;
  while (end < lines.length && lines[end]?.startsWith('|')) end += 1;
  return { start, end };
}

export function addToReadme(tree: Tree, plan: ServicePlan): void {
  const lines = (tree.read(README, 'utf8') ?? '').split('\n');
  const { end } = portsTable(lines);
  const row = `| ${plan.name} | ${String(plan.ports.http)} | ${grpcCell(plan)} | ${restCell(plan)} |`;
  lines.splice(end, 0, row);
  tree.write(README, lines.join('\n'));
}

export function removeFromReadme(tree: Tree, name: string): void {
  const lines = (tree.read(README, 'utf8') ?? '').split('\n');
  const { start, end } = portsTable(lines);
  const kept = lines.filter(
    (line, i) => i < start || i >= end || line.split('|')[1]?.trim() !== name,
  );
  tree.write(README, kept.join('\n'));
}
