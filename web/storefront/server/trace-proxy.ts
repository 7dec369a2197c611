// GET /shop/api/traces/{traceId}: one trace from Jaeger's query API (api/v3), for the order
// view's waterfall. The browser cannot reach Jaeger's query port (another origin, not routed by
// the gateway), and the CSP's connect-src 'self' would refuse it anyway.
import { type FastifyInstance } from 'fastify';
import { sendError } from './errors.ts';
import { callUpstream, UpstreamError, type UpstreamReply } from './upstream.ts';

const TRACE_ID = /^[0-9a-f]{32}$/;

export function traceProxy(app: FastifyInstance, jaegerQueryUrl: string | undefined): void {
  app.get<{ Params: { traceId: string } }>('/shop/api/traces/:traceId', async (request, reply) => {
    const { traceId } = request.params;
    if (!TRACE_ID.test(traceId)) {
      return sendError(reply, 400, 'bad_request', 'traceId must be 32 lowercase hex digits');
    }
    if (jaegerQueryUrl === undefined) {
      return sendError(reply, 503, 'unavailable', 'traces are off (no JAEGER_QUERY_URL)');
    }
    let answer: UpstreamReply;
    try {
      answer = await callUpstream(`${jaegerQueryUrl}/api/v3/traces/${traceId}`, { method: 'GET' });
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      return sendError(reply, 502, 'bad_gateway', `Jaeger cannot be reached (${error.message})`);
    }
    if (answer.status === 200 || answer.status === 404) {
      return reply
        .code(answer.status)
        .type(answer.contentType ?? 'application/json')
        .send(answer.body);
    }
    request.log.warn({ status: answer.status }, 'Jaeger refused a trace query');
    return sendError(reply, 502, 'bad_gateway', `Jaeger answered ${String(answer.status)}`);
  });
}
