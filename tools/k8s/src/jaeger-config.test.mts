import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toolPath } from '@junction/toolchain';
import { render } from './charts.mts';
import {
  deploymentEnv,
  envReferences,
  freePort,
  infraFilePath,
  mountedConfig,
  readInfraFile,
  start,
  waitFor200,
  type Running,
} from './infra-files.mts';
import { workloads } from './objects.mts';

const FILE = 'jaeger.yaml';
const SERVICE = 'jaeger-config-test';

/** The chart's env with every listener moved to a free loopback port. */
async function loopbackEnv(): Promise<Record<string, string>> {
  const env: Record<string, string> = {
    ...deploymentEnv('jaeger'),
    JAEGER_LISTEN_HOST: '127.0.0.1',
  };
  for (const name of Object.keys(env).filter((key) => /^JAEGER_.*_PORT$/.test(key))) {
    env[name] = String(await freePort());
  }
  return env;
}

/** The HTTP path the pod's readiness probe asks. */
function readinessPath(): string {
  const jaeger = workloads(render('default').infra).find((w) => w.id === 'Deployment/jaeger');
  const path = jaeger?.containers[0]?.readinessProbe?.httpGet?.path;
  if (!path) throw new Error('the jaeger Deployment has no HTTP readiness probe');
  return path;
}

/** One span of SERVICE, as OTLP/HTTP JSON. */
function oneSpan(): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: SERVICE } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: '5b8efff798038103d269b633813fc60c',
                spanId: 'eee19b7ec3c1b174',
                name: 'checkout',
                kind: 2,
                startTimeUnixNano: String(now - 5_000_000n),
                endTimeUnixNano: String(now),
              },
            ],
          },
        ],
      },
    ],
  });
}

describe('the Jaeger v2 config (charts/junction-infra/files/jaeger.yaml)', () => {
  it('is mounted byte for byte as the chart renders it', () => {
    assert.equal(mountedConfig('jaeger-config'), readInfraFile(FILE));
  });

  it('gets every ${env:VAR} it reads from the Deployment', () => {
    const env = deploymentEnv('jaeger');
    const missing = envReferences(readInfraFile(FILE)).filter((name) => !(name in env));
    assert.deepEqual(missing, [], 'set these in templates/jaeger.yaml');
  });

  it('sizes the in-memory store from the memory limit', () => {
    assert.equal(deploymentEnv('jaeger')['JAEGER_MAX_TRACES'], String(512 * 6));
  });

  describe('run by the pinned Jaeger on loopback', () => {
    let env: Record<string, string>;
    let jaeger: Running;

    before(async () => {
      env = await loopbackEnv();
      jaeger = start(toolPath('jaeger'), [`--config=${infraFilePath(FILE)}`], {
        ...process.env,
        ...env,
      });
    });

    after(async () => {
      await jaeger.stop();
    });

    const url = (port: string, path: string): string =>
      `http://127.0.0.1:${env[port] ?? ''}${path}`;

    it('answers the probes’ health check', async () => {
      try {
        await waitFor200(url('JAEGER_HEALTH_PORT', readinessPath()), 30_000);
      } catch (error) {
        assert.fail(`${String(error)}\n--- jaeger output ---\n${jaeger.output()}`);
      }
    });

    it('answers the query API on /api/v3/services', async () => {
      const response = await waitFor200(url('JAEGER_QUERY_HTTP_PORT', '/api/v3/services'), 10_000);
      const body = (await response.json()) as { services?: unknown };
      assert.ok(body.services === undefined || Array.isArray(body.services), JSON.stringify(body));
    });

    it('stores a span received over OTLP/HTTP and lists its service', async () => {
      const posted = await fetch(url('JAEGER_OTLP_HTTP_PORT', '/v1/traces'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: oneSpan(),
      });
      assert.equal(posted.status, 200, await posted.text());
      const until = Date.now() + 10_000;
      let services: string[] = [];
      while (Date.now() < until && !services.includes(SERVICE)) {
        const response = await fetch(url('JAEGER_QUERY_HTTP_PORT', '/api/v3/services'));
        services = ((await response.json()) as { services?: string[] }).services ?? [];
        if (!services.includes(SERVICE)) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.ok(services.includes(SERVICE), `services: ${JSON.stringify(services)}`);
    });
  });
});
