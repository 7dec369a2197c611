/** Set on a gRPC request whose bytes were not a valid protobuf message (see grpc-server.ts). */
export const MALFORMED_REQUEST = Symbol('malformed protobuf request');
