import { applyDecorators, HttpCode, SetMetadata } from '@nestjs/common';
import {
  type RouteContract,
  type RouteInputOf,
  type RouteReplyOf,
  type SuccessStatus,
} from './route-contract';

/** The metadata key of a handler's contract (a string: one key even if two copies load). */
export const ROUTE_CONTRACT = 'junction:route-contract';

type Reply<C extends RouteContract> = RouteReplyOf<C> | Promise<RouteReplyOf<C>>;

/**
 * The handler a contract admits: it returns one of the contract's bodies and, when the
 * contract declares inputs, takes them first (`@RouteInput() input: RouteInputOf<typeof c>`).
 */
export type RouteHandler<C extends RouteContract> = [keyof RouteInputOf<C>] extends [never]
  ? (...rest: never[]) => Reply<C>
  : (input: RouteInputOf<C>, ...rest: never[]) => Reply<C>;

/**
 * Puts a contract on a controller method: `@RouteInput()` parses with it, the OpenAPI document
 * is made from it, and a contract with one success status sets it as the route's HTTP code.
 * The method's type is checked against the contract at compile time.
 */
export function Route<const C extends RouteContract>(contract: C) {
  const statuses = Object.keys(contract.responses).map(Number) as SuccessStatus[];
  const decorators: MethodDecorator[] = [SetMetadata(ROUTE_CONTRACT, contract)];
  if (statuses.length === 1 && statuses[0] !== undefined) decorators.push(HttpCode(statuses[0]));
  const apply = applyDecorators(...decorators);
  return <H extends RouteHandler<C>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<H>,
  ): void => {
    apply(target, key, descriptor);
  };
}

export function contractOf(handler: object): RouteContract | undefined {
  return Reflect.getMetadata(ROUTE_CONTRACT, handler) as RouteContract | undefined;
}
