import { z } from 'zod';
import { DomainError } from '../errors/domain-error';
import { defineRoute } from './route-contract';
import { parseRouteInput } from './route-input.decorator';

const contract = defineRoute({
  operationId: 'placeThing',
  summary: 'Place a thing',
  params: z.object({ id: z.uuid('must be an id') }),
  query: z.object({ padding: z.coerce.number().int().min(0).default(0) }),
  body: z.object({ quantity: z.number().int().min(1) }),
  headers: {
    'Idempotency-Key': z
      .string()
      .regex(/^[a-z]+$/, 'must be letters')
      .optional(),
  },
  responses: { 201: { description: 'Placed' } },
});

const ID = '7d0e1c9a-4b6f-4e8a-9f0a-2b1c3d4e5f60';

function request(overrides: Partial<Record<'params' | 'query' | 'body' | 'headers', unknown>>) {
  return {
    params: { id: ID },
    query: {},
    body: { quantity: 2 },
    headers: {},
    ...overrides,
  } as Parameters<typeof parseRouteInput>[1];
}

function failure(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('did not fail');
}

describe(parseRouteInput.name, () => {
  it('returns each declared input parsed, headers by their canonical name', () => {
    expect(
      parseRouteInput(
        contract,
        request({ query: { padding: '64' }, headers: { 'idempotency-key': 'abc' } }),
      ),
    ).toEqual({
      params: { id: ID },
      query: { padding: 64 },
      body: { quantity: 2 },
      headers: { 'Idempotency-Key': 'abc' },
    });
  });

  it('rejects an invalid body as invalid_argument naming every wrong field', () => {
    const error = failure(() => parseRouteInput(contract, request({ body: { quantity: 0 } })));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toMatch(/^invalid body: quantity: /);
    expect(error.violations.map((v) => v.field)).toEqual(['quantity']);
  });

  it('checks the path before the body, and a header on its own', () => {
    expect(
      failure(() => parseRouteInput(contract, request({ params: { id: 'x' }, body: {} }))).message,
    ).toBe('invalid path: id: must be an id');
    expect(
      failure(() => parseRouteInput(contract, request({ headers: { 'idempotency-key': 'A1' } })))
        .message,
    ).toBe('invalid Idempotency-Key header: (root): must be letters');
  });

  it('leaves out what the contract does not declare', () => {
    const bare = defineRoute({
      operationId: 'bare',
      summary: 'Nothing to parse',
      responses: { 200: { description: 'ok' } },
    });
    expect(parseRouteInput(bare, request({ body: { anything: true } }))).toEqual({});
  });
});
