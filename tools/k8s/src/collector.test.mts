import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { COLLECTOR_RELEASE, toolPath } from '@junction/toolchain';
import {
  deploymentEnv,
  envReferences,
  infraFilePath,
  mountedConfig,
  readInfraFile,
  runTool,
} from './infra-files.mts';
import { render } from './charts.mts';
import { repoPath } from './repo.mts';

const FILE = 'otel-collector.yaml';
const SECTIONS = ['receivers', 'processors', 'exporters', 'extensions', 'connectors'] as const;

/** `otlp/jaeger` is a component of type `otlp`. */
const componentType = (id: string): string => id.split('/')[0] ?? id;

/** The component types a collector config uses, by section. */
function usedComponents(config: string): Record<string, string[]> {
  const parsed = parse(config) as Partial<Record<string, Record<string, unknown> | null>>;
  return Object.fromEntries(
    SECTIONS.map((section) => [
      section,
      [...new Set(Object.keys(parsed[section] ?? {}).map(componentType))].sort(),
    ]),
  );
}

/** The component types a collector binary has, by section (`otelcol components`). */
function builtComponents(): Record<string, string[]> {
  const result = runTool(toolPath('otelcol'), ['components']);
  assert.equal(result.status, 0, result.stderr);
  const listed = parse(result.stdout) as Partial<Record<string, { name: string }[] | null>>;
  return Object.fromEntries(
    SECTIONS.map((section) => [section, (listed[section] ?? []).map((c) => c.name).sort()]),
  );
}

describe('the OpenTelemetry Collector config (charts/junction-infra/files/otel-collector.yaml)', () => {
  it('is mounted byte for byte as the chart renders it', () => {
    assert.equal(mountedConfig('otel-collector-config'), readInfraFile(FILE));
  });

  it('gets every ${env:VAR} it reads from the Deployment', () => {
    const env = deploymentEnv('otel-collector');
    const missing = envReferences(readInfraFile(FILE)).filter((name) => !(name in env));
    assert.deepEqual(missing, [], 'set these in templates/otel-collector.yaml');
  });

  it('passes `otelcol validate` with the env the chart sets', () => {
    const result = runTool(toolPath('otelcol'), ['validate', `--config=${infraFilePath(FILE)}`], {
      env: { ...process.env, ...deploymentEnv('otel-collector') },
    });
    assert.equal(result.status, 0, `otelcol validate failed:\n${result.stdout}\n${result.stderr}`);
  });

  it('fails `otelcol validate` when a component is misconfigured (the check can fail)', () => {
    const env = {
      ...process.env,
      ...deploymentEnv('otel-collector'),
      OTELCOL_MEMORY_LIMIT_MIB: '0',
    };
    const result = runTool(toolPath('otelcol'), ['validate', `--config=${infraFilePath(FILE)}`], {
      env,
    });
    assert.notEqual(result.status, 0, 'memory_limiter without a limit must not validate');
  });

  it('is built from exactly the components the config uses', () => {
    assert.deepEqual(builtComponents(), usedComponents(readInfraFile(FILE)));
  });

  it('runs in the chart on the collector release the validating build is pinned to', () => {
    const manifest = parse(
      readFileSync(repoPath('tools/toolchain/otelcol/manifest.yaml'), 'utf8'),
    ) as { dist: { version: string } };
    assert.equal(manifest.dist.version, COLLECTOR_RELEASE);
    const deployment = render('default').infra.find(
      (o) => o.kind === 'Deployment' && o.metadata.name === 'otel-collector',
    );
    const image = (
      deployment?.spec as { template: { spec: { containers: { image: string }[] } } } | undefined
    )?.template.spec.containers[0]?.image;
    assert.equal(image, `otel/opentelemetry-collector:${COLLECTOR_RELEASE}`);
  });
});
