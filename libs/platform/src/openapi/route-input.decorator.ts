import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { parseInput } from '../errors/parse-input';
import { type RouteContract } from './route-contract';
import { contractOf } from './route.decorator';

/**
 * Parses a request with its route's contract: path, query, body, then each declared header,
 * the first invalid one answering 400 invalid_argument with every field that is wrong.
 */
export function parseRouteInput(
  contract: RouteContract,
  request: Pick<FastifyRequest, 'params' | 'query' | 'body' | 'headers'>,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (contract.params) input.params = parseInput(contract.params, request.params, 'path');
  if (contract.query) input.query = parseInput(contract.query, request.query, 'query');
  if (contract.body) input.body = parseInput(contract.body, request.body, 'body');
  if (contract.headers) {
    input.headers = Object.fromEntries(
      Object.entries(contract.headers).map(([name, schema]) => [
        name,
        parseInput(schema, request.headers[name.toLowerCase()], `${name} header`),
      ]),
    );
  }
  return input;
}

/** The handler's inputs, parsed with the contract of its `@Route(...)`. */
export const RouteInput = createParamDecorator(
  (_: unknown, context: ExecutionContext): Record<string, unknown> => {
    const contract = contractOf(context.getHandler());
    if (!contract) throw new Error('@RouteInput() is used on a method without @Route(...)');
    return parseRouteInput(contract, context.switchToHttp().getRequest<FastifyRequest>());
  },
);
