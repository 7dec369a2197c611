import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PROMETHEUS_RELEASE, toolPath } from '@junction/toolchain';
import { helmTemplate, render } from './charts.mts';
import { infraFilePath, readInfraFile, runTool } from './infra-files.mts';
import { ofKind, workloads } from './objects.mts';
import { type KubeObject } from './repo.mts';

const FILE = 'prometheus.yaml';

/** The infra chart as skaffold's default deploys it, but with its Prometheus on. */
const withPrometheus = (): KubeObject[] =>
  helmTemplate('junction-infra', 'junction-infra', 'junction', [
    '--set',
    'prometheus.enabled=true',
  ]);

function containerOf(objects: KubeObject[], deployment: string) {
  const container = workloads(objects).find((w) => w.id === `Deployment/${deployment}`)
    ?.containers[0];
  assert.ok(container, `Deployment ${deployment} rendered`);
  return container;
}

function envOf(objects: KubeObject[], deployment: string): Record<string, string> {
  return Object.fromEntries(
    (containerOf(objects, deployment).env ?? []).map((e) => [e.name, e.value ?? '']),
  );
}

function promtool(config: string) {
  return runTool(toolPath('promtool'), ['check', 'config', config]);
}

describe('the optional Prometheus (charts/junction-infra, prometheus.enabled)', () => {
  it('is off by default: no Prometheus, and the collector drops the metrics (nop)', () => {
    const infra = render('default').infra;
    assert.deepEqual(
      infra.filter((o) => o.metadata.name.startsWith('prometheus')).map((o) => o.kind),
      [],
    );
    assert.equal(envOf(infra, 'otel-collector').OTELCOL_METRICS_EXPORTERS, '[nop]');
  });

  it('when on, gets the collector’s metrics over OTLP at its Service', () => {
    const infra = withPrometheus();
    const env = envOf(infra, 'otel-collector');
    assert.equal(env.OTELCOL_METRICS_EXPORTERS, '[otlp_http/prometheus]');
    const service = ofKind<{ spec: { ports: { port: number }[] } }>(infra, 'Service').find(
      (o) => o.metadata.name === 'prometheus',
    );
    const port = service?.spec.ports[0]?.port;
    assert.equal(
      env.OTELCOL_PROMETHEUS_OTLP_ENDPOINT,
      `http://prometheus.junction.svc.cluster.local:${String(port)}/api/v1/otlp`,
    );
    const args = containerOf(infra, 'prometheus').args ?? [];
    assert.ok(args.includes('--web.enable-otlp-receiver'), args.join(' '));
    assert.ok(args.includes(`--web.listen-address=:${String(port)}`), args.join(' '));
  });

  it('mounts files/prometheus.yaml byte for byte and runs the release promtool is built from', () => {
    const infra = withPrometheus();
    const configMap = ofKind<{ data?: Record<string, string> }>(infra, 'ConfigMap').find(
      (o) => o.metadata.name === 'prometheus-config',
    );
    assert.equal(configMap?.data?.['prometheus.yml'], readInfraFile(FILE));
    assert.equal(containerOf(infra, 'prometheus').image, `prom/prometheus:v${PROMETHEUS_RELEASE}`);
  });

  it('has a config that passes `promtool check config`', () => {
    const result = promtool(infraFilePath(FILE));
    assert.equal(result.status, 0, `promtool failed:\n${result.stdout}\n${result.stderr}`);
  });

  it('fails `promtool check config` with a misconfigured OTLP section (the check can fail)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'junction-prometheus-'));
    const broken = path.join(dir, 'prometheus.yaml');
    writeFileSync(
      broken,
      readInfraFile(FILE).replace(
        'translation_strategy: UnderscoreEscapingWithSuffixes',
        'translation_strategy: NoSuchStrategy',
      ),
    );
    assert.notEqual(promtool(broken).status, 0, 'an unknown translation strategy must not pass');
  });

  it('makes a collector config that passes `otelcol validate` with the exporter to it', () => {
    const result = runTool(
      toolPath('otelcol'),
      ['validate', `--config=${infraFilePath('otel-collector.yaml')}`],
      { env: { ...process.env, ...envOf(withPrometheus(), 'otel-collector') } },
    );
    assert.equal(result.status, 0, `otelcol validate failed:\n${result.stdout}\n${result.stderr}`);
  });
});
