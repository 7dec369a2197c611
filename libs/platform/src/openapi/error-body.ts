import { z } from 'zod';
import { ERROR_CODES } from '../errors/domain-error';

/**
 * The body of every error answer (errors/http-error.filter.ts), as the OpenAPI document's
 * `Error` schema. error-body.spec.ts holds the filter's real output to it.
 */
export const errorBodySchema = z
  .strictObject({
    statusCode: z.number().int().min(400).max(599),
    error: z.enum([...ERROR_CODES, 'http_error', 'bad_request', 'internal']).meta({
      description:
        'The domain error code; http_error / bad_request for the framework’s own 4xx (unknown route, unparsable JSON, body too large), internal for anything unexpected',
    }),
    message: z.string().meta({ description: 'Safe to show to the caller' }),
    violations: z
      .array(z.strictObject({ field: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'invalid_argument: every field that is wrong' }),
    correlationId: z
      .string()
      .optional()
      .meta({ description: 'internal: the id under which the details were logged' }),
  })
  .meta({ id: 'Error' });

export type ErrorBody = z.output<typeof errorBodySchema>;
