import { z } from 'zod';
import { DomainError } from './domain-error';
import { parseInput } from './parse-input';

const orderSchema = z.object({
  sku: z.string().regex(/^[A-Z-]+$/, 'must be a SKU'),
  quantity: z.number().int().min(1),
  note: z.string().trim().optional(),
});

function validOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { sku: 'JNC-MUG', quantity: 2, ...overrides };
}

function violationOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected parseInput to throw');
}

describe(parseInput.name, () => {
  it('returns the parsed value, with the schema applied', () => {
    expect(parseInput(orderSchema, validOrder({ note: '  gift  ' }))).toEqual({
      sku: 'JNC-MUG',
      quantity: 2,
      note: 'gift',
    });
  });

  it('throws invalid_argument naming every wrong field and its rule', () => {
    const error = violationOf(() =>
      parseInput(orderSchema, validOrder({ sku: 'mug', quantity: 0 }), 'body'),
    );
    expect(error.code).toBe('invalid_argument');
    expect(error.violations).toEqual([
      { field: 'sku', message: 'must be a SKU' },
      { field: 'quantity', message: expect.stringMatching(/>=1/) as unknown },
    ]);
    expect(error.message).toMatch(/^invalid body: sku: must be a SKU; quantity: /);
  });

  it('joins the path of a nested field with dots', () => {
    const schema = z.object({ lines: z.array(z.object({ quantity: z.number() })) });
    const error = violationOf(() => parseInput(schema, { lines: [{ quantity: 'two' }] }));
    expect(error.violations.map((v) => v.field)).toEqual(['lines.0.quantity']);
  });

  it('names the root when the whole input has the wrong shape', () => {
    const error = violationOf(() => parseInput(orderSchema, 'not an object'));
    expect(error.violations.map((v) => v.field)).toEqual(['(root)']);
    expect(error.message).toMatch(/^invalid request: \(root\): /);
  });
});
