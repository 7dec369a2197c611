// The internal gRPC APIs answer bad input with INVALID_ARGUMENT (naming the field), unknown
// things with NOT_FOUND, impossible transitions with FAILED_PRECONDITION — never INTERNAL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { ROOT } from '../../tools/local/topology.mts';
import { removeInfrastructure, resetInfrastructure } from './support/environment.mts';
import { grpcCall } from './support/grpc-call.mts';
import { type E2eTopology, startE2eTopology } from './support/topology.mts';

/** Calls of one service's methods (names as in the .proto, camelCase or not) on the topology. */
function client(topology: E2eTopology, service: 'inventory' | 'payment' | 'user', name: string) {
  return {
    call: (method: string, request: object) =>
      grpcCall({
        target: topology.grpcTarget(service),
        root: ROOT,
        protoFile: `junction/${service}/v1/${service}.proto`,
        service: `junction.${service}.v1.${name}`,
        method,
        request,
      }),
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
    // Bench padding is off unless REPLY_PADDING_MAX_BYTES allows it.
    const padded = await inventory.call('getItem', { sku: 'JNC-MUG', paddingBytes: 262_144 });
    assert.equal(padded.code, status.INVALID_ARGUMENT);
    assert.match(padded.details, /REPLY_PADDING_MAX_BYTES/);
  });

  it('payment: INVALID_ARGUMENT for a bad charge, FAILED_PRECONDITION for refunding a decline', async () => {
    const payment = client(topology, 'payment', 'PaymentService');
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
  });

  it('user: ALREADY_EXISTS for a taken email, UNAUTHENTICATED for wrong credentials', async () => {
    const user = client(topology, 'user', 'UserService');
    const input = { email: 'grpc@example.test', password: 'long enough pw', displayName: 'G' };
    assert.equal((await user.call('createUser', input)).code, status.OK);
    assert.equal((await user.call('createUser', input)).code, status.ALREADY_EXISTS);
    const wrong = await user.call('verifyCredentials', {
      email: input.email,
      password: 'nope nope',
    });
    assert.equal(wrong.code, status.UNAUTHENTICATED);
    assert.equal((await user.call('getUser', { id: 'not-a-uuid' })).code, status.INVALID_ARGUMENT);
  });
});
