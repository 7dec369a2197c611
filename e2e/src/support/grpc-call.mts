// One unary call to a Junction gRPC API, made the way another service would: the API's .proto
// file loaded with proto-loader, a plaintext channel and a deadline. Used by the generated
// services' e2e specs (and any test that needs one call without a typed client).
import { join } from 'node:path';
import {
  credentials,
  type GrpcObject,
  loadPackageDefinition,
  Metadata,
  type ServiceClientConstructor,
  status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

export interface GrpcCall {
  /** host:port of the server. */
  readonly target: string;
  /** The workspace root whose proto/ holds the file. */
  readonly root: string;
  /** Relative to proto/, e.g. `junction/payment/v1/payment.proto`. */
  readonly protoFile: string;
  /** Fully qualified, e.g. `junction.payment.v1.PaymentService`. */
  readonly service: string;
  /** As declared in the .proto file, e.g. `Charge`. */
  readonly method: string;
  readonly request: object;
}

export interface GrpcReply<T> {
  readonly code: number;
  readonly details: string;
  readonly response?: T;
}

type Unary = (
  request: object,
  metadata: Metadata,
  options: { deadline: number },
  callback: (error: (Error & { code: number; details: string }) | null, response?: unknown) => void,
) => void;

/** Resolves with the status code (0 = OK) and the response; never rejects on a gRPC error. */
export async function grpcCall<T>(call: GrpcCall): Promise<GrpcReply<T>> {
  const definition = loadSync(call.protoFile, {
    includeDirs: [join(call.root, 'proto')],
    keepCase: false,
    enums: String,
    defaults: true,
  });
  let node: unknown = loadPackageDefinition(definition);
  for (const part of call.service.split('.')) node = (node as GrpcObject | undefined)?.[part];
  if (typeof node !== 'function') throw new Error(`${call.service} is not in ${call.protoFile}`);
  const Client = node as ServiceClientConstructor;
  const client = new Client(call.target, credentials.createInsecure()) as unknown as Record<
    string,
    Unary | undefined
  > & { close(): void };
  const method = client[call.method];
  if (!method) throw new Error(`${call.service} has no method ${call.method}`);
  try {
    return await new Promise<GrpcReply<T>>((resolve) => {
      method.call(
        client,
        call.request,
        new Metadata(),
        { deadline: Date.now() + 5_000 },
        (error, response) => {
          resolve(
            error
              ? { code: error.code, details: error.details }
              : { code: status.OK, details: '', response: response as T },
          );
        },
      );
    });
  } finally {
    client.close();
  }
}
