// The internal gRPC APIs answer bad input with INVALID_ARGUMENT (naming the field), unknown
// things with NOT_FOUND, impossible transitions with FAILED_PRECONDITION — never INTERNAL.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  credentials,
  type GrpcObject,
  loadPackageDefinition,
  Metadata,
  status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ROOT } from '../../tools/local/topology.mts';
import { removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import { type E2eTopology, startE2eTopology } from './support/topology.mts';

type Unary = (
  request: object,
  metadata: Metadata,
  options: { deadline: number },
  callback: (error: (Error & { code: number; details: string }) | null, response?: unknown) => void,
) => void;

function client(topology: E2eTopology, service: 'inventory' | 'payment' | 'user', name: string) {
  const definition = loadSync(`junction/${service}/v1/${service}.proto`, {
    includeDirs: [join(ROOT, 'proto')],
    keepCase: false,
    enums: String,
    defaults: true,
  });
  const pkg = loadPackageDefinition(definition) as unknown as Record<string, GrpcObject>;
  const v1 = (pkg.junction?.[service] as GrpcObject)['v1'] as GrpcObject;
  const Client = v1[name] as unknown as new (
    target: string,
    creds: ReturnType<typeof credentials.createInsecure>,
  ) => Record<string, Unary> & { close(): void };
  const instance = new Client(topology.grpcTarget(service), credentials.createInsecure());
  const call = (method: string, request: object) =>
    new Promise<{ code: number; details: string; response?: unknown }>((resolve) => {
      const fn = instance[method];
      assert.ok(fn, method);
      fn.call(
        instance,
        request,
        new Metadata(),
        { deadline: Date.now() + 5_000 },
        (error, response) => {
          resolve(
            error
              ? { code: error.code, details: error.details }
              : { code: status.OK, details: '', response },
          );
        },
      );
    });
  return {
    call,
    close: () => {
      instance.close();
    },
  };
}

describe('gRPC errors', () => {
  let topology: E2eTopology;

  before(async () => {
    await resetInfrastructure();
    topology = await startE2eTopology({ only: ['inventory', 'payment', 'user'] });
  });

  after(async () => {
    await topology.stop();
    await removeInfrastructure();
  });

  it('inventory: INVALID_ARGUMENT naming the field, NOT_FOUND for an unknown SKU', async () => {
    const inventory = client(topology, 'inventory', 'InventoryService');
    try {
      const bad = await inventory.call('reserve', {
        orderId: 'o-1',
        lines: [{ sku: 'JNC-MUG', quantity: -3 }],
      });
      assert.equal(bad.code, status.INVALID_ARGUMENT);
      assert.match(bad.details, /lines\.0\.quantity/);
      assert.equal(
        (await inventory.call('reserve', { orderId: '', lines: [] })).code,
        status.INVALID_ARGUMENT,
      );
      const unknown = await inventory.call('getItem', { sku: 'NO-SUCH-SKU' });
      assert.equal(unknown.code, status.NOT_FOUND);
      const item = await inventory.call('getItem', { sku: 'JNC-MUG' });
      assert.equal(item.code, status.OK);
    } finally {
      inventory.close();
    }
  });

  it('payment: INVALID_ARGUMENT for a bad charge, FAILED_PRECONDITION for refunding a decline', async () => {
    const payment = client(topology, 'payment', 'PaymentService');
    try {
      const bad = await payment.call('charge', {
        orderId: 'o-2',
        userId: 'u',
        amountCents: 0,
        paymentMethod: 'cash',
      });
      assert.equal(bad.code, status.INVALID_ARGUMENT);
      assert.match(bad.details, /amountCents/);
      assert.match(bad.details, /paymentMethod/);
      const declined = {
        orderId: 'o-3',
        userId: 'u',
        amountCents: 500,
        paymentMethod: 'pm_card_declined',
      };
      assert.equal((await payment.call('charge', declined)).code, status.OK);
      assert.equal(
        (await payment.call('refund', { orderId: 'o-3' })).code,
        status.FAILED_PRECONDITION,
      );
      assert.equal((await payment.call('refund', { orderId: 'o-404' })).code, status.NOT_FOUND);
    } finally {
      payment.close();
    }
  });

  it('user: ALREADY_EXISTS for a taken email, UNAUTHENTICATED for wrong credentials', async () => {
    const user = client(topology, 'user', 'UserService');
    try {
      const input = { email: 'grpc@example.test', password: 'long enough pw', displayName: 'G' };
      assert.equal((await user.call('createUser', input)).code, status.OK);
      assert.equal((await user.call('createUser', input)).code, status.ALREADY_EXISTS);
      const wrong = await user.call('verifyCredentials', {
        email: input.email,
        password: 'nope nope',
      });
      assert.equal(wrong.code, status.UNAUTHENTICATED);
      assert.equal(
        (await user.call('getUser', { id: 'not-a-uuid' })).code,
        status.INVALID_ARGUMENT,
      );
    } finally {
      user.close();
    }
  });
});
