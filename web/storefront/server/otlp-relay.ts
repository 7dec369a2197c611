// POST /shop/otlp/v1/traces: the browser's spans, relayed to the collector (OTLP_TRACES_URL).
// The collector is not exposed to the internet; this route is, so it is bounded: OTLP/JSON only,
// a body limit, a rate per client address, and only spans of the storefront's own resource
// (service.name "junction-storefront"), so it cannot be used to write other services' traces.
import rateLimit from '@fastify/rate-limit';
import { type FastifyInstance } from 'fastify';
import { STOREFRONT_SERVICE_NAME } from './app-config.ts';
import { sendError } from './errors.ts';
import { callUpstream, UpstreamError, type UpstreamReply } from './upstream.ts';

export const OTLP_BODY_LIMIT_BYTES = 512 * 1024;
/** Per client address: the browser's batch exporter sends at most one export every few seconds. */
export const OTLP_RATE_LIMIT = { max: 120, timeWindow: 60_000 } as const;

interface OtlpKeyValue {
  readonly key?: unknown;
  readonly value?: { readonly stringValue?: unknown };
}

/** Why the export is refused, or undefined when every resource is the storefront's. */
export function refusalOf(body: unknown): string | undefined {
  const resourceSpans = (body as { resourceSpans?: unknown } | null)?.resourceSpans;
  if (!Array.isArray(resourceSpans)) return 'the body must be OTLP/JSON with resourceSpans';
  for (const [index, entry] of resourceSpans.entries()) {
    const attributes = (entry as { resource?: { attributes?: unknown } } | null)?.resource
      ?.attributes;
    const serviceName = Array.isArray(attributes)
      ? (attributes as OtlpKeyValue[]).find((attribute) => attribute.key === 'service.name')?.value
          ?.stringValue
      : undefined;
    if (serviceName !== STOREFRONT_SERVICE_NAME) {
      return `resourceSpans.${String(index)}.resource: service.name must be "${STOREFRONT_SERVICE_NAME}"`;
    }
  }
  return undefined;
}

function isJson(contentType: string | undefined): boolean {
  return /^application\/json\s*(;|$)/i.test(contentType ?? '');
}

export async function otlpRelay(
  app: FastifyInstance,
  tracesUrl: string | undefined,
): Promise<void> {
  // Keyed by request.ip: with trustProxy 1 (app.ts) that is the address the gateway appended
  // last to X-Forwarded-For, the only entry a client cannot write itself.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: 'rate_limited',
      message: `too many span exports from this address; try again in ${String(Math.ceil(context.ttl / 1000))} s`,
    }),
  });

  app.post(
    '/shop/otlp/v1/traces',
    {
      bodyLimit: OTLP_BODY_LIMIT_BYTES,
      config: { rateLimit: OTLP_RATE_LIMIT },
      // Before the body is read: a media type other than JSON is refused without parsing it.
      onRequest: (request, reply, done) => {
        if (!isJson(request.headers['content-type'])) {
          void sendError(reply, 415, 'unsupported_media_type', 'send OTLP/JSON (application/json)');
          return;
        }
        done();
      },
    },
    async (request, reply) => {
      if (tracesUrl === undefined) {
        return sendError(reply, 503, 'unavailable', 'browser tracing is off (no OTLP_TRACES_URL)');
      }
      const refusal = refusalOf(request.body);
      if (refusal !== undefined) return sendError(reply, 400, 'bad_request', refusal);
      let answer: UpstreamReply;
      try {
        answer = await callUpstream(tracesUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(request.body),
        });
      } catch (error) {
        if (!(error instanceof UpstreamError)) throw error;
        request.log.warn({ reason: error.message }, 'the trace collector cannot be reached');
        return sendError(
          reply,
          502,
          'bad_gateway',
          `the trace collector cannot be reached (${error.message})`,
        );
      }
      if (answer.status < 200 || answer.status > 299) {
        request.log.warn({ status: answer.status }, 'the trace collector refused an export');
        return sendError(
          reply,
          502,
          'bad_gateway',
          `the trace collector answered ${String(answer.status)}`,
        );
      }
      // The collector's body is an ExportTraceServiceResponse (a partialSuccess, if any).
      const body = isJson(answer.contentType) && answer.body.trim() !== '' ? answer.body : '{}';
      return reply.code(200).type('application/json').send(body);
    },
  );
}
