import { RequestMethod, type Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { type z } from 'zod';
import { createDocument, type ZodOpenApiPathsObject } from 'zod-openapi';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { type RouteContract } from './route-contract';
import { contractOf } from './route.decorator';
import { operationOf, schemaId } from './operation';

export type OpenApiDocument = ReturnType<typeof createDocument>;

/** The REST API's major version (its paths carry none; a breaking change would need v2). */
export const API_VERSION = '1';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
type Method = (typeof METHODS)[number];

/** One served route that has a contract, as Nest maps it. */
export interface ContractedRoute {
  readonly method: Method;
  /** OpenAPI form: `/orders/{id}`. */
  readonly path: string;
  readonly contract: RouteContract;
  /** Whether BearerAuthGuard holds the route (on the method or its controller). */
  readonly bearer: boolean;
}

function paths(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return [typeof value === 'string' ? value : ''];
}

/** `orders` + `:id/events` → `/orders/{id}/events`. */
export function openApiPath(controllerPath: string, methodPath: string): string {
  const joined = `/${controllerPath}/${methodPath}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
  return joined.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function guarded(controller: Type, handler: object): boolean {
  const guards = [
    ...((Reflect.getMetadata(GUARDS_METADATA, controller) as unknown[] | undefined) ?? []),
    ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[] | undefined) ?? []),
  ];
  return guards.includes(BearerAuthGuard);
}

/** Every route of these controllers that has a `@Route(...)` contract. */
export function contractedRoutes(controllers: readonly Type[]): ContractedRoute[] {
  const routes: ContractedRoute[] = [];
  for (const controller of controllers) {
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = name === 'constructor' ? undefined : prototype[name];
      if (typeof handler !== 'function') continue;
      const contract = contractOf(handler);
      if (!contract) continue;
      const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as
        RequestMethod | undefined;
      const method =
        requestMethod === undefined ? undefined : RequestMethod[requestMethod].toLowerCase();
      if (!METHODS.includes(method as Method)) {
        throw new Error(
          `${controller.name}.${name}: @Route needs a @Get/@Post/@Put/@Patch/@Delete`,
        );
      }
      for (const base of paths(Reflect.getMetadata(PATH_METADATA, controller))) {
        for (const own of paths(Reflect.getMetadata(PATH_METADATA, handler))) {
          routes.push({
            method: method as Method,
            path: openApiPath(base, own),
            contract,
            bearer: guarded(controller, handler),
          });
        }
      }
    }
  }
  return routes.sort(
    (a, b) => a.path.localeCompare(b.path) || METHODS.indexOf(a.method) - METHODS.indexOf(b.method),
  );
}

/**
 * The OpenAPI 3.1 document of a service's public REST routes: every route of its controllers
 * that has a contract, with the schemas its inputs are parsed with, its answers, the error body
 * of the platform's filter and the bearer scheme where the guard holds the route.
 */
export function buildOpenApiDocument(
  service: string,
  controllers: readonly Type[],
): OpenApiDocument {
  const routes = contractedRoutes(controllers);
  const operationIds = new Set<string>();
  const streamed: Record<string, z.ZodType> = {};
  const documentPaths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    const { operationId } = route.contract;
    if (operationIds.has(operationId)) throw new Error(`operationId ${operationId} is used twice`);
    operationIds.add(operationId);
    for (const response of Object.values(route.contract.responses)) {
      if (response.stream) streamed[schemaId(response.stream.data)] = response.stream.data;
    }
    documentPaths[route.path] = {
      ...documentPaths[route.path],
      [route.method]: operationOf(route.contract, route.bearer),
    };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: `Junction ${service}`,
      version: API_VERSION,
      description: `The public REST API of the ${service} service, made from the zod schemas its controllers parse their input with. Served at GET /openapi.json on the service's own HTTP port; committed as docs/openapi/${service}.json.`,
    },
    paths: documentPaths,
    components: {
      ...(Object.keys(streamed).length > 0 ? { schemas: streamed } : {}),
      ...(routes.some((r) => r.bearer)
        ? {
            securitySchemes: {
              bearer: {
                type: 'http',
                scheme: 'bearer',
                bearerFormat: 'JWT',
                description: 'An access token from POST /auth/login (or /auth/refresh)',
              },
            },
          }
        : {}),
    },
  });
}
