import { type Server, ServerCredentials } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { type GrpcServiceInfo, PROTO_ROOT } from '@junction/contracts';
import { type GrpcOptions, Transport } from '@nestjs/microservices';
import { HealthImplementation } from 'grpc-health-check';

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
    this.health.addToServer(server);
    new ReflectionService(packageDefinition as never).addToServer(server);
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
