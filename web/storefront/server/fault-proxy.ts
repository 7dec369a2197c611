// GET|PUT|DELETE /shop/api/faults/{payment|inventory}: the demo panel's way to the services'
// operator endpoint /admin/faults (libs/platform's FaultAdminController). The operator token
// stays on the server; the browser never sees it. Registered only with DEMO_PANEL=true:
// otherwise these paths are a 404 like any unknown one.
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { type DemoPanelConfig, FAULT_SERVICES, type FaultService } from './config.ts';
import { sendError } from './errors.ts';
import { callUpstream, UpstreamError, type UpstreamReply } from './upstream.ts';

type FaultRequest = FastifyRequest<{ Params: { service: string } }>;

function isFaultService(name: string): name is FaultService {
  return (FAULT_SERVICES as readonly string[]).includes(name);
}

export function faultProxy(app: FastifyInstance, demo: DemoPanelConfig): void {
  const forward = async (request: FaultRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const { service } = request.params;
    if (!isFaultService(service)) {
      return sendError(reply, 404, 'not_found', `no faults in "${service}": payment or inventory`);
    }
    // DELETE may name one operation (?operation=charge); nothing else is passed on.
    const query = new URL(request.url, 'http://storefront').search;
    const target = `${demo.faultUrls[service]}/admin/faults${request.method === 'DELETE' ? query : ''}`;
    const hasBody = request.method === 'PUT';
    let answer: UpstreamReply;
    try {
      answer = await callUpstream(target, {
        method: request.method,
        headers: {
          authorization: `Bearer ${demo.faultAdminToken}`,
          ...(hasBody ? { 'content-type': 'application/json' } : {}),
        },
        ...(hasBody ? { body: JSON.stringify(request.body ?? {}) } : {}),
      });
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      return sendError(
        reply,
        502,
        'bad_gateway',
        `${service} cannot be reached (${error.message})`,
      );
    }
    return reply
      .code(answer.status)
      .type(answer.contentType ?? 'application/json')
      .send(answer.body);
  };
  app.route({
    method: ['GET', 'PUT', 'DELETE'],
    url: '/shop/api/faults/:service',
    handler: forward,
  });
}
