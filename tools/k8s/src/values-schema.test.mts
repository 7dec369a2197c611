import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { preparedCharts } from './charts.mts';
import { helm } from './helm.mts';
import { repoPath } from './repo.mts';

const template = (...set: string[]): { status: number; stderr: string } =>
  helm([
    'template',
    'junction',
    path.join(preparedCharts(), 'junction'),
    '--namespace',
    'junction',
    ...set,
  ]);

const rejects = (set: string[], ...messages: RegExp[]): void => {
  const result = template(...set);
  assert.notEqual(result.status, 0, `helm template accepted ${set.join(' ')}`);
  assert.match(result.stderr, /values don't meet the specifications of the schema/);
  for (const message of messages) assert.match(result.stderr, message);
};

/** The service-name enum of the schema, in its order. */
const serviceNames = (): string[] =>
  (
    JSON.parse(readFileSync(repoPath('charts/junction/values.schema.json'), 'utf8')) as {
      definitions: { serviceName: { enum: string[] } };
    }
  ).definitions.serviceName.enum;

describe('charts/junction/values.schema.json', () => {
  it('accepts the default values', () => {
    assert.equal(template().status, 0);
  });

  it('rejects a negative replica count, naming the field', () => {
    rejects(
      ['--set', 'services.orders.replicas=-1'],
      /services\.orders\.replicas: Must be greater than or equal to 0/,
    );
    rejects(
      ['--set', 'serviceDefaults.replicas=-3'],
      /serviceDefaults\.replicas: Must be greater than or equal to 0/,
    );
  });

  it('rejects an unknown service name, listing the known ones', () => {
    const known = serviceNames()
      .map((name) => `"${name}"`)
      .join(', ');
    rejects(
      [
        '--set',
        'services.nosuchservice.httpPort=3099',
        '--set',
        'services.nosuchservice.image.repository=junction-nosuchservice',
        '--set',
        'services.nosuchservice.image.tag=dev',
      ],
      /"nosuchservice"/,
      new RegExp(`must be one of the following: ${known}`),
    );
  });

  it('rejects a missing or empty image', () => {
    rejects(['--set', 'services.payment.image=null'], /services\.payment: image is required/);
    rejects(
      ['--set', 'services.payment.image.repository='],
      /services\.payment\.image\.repository: String length must be greater than or equal to 1/,
    );
    rejects(
      ['--set', 'services.user.image.tag='],
      /services\.user\.image\.tag: String length must be greater than or equal to 1/,
    );
  });

  it('rejects a gRPC client pointing at an unknown service', () => {
    rejects(
      ['--set', 'services.orders.grpcClients.NOSUCHSERVICE_GRPC_TARGET=nosuchservice'],
      /NOSUCHSERVICE_GRPC_TARGET/,
    );
  });

  it('rejects load generator settings it cannot run with, and any unknown one', () => {
    rejects(['--set', 'loadGenerator.rate=0'], /loadGenerator\.rate: Must be greater than 0/);
    rejects(
      ['--set', 'loadGenerator.duration=0'],
      /loadGenerator\.duration: Must be greater than or equal to 1/,
    );
    rejects(['--set', 'loadGenerator.mix=half'], /loadGenerator\.mix: Does not match pattern/);
    rejects(
      ['--set', 'loadGenerator.users=100'],
      /loadGenerator\.users: Must be less than or equal to 30/,
    );
    rejects(
      ['--set', 'loadGenerator.target=localhost:8080'],
      /loadGenerator\.target: Does not match pattern/,
    );
    rejects(
      ['--set', 'loadGenerator.speed=1'],
      /loadGenerator: Additional property speed is not allowed/,
    );
    assert.equal(
      template('--set', 'loadGenerator.enabled=true', '--set', 'loadGenerator.mix=0:1').status,
      0,
    );
  });

  it('rejects storefront settings it cannot run with, an unknown web app and a demo target that is no service', () => {
    rejects(
      ['--set', 'storefront.demoPanel=maybe'],
      /storefront\.demoPanel: Invalid type\. Expected: boolean, given: string/,
    );
    rejects(['--set', 'storefront.replicas=-1'], /storefront\.replicas: Must be greater than/);
    rejects(
      ['--set', 'storefront.jaegerQueryUrl=jaeger'],
      /storefront\.jaegerQueryUrl: Does not match pattern/,
    );
    rejects(
      ['--set', 'storefront.theme=dark'],
      /storefront: Additional property theme is not allowed/,
    );
    rejects(
      ['--set', 'web.kiosk.httpPort=3998'],
      /"kiosk"/,
      /must be one of the following: "storefront"/,
    );
    rejects(
      ['--set', 'web.storefront.prefix=shop'],
      /web\.storefront\.prefix: Does not match pattern/,
    );
    rejects(['--set-json', 'web.storefront.demo=["orders2"]'], /web\.storefront\.demo\.0/);
  });

  it('keeps the service-name enum and the services map in step (one list to extend)', () => {
    const values = parse(readFileSync(repoPath('charts/junction/values.yaml'), 'utf8')) as {
      services: Record<string, unknown>;
    };
    assert.deepEqual([...serviceNames()].sort(), Object.keys(values.services).sort());
  });
});
