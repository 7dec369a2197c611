import { type ErrorCode, type FieldViolation } from '@junction/platform';
import { type z } from 'zod';

/**
 * One method served over AMQP request-reply. The server parses and validates the request with
 * `schema` (as REST and gRPC adapters do) before `handle` sees it; `handle` calls one domain
 * method and returns the reply, a JSON-serialisable value (proto3 JSON of the response message).
 */
export interface RpcHandler<S extends z.ZodType = z.ZodType> {
  /** The method this handler answers: the request's AMQP `type` property, e.g. `GetItem`. */
  readonly method: string;
  readonly schema: S;
  handle(request: z.output<S>): Promise<unknown>;
}

/** A failed call: a domain error code, or `internal` (details only in the server's logs). */
export interface RpcError {
  readonly code: ErrorCode | 'internal';
  readonly message: string;
  readonly violations?: readonly FieldViolation[];
}

/** The body of every reply, JSON: exactly one of `result` and `error`. */
export type RpcReply = { readonly result: unknown } | { readonly error: RpcError };
