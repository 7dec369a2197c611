export {
  env,
  jwtVerifierEnv,
  jwtVerifierSettings,
  platformEnv,
  PlatformConfig,
  type PlatformEnv,
} from './config/env';
export {
  DomainError,
  ERROR_CODES,
  isDomainError,
  type ErrorCode,
  type FieldViolation,
} from './errors/domain-error';
export { parseInput } from './errors/parse-input';
export { FaultInjector } from './faults/fault-injector';
export { InjectFault } from './faults/inject-fault.decorator';
export { SharedFaultInjector } from './faults/shared-fault-injector';
export { FaultsModule } from './faults/faults.module';
export { type FaultAdminReport } from './faults/fault-admin.controller';
export { withCallBudget } from './grpc/call-budget';
export { GrpcClient, type GrpcClientOptions } from './grpc/grpc-client';
export { PROTO_LOADER_OPTIONS } from './grpc/grpc-server';
export {
  DependencyStatus,
  type DependencyKind,
  type DependencyReport,
  type DependencyState,
  type ObservationDetail,
} from './health/dependency-status';
export { ObservedDependencies, type TrackOptions } from './health/observed-dependencies';
export { runService, type ServiceDefinition } from './lifecycle/bootstrap';
export { Clock } from './ports/clock';
export { IdGenerator } from './ports/id-generator';
export { ServiceIdentity } from './lifecycle/service-identity';
export { AppLogger } from './logging/app-logger';
export {
  currentTraceContext,
  SPAN_BAGGAGE,
  type SpanBaggageKey,
  type TraceCarrier,
  withPropagatedBaggage,
  withSpanBaggage,
  withTraceContext,
} from './telemetry/context-propagation';
export { BearerAuthGuard, Principal } from './auth/bearer-auth.guard';
export {
  ACCESS_TOKEN_ALGORITHM,
  type AccessTokenClaims,
  JwtVerifier,
  type JwtVerifierOptions,
} from './auth/jwt-verifier';
export { bearerAuthProviders } from './auth/auth.providers';
export { RateLimiter, type RateLimit } from './rate-limit/rate-limiter';
export {
  GrpcServiceConfig,
  grpcServiceEnv,
  type GrpcServiceEnv,
} from './config/grpc-service-config';
export { collectControllers } from './openapi/collect-controllers';
export { errorBodySchema, type ErrorBody } from './openapi/error-body';
export {
  API_VERSION,
  buildOpenApiDocument,
  contractedRoutes,
  type ContractedRoute,
  type OpenApiDocument,
} from './openapi/openapi-document';
export {
  defineRoute,
  type RouteContract,
  type RouteInputOf,
  type RouteReplyOf,
  type RouteResponse,
  type SuccessStatus,
} from './openapi/route-contract';
export { parseRouteInput, RouteInput } from './openapi/route-input.decorator';
export { Route, type RouteHandler } from './openapi/route.decorator';
