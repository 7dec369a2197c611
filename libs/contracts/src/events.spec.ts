import { type z } from 'zod';
import { EVENTS } from './event-contracts';
import { EVENT_EXAMPLES } from './event-examples';
import { orderPlacedSchema, ROUTING_KEYS } from './events';
import * as contracts from './index';
import { OrderPlaced } from './generated/junction/orders/v1/events.pb';

interface ProtoMessage {
  fromJSON(json: unknown): object;
  toJSON(message: never): unknown;
}

const exports = contracts as unknown as Record<string, unknown>;
const pascal = (name: string): string => `${name.charAt(0).toUpperCase()}${name.slice(1)}`;

/**
 * Every event in ROUTING_KEYS with what must exist for it: the zod schema `<name>Schema`, the
 * proto message `<Name>` in one of the `<domain>V1` namespaces, and an example. Derived, so an
 * event added by hand or by the service generator is checked without editing this file.
 */
const events = Object.entries(ROUTING_KEYS).map(([name, key]) => {
  const messages = Object.entries(exports)
    .filter(([namespace]) => /^[a-z][A-Za-z]*V\d+$/.test(namespace))
    .map(([, namespace]) => (namespace as Record<string, unknown>)[pascal(name)])
    .filter((message): message is ProtoMessage => message !== undefined);
  return {
    key,
    schema: exports[`${name}Schema`] as z.ZodObject | undefined,
    messages,
    example: (EVENT_EXAMPLES as Record<string, unknown>)[key],
  };
});

describe('event schemas', () => {
  it.each(events)(
    '$key has a schema, one proto message with the same fields and an example',
    (event) => {
      expect(event.schema).toBeDefined();
      expect(event.messages).toHaveLength(1);
      const protoFields = Object.keys(event.messages[0]!.fromJSON({})).sort();
      expect(Object.keys(event.schema!.shape).sort()).toEqual(protoFields);
      expect(event.example).toBeDefined();
    },
  );

  it.each(events)('$key: its example is valid and survives the proto3 JSON round trip', (event) => {
    expect(event.schema!.safeParse(event.example).error).toBeUndefined();
    const message = event.messages[0]!;
    expect(message.toJSON(message.fromJSON(event.example) as never)).toEqual(event.example);
    expect((event.example as { type: string }).type).toBe(event.key);
  });

  it.each(events)('$key: consumers subscribe to it with its own schema (EVENTS)', (event) => {
    const entry = Object.values(EVENTS).find((e) => e.routingKey === event.key);
    expect(entry?.schema).toBe(event.schema);
  });

  it('subscribes to routing keys only', () => {
    expect(
      Object.values(EVENTS)
        .map((e) => e.routingKey)
        .sort(),
    ).toEqual(Object.values(ROUTING_KEYS).sort());
  });

  it('has an example for routing keys only', () => {
    expect(Object.keys(EVENT_EXAMPLES).sort()).toEqual(Object.values(ROUTING_KEYS).sort());
  });

  it('accepts the proto3 JSON that the generated code writes', () => {
    const json = OrderPlaced.toJSON({
      messageId: 'order.placed:o-1',
      type: 'order.placed',
      occurredAt: '2026-11-21T10:00:00.000Z',
      orderId: 'o-1',
      userId: 'u-1',
      lines: [{ sku: 'JNC-MUG', quantity: 2 }],
      paymentMethod: 'pm_card_ok',
    });
    expect(orderPlacedSchema.safeParse(json).success).toBe(true);
  });

  it('rejects a payload with a bad SKU and names the field', () => {
    const result = orderPlacedSchema.safeParse({
      messageId: 'm',
      type: 'order.placed',
      occurredAt: '2026-11-21T10:00:00Z',
      orderId: 'o-1',
      userId: 'u-1',
      lines: [{ sku: 'not a sku', quantity: 1 }],
      paymentMethod: 'pm_card_ok',
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['lines', 0, 'sku']);
  });
});
