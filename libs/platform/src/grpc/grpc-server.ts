import { type Server, ServerCredentials } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { type GrpcServiceInfo, PROTO_ROOT } from '@junction/contracts';
import { type GrpcOptions, Transport } from '@nestjs/microservices';
import { loadSync } from '@grpc/proto-loader';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import { MALFORMED_REQUEST } from './malformed-request';

/** Proto-loader settings shared by servers and reflection: camelCase fields, enums as names. */
export const PROTO_LOADER_OPTIONS = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  arrays: true,
  includeDirs: [PROTO_ROOT],
};

/**
 * The running gRPC server of a process, with its standard health service. Captured when Nest
 * loads the package definition, so shutdown can drain it gracefully (Nest's own close forces).
 */
export class GrpcServerHandle {
  private server: Server | undefined;
  readonly health: HealthImplementation;

  constructor(private readonly serviceName: string) {
    this.health = new HealthImplementation({ '': 'SERVING', [serviceName]: 'SERVING' });
  }

  attach(server: Server, packageDefinition: object): void {
    this.server = server;
    markUndecodableRequests(packageDefinition);
    this.health.addToServer(server);
    // Reflection describes the service's own API and the standard health service beside it.
    const described = { ...loadSync(healthProtoPath), ...packageDefinition };
    new ReflectionService(described).addToServer(server);
  }

  /** Reports NOT_SERVING, then waits for in-flight calls to finish (at most `timeoutMs`). */
  async drain(timeoutMs: number): Promise<void> {
    this.health.setStatus('', 'NOT_SERVING');
    this.health.setStatus(this.serviceName, 'NOT_SERVING');
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, timeoutMs);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

interface MethodDefinition {
  requestDeserialize?: (bytes: Buffer) => unknown;
}

/**
 * grpc-js answers a request it cannot decode with INTERNAL, as if the server were broken. We
 * wrap each method's decoder (before Nest registers the handlers) so undecodable bytes reach the
 * handler as a marked object, and its input validation answers INVALID_ARGUMENT instead.
 */
function markUndecodableRequests(packageDefinition: object): void {
  for (const definition of Object.values(packageDefinition as Record<string, unknown>)) {
    if (typeof definition !== 'object' || definition === null || 'format' in definition) continue;
    for (const method of Object.values(definition as Record<string, MethodDefinition>)) {
      const decode = method.requestDeserialize;
      if (typeof decode !== 'function') continue;
      method.requestDeserialize = (bytes: Buffer) => {
        try {
          return decode(bytes);
        } catch (error) {
          return { [MALFORMED_REQUEST]: error instanceof Error ? error.message : 'undecodable' };
        }
      };
    }
  }
}

export function grpcServerOptions(
  info: GrpcServiceInfo,
  port: number,
  handle: GrpcServerHandle,
  maxMessageBytes: number,
): GrpcOptions {
  return {
    transport: Transport.GRPC,
    options: {
      url: `0.0.0.0:${port}`,
      package: info.package,
      protoPath: info.protoFile,
      loader: PROTO_LOADER_OPTIONS,
      credentials: ServerCredentials.createInsecure(),
      maxReceiveMessageLength: maxMessageBytes,
      maxSendMessageLength: maxMessageBytes,
      onLoadPackageDefinition: (packageDefinition: object, server: Server) => {
        handle.attach(server, packageDefinition);
      },
    },
  };
}
