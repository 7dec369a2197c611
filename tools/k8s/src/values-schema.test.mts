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
    rejects(
      [
        '--set',
        'services.shipping.httpPort=3009',
        '--set',
        'services.shipping.image.repository=junction-shipping',
        '--set',
        'services.shipping.image.tag=dev',
      ],
      /"shipping"/,
      /must be one of the following: "auth", "user", "orders", "payment", "inventory"/,
    );
  });

  it('rejects a missing or empty image', () => {
    rejects(['--set', 'services.payment.image=null'], /services\.payment: image is required/);
    rejects(
      ['--set', 'services.payment.image.repository='],
      /services\.payment\.image\.repository: String length must be greater than or equal to 1/,
    );
    rejects(['--set', 'services.user.image.tag=null'], /services\.user\.image: tag is required/);
  });

  it('rejects a gRPC client pointing at an unknown service', () => {
    rejects(
      ['--set', 'services.orders.grpcClients.SHIPPING_GRPC_TARGET=shipping'],
      /SHIPPING_GRPC_TARGET/,
    );
  });

  it('keeps the service-name enum and the services map in step (one list to extend)', () => {
    const schema = JSON.parse(
      readFileSync(repoPath('charts/junction/values.schema.json'), 'utf8'),
    ) as {
      definitions: { serviceName: { enum: string[] } };
    };
    const values = parse(readFileSync(repoPath('charts/junction/values.yaml'), 'utf8')) as {
      services: Record<string, unknown>;
    };
    assert.deepEqual(
      [...schema.definitions.serviceName.enum].sort(),
      Object.keys(values.services).sort(),
    );
  });
});
