import { Controller, Get, Param, Post, Res, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { buildOpenApiDocument, contractedRoutes, openApiPath } from './openapi-document';
import { defineRoute, type RouteInputOf } from './route-contract';
import { RouteInput } from './route-input.decorator';
import { Route } from './route.decorator';

const widgetSchema = z.object({ id: z.string(), name: z.string() }).meta({ id: 'Widget' });

const createWidget = defineRoute({
  operationId: 'createWidget',
  summary: 'Create a widget',
  body: z.object({ name: z.string().min(1) }),
  headers: { 'Idempotency-Key': z.string().optional() },
  responses: {
    201: {
      description: 'Created',
      body: widgetSchema,
      headers: { Location: { description: 'Its URL' } },
    },
  },
  errors: { conflict: 'The name is taken', already_exists: 'The key was used for another widget' },
});
const getWidget = defineRoute({
  operationId: 'getWidget',
  summary: 'One widget',
  params: z.object({ id: z.string().regex(/^w[0-9]+$/) }),
  query: z.object({ verbose: z.enum(['yes', 'no']).default('no') }),
  responses: { 200: { description: 'The widget', body: widgetSchema } },
  errors: { not_found: 'No such widget' },
});
const listWidgets = defineRoute({
  operationId: 'listWidgets',
  summary: 'Every widget',
  responses: { 200: { description: 'All', body: z.object({ widgets: z.array(widgetSchema) }) } },
});
const watchWidget = defineRoute({
  operationId: 'watchWidget',
  summary: 'Changes of a widget',
  params: z.object({ id: z.string() }),
  responses: { 200: { description: 'A stream', stream: { event: 'change', data: widgetSchema } } },
});

@Controller('widgets')
@UseGuards(BearerAuthGuard)
class WidgetController {
  @Post()
  @Route(createWidget)
  create(@RouteInput() input: RouteInputOf<typeof createWidget>): { id: string; name: string } {
    return { id: 'w1', name: input.body.name };
  }

  @Get(':id')
  @Route(getWidget)
  get(@RouteInput() input: RouteInputOf<typeof getWidget>): Promise<{ id: string; name: string }> {
    return Promise.resolve({ id: input.params.id, name: input.query.verbose });
  }

  @Get(':id/changes')
  @Route(watchWidget)
  watch(
    @RouteInput() input: RouteInputOf<typeof watchWidget>,
    @Res() reply: { end(chunk: string): void },
  ): void {
    reply.end(input.params.id);
  }

  @Get('internal/count')
  count(@Param() params: unknown): number {
    return params ? 1 : 0;
  }
}

@Controller()
class PublicController {
  @Get('widgets')
  @Route(listWidgets)
  list(): { widgets: readonly { readonly id: string; readonly name: string }[] } {
    return { widgets: [] };
  }
}

// Compile-time checks: a handler whose reply is not a body of its contract does not compile.
class MistypedController {
  @Get('mistyped')
  // @ts-expect-error listWidgets answers { widgets }, not a number
  @Route(listWidgets)
  list(): number {
    return 1;
  }

  @Get('mistyped/:id')
  // @ts-expect-error the first parameter must take getWidget's input
  @Route(getWidget)
  get(input: { other: string }): { id: string; name: string } {
    return { id: input.other, name: '' };
  }
}

const document = buildOpenApiDocument('shop', [WidgetController, PublicController]);

describe(buildOpenApiDocument.name, () => {
  it('is an OpenAPI 3.1 document named after the service', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.title).toBe('Junction shop');
  });

  it('lists the contracted routes under the paths Nest serves, and only those', () => {
    expect(Object.keys(document.paths ?? {})).toEqual([
      '/widgets',
      '/widgets/{id}',
      '/widgets/{id}/changes',
    ]);
    expect(Object.keys(document.paths?.['/widgets'] ?? {})).toEqual(['get', 'post']);
  });

  it('asks for the bearer token exactly where the guard holds the route', () => {
    expect(document.paths?.['/widgets']?.post?.security).toEqual([{ bearer: [] }]);
    expect(document.paths?.['/widgets']?.get?.security).toBeUndefined();
    expect(document.components?.securitySchemes?.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
  });

  it('documents path, query and header parameters from the schemas the input is parsed with', () => {
    expect(document.paths?.['/widgets/{id}']?.get?.parameters).toEqual([
      { in: 'path', name: 'id', required: true, schema: { type: 'string', pattern: '^w[0-9]+$' } },
      {
        in: 'query',
        name: 'verbose',
        schema: { type: 'string', enum: ['yes', 'no'], default: 'no' },
      },
    ]);
    expect(document.paths?.['/widgets']?.post?.parameters).toEqual([
      { in: 'header', name: 'Idempotency-Key', schema: { type: 'string' } },
    ]);
  });

  it('answers with the declared statuses, the errors it may give and 5XX, all with the Error body', () => {
    const responses = document.paths?.['/widgets']?.post?.responses ?? {};
    expect(Object.keys(responses)).toEqual(['201', '400', '401', '409', '503', '5XX']);
    expect(responses['409']).toMatchObject({
      description: 'The name is taken; The key was used for another widget',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    });
    expect(Object.keys(document.paths?.['/widgets']?.get?.responses ?? {})).toEqual(['200', '5XX']);
  });

  it('documents a guarded route’s 503 with Retry-After, for a token that cannot be verified now', () => {
    const responses: Record<string, unknown> = document.paths?.['/widgets']?.post?.responses ?? {};
    expect(responses['503']).toMatchObject({
      description: expect.stringContaining('cannot be verified right now') as unknown,
      headers: { 'Retry-After': { schema: { type: 'integer' } } },
    });
  });

  it('describes an event stream as text/event-stream with its data schema', () => {
    const ok = document.paths?.['/widgets/{id}/changes']?.get?.responses?.['200'] as {
      content: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(ok.content)).toEqual(['text/event-stream']);
    expect(ok.content['text/event-stream']).toMatchObject({
      'x-event': 'change',
      'x-event-data': { $ref: '#/components/schemas/Widget' },
    });
    expect(document.components?.schemas?.Widget).toBeDefined();
  });

  it('refuses two routes with one operationId', () => {
    @Controller('again')
    class Twice {
      @Get()
      @Route(listWidgets)
      list(): { widgets: [] } {
        return { widgets: [] };
      }
    }
    expect(() => buildOpenApiDocument('shop', [PublicController, Twice])).toThrow(
      'operationId listWidgets is used twice',
    );
  });

  it('is the same document whatever the order of the controllers', () => {
    expect(buildOpenApiDocument('shop', [PublicController, WidgetController])).toEqual(document);
  });
});

describe(contractedRoutes.name, () => {
  it('skips routes without a contract and classes that are no controllers', () => {
    const routes = contractedRoutes([WidgetController, MistypedController]);
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual([
      'get /mistyped',
      'get /mistyped/{id}',
      'post /widgets',
      'get /widgets/{id}',
      'get /widgets/{id}/changes',
    ]);
  });
});

describe(openApiPath.name, () => {
  it('joins the controller and method paths into the OpenAPI form', () => {
    expect(openApiPath('orders', ':id/events')).toBe('/orders/{id}/events');
    expect(openApiPath('', '.well-known/jwks.json')).toBe('/.well-known/jwks.json');
    expect(openApiPath('/inventory/items/', '')).toBe('/inventory/items');
  });
});
