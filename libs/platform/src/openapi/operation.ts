import { z } from 'zod';
import { type ZodOpenApiOperationObject, type ZodOpenApiResponseObject } from 'zod-openapi';
import { type ErrorCode } from '../errors/domain-error';
import { httpStatusOf } from '../errors/http-status';
import { errorBodySchema } from './error-body';
import { hasInput, type RouteContract, type RouteResponse } from './route-contract';

/** What an error answer means when the contract does not say more. */
const ERROR_MEANING: Record<ErrorCode, string> = {
  invalid_argument: 'The input is invalid; `violations` lists every field that is wrong',
  unauthenticated: 'No valid bearer access token',
  permission_denied: 'Not allowed',
  not_found: 'Not found',
  already_exists: 'Already exists',
  conflict: 'Conflicts with the current state',
  failed_precondition: 'Not possible in the current state',
  rate_limited: 'Too many attempts; try again after Retry-After seconds',
  unavailable: 'Unavailable; try again after Retry-After seconds',
};

/** A guarded route's 503: auth's key set cannot be fetched and no usable one is cached. */
const TOKEN_UNVERIFIABLE =
  'the access token cannot be verified right now (auth’s key set cannot be fetched)';

const RETRY_AFTER = {
  description: 'Seconds to wait before trying again',
  schema: { type: 'integer' },
} as const;

function errorResponses(
  contract: RouteContract,
  bearer: boolean,
): Record<string, ZodOpenApiResponseObject> {
  const codes: Partial<Record<ErrorCode, string>> = {
    ...(hasInput(contract) ? { invalid_argument: ERROR_MEANING.invalid_argument } : {}),
    ...(bearer ? { unauthenticated: ERROR_MEANING.unauthenticated } : {}),
    ...(bearer
      ? { unavailable: `Unavailable: ${TOKEN_UNVERIFIABLE}; try again after Retry-After seconds` }
      : {}),
    ...contract.errors,
  };
  const ownUnavailable = contract.errors?.unavailable;
  if (bearer && ownUnavailable !== undefined) {
    codes.unavailable = `${ownUnavailable || ERROR_MEANING.unavailable}; also when ${TOKEN_UNVERIFIABLE}`;
  }
  const byStatus = new Map<number, { meanings: string[]; retry: boolean }>();
  for (const [code, meaning] of Object.entries(codes) as [ErrorCode, string][]) {
    const status = httpStatusOf(code);
    const entry = byStatus.get(status) ?? { meanings: [], retry: false };
    entry.meanings.push(meaning || ERROR_MEANING[code]);
    entry.retry ||= code === 'rate_limited' || code === 'unavailable';
    byStatus.set(status, entry);
  }
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const [status, { meanings, retry }] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: meanings.join('; '),
      ...(retry ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
      content: { 'application/json': { schema: errorBodySchema } },
    };
  }
  responses['5XX'] = {
    description:
      'An unexpected error (500: the body shows only a correlation id), or a backing service is unavailable (503, with Retry-After)',
    content: { 'application/json': { schema: errorBodySchema } },
  };
  return responses;
}

function successResponse(response: RouteResponse): ZodOpenApiResponseObject {
  const headers = response.headers
    ? Object.fromEntries(
        Object.entries(response.headers).map(([name, { description }]) => [
          name,
          { description, schema: { type: 'string' } } as const,
        ]),
      )
    : undefined;
  const content = response.stream
    ? {
        'text/event-stream': {
          schema: z.string().meta({
            description: `Server-Sent Events: each \`event: ${response.stream.event}\` carries its \`data:\` as JSON (x-event-data)`,
          }),
          'x-event': response.stream.event,
          'x-event-data': { $ref: `#/components/schemas/${schemaId(response.stream.data)}` },
        },
      }
    : response.body
      ? { 'application/json': { schema: response.body } }
      : undefined;
  return {
    description: response.description,
    ...(headers ? { headers } : {}),
    ...(content ? { content } : {}),
  };
}

/** The component name of a schema (its `.meta({ id })`), which stream data must have. */
export function schemaId(schema: z.ZodType): string {
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) throw new Error('the data of an event stream needs an id: .meta({ id: "Name" })');
  return id;
}

/** The OpenAPI operation of one route, from its contract and whether the bearer guard holds it. */
export function operationOf(contract: RouteContract, bearer: boolean): ZodOpenApiOperationObject {
  const successes: [string, RouteResponse][] = Object.entries(contract.responses);
  const header = contract.headers ? z.object(contract.headers) : undefined;
  return {
    operationId: contract.operationId,
    summary: contract.summary,
    ...(contract.description ? { description: contract.description } : {}),
    ...(bearer ? { security: [{ bearer: [] }] } : {}),
    ...(contract.params || contract.query || header
      ? {
          requestParams: {
            ...(contract.params ? { path: contract.params } : {}),
            ...(contract.query ? { query: contract.query } : {}),
            ...(header ? { header } : {}),
          },
        }
      : {}),
    ...(contract.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: contract.body } },
          },
        }
      : {}),
    responses: {
      ...Object.fromEntries(
        successes.map(([status, response]) => [status, successResponse(response)]),
      ),
      ...errorResponses(contract, bearer),
    },
  };
}
