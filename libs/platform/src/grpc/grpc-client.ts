import {
  type CallOptions,
  type Client,
  credentials,
  makeGenericClientConstructor,
  Metadata,
  type ServiceDefinition,
  type ServiceError,
} from '@grpc/grpc-js';
import { DomainError } from '../errors/domain-error';
import { errorCodeOfGrpc } from '../errors/grpc-status';

/** The unary methods of a generated service definition, as promise-returning functions. */
type UnaryMethods<S> = {
  [K in keyof S]: S[K] extends {
    requestSerialize: (value: infer Req) => Buffer;
    responseDeserialize: (value: Buffer) => infer Res;
  }
    ? (request: Req, options?: { deadlineMs?: number }) => Promise<Res>
    : never;
};

type UnaryCall = (
  request: unknown,
  metadata: Metadata,
  options: CallOptions,
  callback: (error: ServiceError | null, response?: unknown) => void,
) => void;

/**
 * A typed gRPC client for one peer, built on @grpc/grpc-js (so the OpenTelemetry grpc
 * instrumentation traces every call). Every call carries a deadline; a peer's error comes back
 * as a DomainError with the matching code, or `unavailable` when the peer cannot be reached.
 */
export class GrpcClient<S extends ServiceDefinition> {
  readonly call: UnaryMethods<S>;
  private readonly client: Client;

  constructor(
    readonly peer: string,
    definition: S,
    target: string,
    private readonly defaultDeadlineMs: number,
    maxMessageBytes = 4 * 1024 * 1024,
  ) {
    const Constructor = makeGenericClientConstructor(definition, peer);
    this.client = new Constructor(target, credentials.createInsecure(), {
      'grpc.max_receive_message_length': maxMessageBytes,
      'grpc.max_send_message_length': maxMessageBytes,
    });
    const methods = Object.fromEntries(
      Object.keys(definition).map((name) => [
        name,
        (request: unknown, options?: { deadlineMs?: number }) =>
          this.unary(name, request, options?.deadlineMs ?? this.defaultDeadlineMs),
      ]),
    );
    this.call = methods as unknown as UnaryMethods<S>;
  }

  close(): void {
    this.client.close();
  }

  private unary(method: string, request: unknown, deadlineMs: number): Promise<never> {
    const fn = (this.client as unknown as Record<string, UnaryCall>)[method];
    if (!fn) return Promise.reject(new Error(`${this.peer} has no method ${method}`));
    return new Promise((resolve, reject) => {
      fn.call(
        this.client,
        request,
        new Metadata(),
        { deadline: Date.now() + deadlineMs },
        (error, response) => {
          if (error) reject(this.toDomainError(method, error));
          else resolve(response as never);
        },
      );
    });
  }

  private toDomainError(method: string, error: ServiceError): Error {
    const code = errorCodeOfGrpc(error.code);
    if (!code) return new Error(`${this.peer}.${method} failed: ${error.message}`);
    const message = error.details || error.message;
    return new DomainError(
      code,
      code === 'unavailable' ? `${this.peer} unavailable: ${message}` : message,
    );
  }
}
