import { type z } from 'zod';
import { type ErrorCode } from '../errors/domain-error';

/** An HTTP status the route answers with on success. */
export type SuccessStatus = 200 | 201 | 202 | 204;

/** One success answer of a route: its body (JSON), a Server-Sent Events stream, or nothing. */
export interface RouteResponse {
  readonly description: string;
  /** The JSON body (omit for an empty answer such as 204). */
  readonly body?: z.ZodType;
  /** A `text/event-stream` answer instead of JSON: the events' name and their JSON data. */
  readonly stream?: { readonly event: string; readonly data: z.ZodType };
  /** Response headers the route sets, by name. */
  readonly headers?: Readonly<Record<string, { readonly description: string }>>;
}

/**
 * What one public REST route takes and gives — the single source of its input validation
 * (`@RouteInput()` parses with these schemas) and of its part of the service's OpenAPI
 * document. The HTTP method and path stay on the controller (`@Get(':id')`), the bearer guard
 * too (`@UseGuards(BearerAuthGuard)`): the document reads them from there, so it cannot
 * disagree with what Nest serves either.
 */
export interface RouteContract {
  /** Unique in the service's document; what a generated client calls the operation. */
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  /** Path parameters (`:id` in the controller's path, `{id}` in the document). */
  readonly params?: z.ZodObject;
  /** The query string. */
  readonly query?: z.ZodObject;
  /** Request headers by their canonical name (`Idempotency-Key`), each parsed on its own. */
  readonly headers?: Readonly<Record<string, z.ZodType>>;
  /** The JSON body. */
  readonly body?: z.ZodType;
  readonly responses: Readonly<Partial<Record<SuccessStatus, RouteResponse>>>;
  /**
   * The domain errors the route answers with, and when, besides the ones every route gets:
   * invalid_argument when it has inputs, unauthenticated behind the bearer guard, and 5XX.
   */
  readonly errors?: Readonly<Partial<Record<ErrorCode, string>>>;
}

/** Keeps the contract's literal types (statuses, header names) for the types below. */
export function defineRoute<const C extends RouteContract>(contract: C): C {
  return contract;
}

type Output<S> = S extends z.ZodType ? z.output<S> : never;

/** What `@RouteInput()` hands the handler: the parsed inputs the contract declares. */
export type RouteInputOf<C extends RouteContract> = {
  readonly [K in 'params' | 'query' | 'body' as C[K] extends z.ZodType ? K : never]: Output<C[K]>;
} & (C['headers'] extends Readonly<Record<string, z.ZodType>>
  ? { readonly headers: { readonly [N in keyof C['headers']]: Output<C['headers'][N]> } }
  : unknown);

/** Readonly all the way down: a handler may return readonly domain objects for a body. */
type Described<T> = T extends readonly (infer E)[]
  ? readonly Described<E>[]
  : T extends object
    ? { readonly [K in keyof T]: Described<T[K]> }
    : T;

/** No body: the handler returns nothing (an empty answer, or a stream it writes itself). */
type NoBody = ReturnType<() => void>;

type BodyOf<R> = R extends { readonly stream: object }
  ? NoBody
  : R extends { readonly body: z.ZodType }
    ? Described<z.output<R['body']>>
    : NoBody;

/** What the handler may return: a body of one of the contract's success answers. */
export type RouteReplyOf<C extends RouteContract> = {
  [S in keyof C['responses']]: BodyOf<C['responses'][S]>;
}[keyof C['responses']];

export function hasInput(contract: RouteContract): boolean {
  return Boolean(contract.params ?? contract.query ?? contract.body ?? contract.headers);
}
