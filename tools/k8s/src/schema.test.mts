import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PROFILES, render } from './charts.mts';
import { type KubeObject } from './repo.mts';
import { formatProblems, validateObjects } from './validate.mts';

const unique = (objects: KubeObject[]): KubeObject[] => [
  ...new Map(objects.map((o) => [JSON.stringify(o), o])).values(),
];

const deployment = (): KubeObject =>
  structuredClone(render('default').app.find((o) => o.kind === 'Deployment')!);
const virtualService = (): KubeObject =>
  structuredClone(render('default').app.find((o) => o.kind === 'VirtualService')!);

describe('rendered objects against the Kubernetes 1.33 and Istio 1.29 schemas', () => {
  it('accepts every object of every profile, strictly', async () => {
    const objects = unique(PROFILES.flatMap((p) => render(p).all));
    assert.ok(objects.length > 60, `only ${String(objects.length)} objects rendered`);
    const problems = await validateObjects(objects);
    assert.equal(problems.length, 0, `schema violations:\n${formatProblems(problems)}`);
  });

  it('rejects an unknown field deep inside a Deployment', async () => {
    const bad = deployment();
    const pod = (bad.spec as { template: { spec: { containers: Record<string, unknown>[] } } })
      .template.spec;
    pod.containers[0]!.livenessProbe = {
      httpGet: { path: '/healthz', port: 'http' },
      periodSecond: 10,
    };
    const problems = await validateObjects([bad]);
    assert.match(formatProblems(problems), /periodSecond/);
  });

  it('rejects a value outside an enum and a wrong type', async () => {
    const bad = deployment();
    const pod = (bad.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    pod.restartPolicy = 'Sometimes';
    (bad.spec as Record<string, unknown>).replicas = 'two';
    const text = formatProblems(await validateObjects([bad]));
    assert.match(text, /Sometimes|restartPolicy/);
    assert.match(text, /replicas|"two"/);
  });

  it('rejects an unknown field and a missing required field in an Istio VirtualService', async () => {
    const bad = virtualService();
    const http = (bad.spec as { http: Record<string, unknown>[] }).http;
    http[0]!.retry = { attempts: 3 };
    const text = formatProblems(await validateObjects([bad]));
    assert.match(text, /retry/);
    const missing = virtualService();
    (
      missing.spec as { http: { route: { destination: Record<string, unknown> }[] }[] }
    ).http[0]!.route[0]!.destination = {
      port: { number: 1 },
    };
    assert.match(formatProblems(await validateObjects([missing])), /host/);
  });

  it('rejects a kind it has no schema for', async () => {
    const text = formatProblems(
      await validateObjects([
        { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
      ]),
    );
    assert.match(text, /Widget/);
  });
});
