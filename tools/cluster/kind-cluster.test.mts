import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ROOT } from '../local/topology.mts';
import { forwards } from './endpoints.mts';
import { CLUSTER } from './up-args.mts';

interface KindNode {
  role: string;
  image?: string;
  extraPortMappings?: { hostPort: number }[];
}

const kind = parse(readFileSync(path.join(ROOT, 'k8s', 'kind-cluster.yaml'), 'utf8')) as {
  name: string;
  nodes: KindNode[];
};

describe('k8s/kind-cluster.yaml', () => {
  it('is the cluster cluster:up looks for, on a node image pinned by digest', () => {
    assert.equal(kind.name, CLUSTER);
    for (const node of kind.nodes)
      assert.match(node.image ?? '', /^kindest\/node:v\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
  });

  it('maps no host port that cluster:up forwards to (8080 stays free for the gateway)', () => {
    const local = new Set([
      ...forwards({ noMesh: false }).map((f) => f.localPort),
      ...forwards({ noMesh: true }).map((f) => f.localPort),
    ]);
    assert.ok(local.has(8080));
    for (const node of kind.nodes)
      for (const mapping of node.extraPortMappings ?? [])
        assert.ok(!local.has(mapping.hostPort), `hostPort ${String(mapping.hostPort)}`);
  });
});
